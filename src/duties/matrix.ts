// Responsibility matrix (agency × duties) as Markdown, CSV and an HTML table fragment for the web page.
import type { AgencyRegistry } from "./agencies.js";
import { describeDeadline } from "./deadlines.js";
import type { DocumentMeta } from "../types.js";
import type { Duty, DutyRole } from "./types.js";

export interface MatrixRow {
  agencyId: string;
  agency: string;
  kind: "agency" | "group" | "unknown";
  role: DutyRole;
  roleLabel: string;
  action: string;
  partners: string;
  recipient: string;
  deadline: string;
  doc: string;
  /** The plan's short title (from the manifest), shown when the matrix holds several plans. */
  plan: string;
  section: string;
  sectionLabel: string;
  quote: string;
}

const ROLE_LABEL: Record<DutyRole, string> = {
  chu_tri: "Chủ trì",
  phoi_hop: "Phối hợp",
  thuc_hien: "Thực hiện",
  tham_muu: "Tham mưu",
};

/**
 * One row per agency and sentence (the yearly and on-request records of IV.2 merge into one row); agencies in the
 * order the document first names them as a subject.
 */
export function buildMatrix(duties: Duty[], reg: AgencyRegistry, docs: DocumentMeta[] = []): MatrixRow[] {
  const rows = new Map<string, { row: MatrixRow; order: number }>();
  const first = new Map<string, number>();
  const name = (id: string, text?: string) => (reg.get(id) ? reg.shortName(id) : (text ?? id));
  for (const d of [...duties].sort((a, b) => a.order - b.order)) {
    const rank = (d.via ? 1e6 : 0) + d.order;
    first.set(d.actor, Math.min(first.get(d.actor) ?? Infinity, rank));
    const key = `${d.actor}#${d.doc}#${d.section}#${d.quote}`;
    const deadline = d.deadline ? describeDeadline(d.deadline) : "";
    const recipient = d.recipient ? name(d.recipient, d.recipientText) : "";
    const have = rows.get(key);
    if (have) {
      // Same sentence, another deadline kind or another recipient ("TT Tỉnh ủy, TT HĐND (Báo cáo)").
      have.row.deadline = addItem(have.row.deadline, deadline);
      have.row.recipient = addItem(have.row.recipient, recipient);
      continue;
    }
    const agency = reg.get(d.actor);
    rows.set(key, {
      order: d.order,
      row: {
        agencyId: d.actor,
        agency: agency ? agency.name : d.actorText,
        kind: agency ? agency.kind : "unknown",
        role: d.role,
        roleLabel: ROLE_LABEL[d.role],
        action: d.action,
        partners: (d.partners ?? []).map((p) => name(p)).join(", "),
        recipient,
        deadline,
        doc: d.doc,
        plan: docs.find((x) => x.id === d.doc)?.shortTitle ?? d.doc,
        section: d.section,
        sectionLabel: d.sectionLabel,
        quote: d.quote,
      },
    });
  }
  return [...rows.values()].sort((a, b) => first.get(a.row.agencyId)! - first.get(b.row.agencyId)! || a.order - b.order).map((x) => x.row);
}

const addItem = (list: string, item: string) => (!item || list.split("; ").includes(item) ? list : list ? `${list}; ${item}` : item);

const multiDoc = (rows: MatrixRow[]) => new Set(rows.map((r) => r.doc)).size > 1;
const where = (r: MatrixRow, withDoc: boolean) => (withDoc ? `${r.plan} — ${r.sectionLabel}` : r.sectionLabel);

export function renderMatrixMarkdown(rows: MatrixRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
  const withDoc = multiDoc(rows);
  const out = ["| Cơ quan | Vai trò | Nhiệm vụ | Phối hợp với | Báo cáo / gửi | Thời hạn | Mục |", "|---|---|---|---|---|---|---|"];
  for (const r of rows)
    out.push(
      `| ${[
        r.kind === "group" ? `${r.agency} (nhóm)` : r.agency,
        r.roleLabel,
        r.action,
        r.partners,
        r.recipient,
        r.deadline,
        where(r, withDoc),
      ]
        .map(cell)
        .join(" | ")} |`,
    );
  return out.join("\n");
}

const CSV_COLUMNS: (keyof MatrixRow)[] = [
  "agencyId",
  "agency",
  "kind",
  "role",
  "action",
  "partners",
  "recipient",
  "deadline",
  "doc",
  "plan",
  "section",
  "sectionLabel",
  "quote",
];

/** RFC 4180 CSV (quoted fields, CRLF line ends). */
export function renderMatrixCsv(rows: MatrixRow[]): string {
  const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => q(String(r[c]))).join(","))].join("\r\n") + "\r\n";
}

export const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

export interface HtmlOptions {
  /** Link to a section on the web page; default "/#doc=<doc>&section=<id>". */
  hrefFor?: (doc: string, section: string) => string;
}

/**
 * A `<table>` fragment (escaped) for GET /trach-nhiem; each duty links to its section and carries the quote as title.
 * Every cell names its column (data-label), so a phone can show each row as a card without a scrolling table; the
 * ARIA roles keep it a table for screen readers when CSS changes how it is displayed.
 */
export function renderMatrixHtml(rows: MatrixRow[], opts: HtmlOptions = {}): string {
  const href = opts.hrefFor ?? ((doc, section) => `/#doc=${encodeURIComponent(doc)}&section=${encodeURIComponent(section)}`);
  const withDoc = multiDoc(rows);
  const columns: Array<[label: string, cell: (r: MatrixRow) => string, attributes?: (r: MatrixRow) => string]> = [
    ["Cơ quan", (r) => `${esc(r.agency)}${r.kind === "group" ? ' <span class="nhom">(nhóm)</span>' : ""}`],
    ["Vai trò", (r) => esc(r.roleLabel)],
    ["Nhiệm vụ", (r) => esc(r.action), (r) => ` title="${esc(r.quote)}"`],
    ["Phối hợp với", (r) => esc(r.partners)],
    ["Báo cáo / gửi", (r) => esc(r.recipient)],
    ["Thời hạn", (r) => esc(r.deadline)],
    ["Mục", (r) => `<a href="${esc(href(r.doc, r.section))}">${esc(where(r, withDoc))}</a>`],
  ];
  const out = [
    '<table class="trach-nhiem" role="table">',
    `<thead role="rowgroup"><tr role="row">${columns.map(([label]) => `<th role="columnheader">${label}</th>`).join("")}</tr></thead>`,
    '<tbody role="rowgroup">',
  ];
  for (const r of rows)
    out.push(
      `<tr role="row" data-agency="${esc(r.agencyId)}" data-role="${r.role}">` +
        columns
          .map(([label, cell, attributes]) => `<td role="cell" data-label="${label}"${attributes?.(r) ?? ""}>${cell(r)}</td>`)
          .join("") +
        "</tr>",
    );
  out.push("</tbody>", "</table>");
  return out.join("\n");
}
