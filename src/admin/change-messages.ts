// Operator-facing text of corpus administration (Vietnamese), shared by the CLI, chat commands and HTTP.
import type { DocumentMeta, DocumentStatus, Section } from "../types.js";
import { displayDate } from "../corpus/ingest/metadata.js";
import type { ChangeResult } from "./change.js";
import type { DocDiff } from "./diff.js";
import type { VersionInfo } from "./rollback.js";

const num = (n: number) => n.toLocaleString("vi-VN");

export const statusLabel: Record<DocumentStatus, string> = {
  in_force: "còn hiệu lực",
  superseded: "đã bị thay thế",
  unknown: "chưa rõ",
};

/** "20261128T025614-9c767c1f77" → "28/11/2026 02:56:14 (9c767c1f77)". */
export function versionLabel(v: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})-(\w+)$/.exec(v);
  return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}:${m[6]} UTC` : v;
}

function diffLine(d: DocDiff): string {
  const parts: string[] = [];
  if (d.kind === "added") parts.push(`mới, ${num(d.sections)} mục`);
  else if (d.kind === "removed") parts.push(`đã xóa (${num(d.sections)} mục)`);
  else {
    if (d.added) parts.push(`+${num(d.added)} mục mới`);
    if (d.removed) parts.push(`−${num(d.removed)} mục bỏ`);
    if (d.changed) parts.push(`${num(d.changed)} mục sửa`);
    if (d.meta.length) parts.push(`thông tin đổi: ${d.meta.join(", ")}`);
  }
  return `• ${d.shortTitle} (${d.id}): ${parts.join("; ")}`;
}

export function diffText(diff: DocDiff[]): string {
  const changed = diff.filter((d) => d.kind !== "unchanged");
  if (!changed.length) return "Không văn bản nào thay đổi nội dung.";
  return ["Thay đổi theo văn bản:", ...changed.map(diffLine)].join("\n");
}

export function metaText(m: DocumentMeta): string {
  return [
    `Mã: ${m.id}`,
    `Tiêu đề: ${m.title}`,
    `Tên ngắn: ${m.shortTitle}`,
    `Số hiệu: ${m.number ?? "chưa rõ"}`,
    `Ngày ban hành: ${displayDate(m.date)}`,
    `Cơ quan ban hành: ${m.issuer}`,
    `Kiểu văn bản: ${m.style === "articles" ? "điều/khoản/điểm" : m.style === "plan" ? "kế hoạch (I./1./a))" : "nghị quyết, chương trình (A-/I-/1.)"}`,
    `Tình trạng: ${statusLabel[m.status]}${m.supersededBy ? ` bởi ${m.supersededBy}` : ""}`,
    `Vai trò: ${m.role === "primary" ? "kế hoạch chính (câu hỏi không nêu tên văn bản)" : "văn bản tham khảo"}`,
    ...(m.aliases.length ? [`Tên gọi khác: ${m.aliases.join("; ")}`] : []),
  ].join("\n");
}

export function changeText(headline: string, r: ChangeResult): string {
  const secs = (r.ms / 1000).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
  return [
    headline,
    diffText(r.diff),
    `Phiên bản chỉ mục: ${r.version}${r.previous ? ` (trước đó: ${r.previous})` : ""}. Thời gian: ${secs} giây.`,
  ].join("\n\n");
}

export const headlines = {
  added: (m: DocumentMeta) => `Đã nạp văn bản «${m.shortTitle}».\n${metaText(m)}`,
  replaced: (m: DocumentMeta) => `Đã thay nội dung văn bản «${m.shortTitle}» (${m.id}).\n${metaText(m)}`,
  removed: (id: string) => `Đã xóa văn bản «${id}» khỏi kho.`,
  status: (m: DocumentMeta) =>
    `Đã cập nhật tình trạng «${m.shortTitle}»: ${statusLabel[m.status]}${m.supersededBy ? ` bởi ${m.supersededBy}` : ""}.`,
  updated: (m: DocumentMeta) => `Đã cập nhật thông tin văn bản «${m.shortTitle}».\n${metaText(m)}`,
  reindexed: "Đã dựng lại chỉ mục.",
  rolledBack: (v: string) => `Đã khôi phục phiên bản ${v} (${versionLabel(v)}) và kho văn bản tương ứng.`,
  overrideHint:
    'Nếu thông tin chưa đúng: sửa bằng lệnh «corpus set <mã> --title "…" --number … --date dd/mm/yyyy --issuer "…"» ' +
    '(trong chat: /sua <mã> --title "…"), hoặc gửi lại tệp kèm chú thích --id … --replace.',
};

export interface DocumentRow {
  meta: DocumentMeta;
  sections: number | null;
}

/** Fixed-width columns for a terminal. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + " ".repeat(widths[i]! - [...c].length))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)].join("\n");
}

const cut = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join("")}…` : s);

export function documentsTable(rows: DocumentRow[]): string {
  if (!rows.length) return "Kho chưa có văn bản nào.";
  return table(
    ["Mã", "Tên ngắn", "Số hiệu", "Ngày", "Tình trạng", "Vai trò", "Số mục"],
    rows.map(({ meta: m, sections }) => [
      m.id,
      cut(m.shortTitle, 48),
      m.number ?? "—",
      displayDate(m.date),
      statusLabel[m.status] + (m.supersededBy ? ` → ${cut(m.supersededBy, 24)}` : ""),
      m.role === "primary" ? "chính" : "tham khảo",
      sections === null ? "?" : num(sections),
    ]),
  );
}

/** The admin's /nguon: one block per document, for chat. */
export function documentsList(rows: DocumentRow[]): string {
  if (!rows.length) return "Kho chưa có văn bản nào.";
  return [
    `Kho có ${num(rows.length)} văn bản:`,
    ...rows.map(
      ({ meta: m, sections }, i) =>
        `${i + 1}. ${m.shortTitle}\nMã: ${m.id} · Số hiệu: ${m.number ?? "chưa rõ"} · Ngày: ${displayDate(m.date)} · ` +
        `${statusLabel[m.status]}${m.supersededBy ? ` bởi ${m.supersededBy}` : ""} · ${sections === null ? "?" : num(sections)} mục`,
    ),
  ].join("\n\n");
}

export function sectionTree(meta: DocumentMeta, sections: Section[]): string {
  const lines = sections.map((s) => {
    const depth = s.id.split(".").length - 1;
    const shown = s.breadcrumb[s.breadcrumb.length - 1] ?? s.heading;
    const paras = s.paragraphs.length ? ` (${num(s.paragraphs.length)} đoạn)` : "";
    return `${"  ".repeat(depth)}${s.id.padEnd(Math.max(8, s.id.length + 1))} ${cut(shown, 90)}${paras}`;
  });
  return [`${meta.shortTitle} (${meta.id}) — ${num(sections.length)} mục`, ...lines].join("\n");
}

export function versionsText(versions: VersionInfo[]): string {
  if (!versions.length) return "Chưa có phiên bản chỉ mục nào.";
  return [
    "Các phiên bản chỉ mục (mới nhất trước):",
    ...versions.map(
      (v) =>
        `${v.current ? "▶" : " "} ${v.version}  ${versionLabel(v.version)}  ${num(v.documents.length)} văn bản` +
        `${v.current ? "  (đang dùng)" : v.restorable ? "" : "  (không khôi phục được)"}`,
    ),
  ].join("\n");
}
