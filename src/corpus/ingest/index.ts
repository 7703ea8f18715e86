// An uploaded file → a manifest entry and the normalised text stored as documents/<id>.md (or .txt).
// Nothing here touches the corpus: the change pipeline (../change.ts) stores the result transactionally.
import path from "node:path";
import { ownText, parseSections } from "../../sections/parse.js";
import type { DocumentMeta, DocumentRole, DocumentStatus, DocumentStyle, Section } from "../../types.js";
import { documentMetaSchema } from "../manifest.js";
import { convertInChild, convertToText, type Converted } from "./convert.js";
import { CorpusError } from "./errors.js";
import { limitsOf, type IngestLimits } from "./limits.js";
import { deriveAliases, detectMetadata, parseDate, suggestId, type DetectedMeta } from "./metadata.js";
import type { ConversionNotes } from "./notes.js";
import { sniffFormat, type SourceFormat } from "./sniff.js";

export { CorpusError, httpStatusOf, isCorpusError, type CorpusErrorCode } from "./errors.js";
export { detectMetadata, detectStyle, displayDate, parseDate, prettyIssuer, slug, suggestId, type DetectedMeta } from "./metadata.js";
export { checkSize, formatMb, sniffFormat, type SourceFormat } from "./sniff.js";
export { normalizeText } from "./normalize.js";
export { docxToText } from "./docx.js";
export { pdfToText } from "./pdf.js";
export { checkZip } from "./zip.js";
export { convertInChild, convertToText, type Converted } from "./convert.js";
export { decodeLegacy, encodeTcvn3, encodeVni, fontEncoding, legacyEncoding } from "./legacy-fonts.js";
export type { ConversionNotes, LegacyEncoding } from "./notes.js";
export { DEFAULT_OCR, type OcrOptions, type OcrReport } from "./ocr.js";
export { DEFAULT_LIMITS, limitsFrom, type IngestLimits, type LimitsConfig } from "./limits.js";

/** What the operator may state instead of (or on top of) what the header says. */
export interface MetaOverrides {
  id?: string;
  title?: string;
  shortTitle?: string;
  number?: string | null;
  /** ISO or dd/mm/yyyy. */
  date?: string | null;
  issuer?: string;
  style?: DocumentStyle;
  status?: DocumentStatus;
  supersededBy?: string;
  statusNote?: string;
  aliases?: string[];
  source?: string;
  /** "primary": answers questions that name no document. */
  role?: DocumentRole;
}

export interface PreparedDocument {
  meta: DocumentMeta;
  text: string;
  format: SourceFormat;
  detected: DetectedMeta;
  sections: Section[];
  /** What conversion did (OCR, legacy font converted). */
  notes: ConversionNotes;
}

export const ID_RE = /^[a-z0-9][a-z0-9-]{1,80}$/;

export function checkId(id: string): void {
  if (!ID_RE.test(id))
    throw new CorpusError(
      "bad_id",
      `Mã văn bản «${id}» không hợp lệ: chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (2–81 ký tự), ví dụ «kh-12-kh-ubnd-2025».`,
      `invalid document id ${JSON.stringify(id)}`,
    );
}

export function checkDate(date: string | null | undefined): string | null | undefined {
  if (date === null || date === undefined || date === "") return date === "" ? null : date;
  const iso = parseDate(date);
  if (!iso)
    throw new CorpusError("bad_meta", `Ngày «${date}» không hợp lệ. Hãy ghi dạng ngày/tháng/năm, ví dụ 16/5/2024.`, `invalid date ${date}`);
  return iso;
}

const FORMAT_NAME: Record<SourceFormat, string> = { docx: "DOCX", pdf: "PDF", md: "Markdown", txt: "văn bản thuần" };

/** File text of any accepted format, normalised; with `childHeapMb`, converted in a memory-capped child process. */
export async function extractText(
  bytes: Buffer,
  fileName: string,
  limits: number | (Partial<IngestLimits> & { maxBytes: number }),
  childHeapMb?: number,
  signal?: AbortSignal,
): Promise<Converted> {
  const all = limitsOf(limits);
  // Refusals that need no unpacking (size, extension, lying content) come before any child process starts.
  sniffFormat(bytes, fileName, all.maxBytes);
  return childHeapMb ? convertInChild(bytes, fileName, all, childHeapMb, signal) : convertToText(bytes, fileName, all);
}

/** Convert, read metadata, apply the operator's overrides and check that the text parses into sections. */
export async function prepareDocument(
  bytes: Buffer,
  fileName: string,
  opts: {
    maxBytes: number;
    limits?: Partial<IngestLimits>;
    childHeapMb?: number;
    overrides?: MetaOverrides;
    today?: string;
    /** Calls the conversion off (its child process is killed). */
    signal?: AbortSignal;
    /** These bytes' conversion, already made (a confirmed preview): not converted (nor OCR'd) again. */
    converted?: Converted;
  },
): Promise<PreparedDocument> {
  const o = opts.overrides ?? {};
  const { text, format, notes } =
    opts.converted ?? (await extractText(bytes, fileName, { ...opts.limits, maxBytes: opts.maxBytes }, opts.childHeapMb, opts.signal));
  const detected = detectMetadata(text);
  const id = o.id ?? suggestId(detected, fileName);
  checkId(id);
  const style = o.style ?? detected.style;
  const base = path.basename(fileName);
  const title = o.title ?? detected.title ?? base.replace(/\.[^.]+$/, "");
  const number = o.number !== undefined ? o.number || null : (detected.number ?? null);
  const meta: DocumentMeta = {
    id,
    file: `documents/${id}.${format === "txt" ? "txt" : "md"}`,
    style,
    title,
    shortTitle: o.shortTitle ?? detected.shortTitle ?? (title.length > 80 ? `${title.slice(0, 77)}…` : title),
    number,
    issuer: o.issuer ?? detected.issuer ?? "Chưa rõ cơ quan ban hành",
    date: o.date !== undefined ? (checkDate(o.date) ?? null) : (detected.date ?? null),
    status: o.status ?? "in_force",
    role: o.role ?? "reference",
    ...(o.supersededBy ? { supersededBy: o.supersededBy } : {}),
    ...(o.statusNote ? { statusNote: o.statusNote } : {}),
    aliases: o.aliases ?? deriveAliases({ ...detected, number: number ?? undefined, title }),
    source: o.source ?? `Tệp «${base}» do quản trị viên nạp ngày ${opts.today ?? new Date().toISOString().slice(0, 10)}`,
    completeness: completeness(format, notes),
  };
  const parsed = documentMetaSchema.safeParse(meta);
  if (!parsed.success)
    throw new CorpusError(
      "bad_meta",
      `Thông tin văn bản chưa hợp lệ: ${parsed.error.issues.map((i) => `${i.path.join(".") || "văn bản"}: ${i.message}`).join("; ")}`,
      `invalid metadata: ${parsed.error.message}`,
    );
  const sections = parseSections(id, text, style);
  if (!sections.some((s) => ownText(s).length > 0))
    throw new CorpusError(
      "no_sections",
      `Không tách được mục nào có nội dung từ tệp «${base}».`,
      `document ${id} produced no section with text`,
    );
  return { meta, text, format, detected, sections, notes };
}

/** The manifest's note on how the text was obtained, naming OCR and font conversion. */
function completeness(format: SourceFormat, notes: ConversionNotes): string {
  const how = [`Chuyển tự động từ ${FORMAT_NAME[format]}`];
  if (notes.ocr) how.push(`nhận dạng chữ (OCR) ${notes.ocr.pages.length} trang scan, độ tin cậy trung bình ${notes.ocr.meanConfidence}%`);
  if (notes.legacyFont) how.push(`chuyển mã từ phông ${notes.legacyFont.encoding === "tcvn3" ? "TCVN3" : "VNI"} sang Unicode`);
  return `${how.join("; ")}; chưa đối chiếu với bản gốc.`;
}
