// What the console shows of a staged upload before it is committed: metadata, the section tree, the duties and
// deadlines found, and warnings about conversion problems staff should check against the original.
import type { StagedChange } from "../admin/preview.js";
import { legacyEncoding, type ConversionNotes, type PreparedDocument } from "../corpus/ingest/index.js";
import { describeDeadline, dutyLine, type AgencyRegistry } from "../duties/index.js";
import { carriesDuties } from "../corpus/manifest.js";
import { dutiesFromSections } from "../duties/load.js";
import { ownText } from "../sections/parse.js";
import type { DocumentMeta, DocumentRole, Section } from "../types.js";

export { legacyEncoding } from "../corpus/ingest/index.js";

const STRUCTURAL = new Set(["preamble", "recipients", "signature"]);

export interface PreviewWarning {
  code:
    | "legacy_font"
    | "legacy_font_converted"
    | "ocr"
    | "ocr_doubtful"
    | "missing_meta"
    | "little_text"
    | "no_numbering"
    | "short_sections"
    | "validation";
  text: string;
}

const SHORT_SECTION_CHARS = 30;

const ENCODING_NAME = { tcvn3: "TCVN3 (ABC, .VnTime)", vni: "VNI (VNI-Times)" } as const;

/** What conversion did that staff should check: OCR (and the pages it doubts), a legacy font converted. */
export function conversionWarnings(notes: ConversionNotes): PreviewWarning[] {
  const out: PreviewWarning[] = [];
  if (notes.legacyFont)
    out.push({
      code: "legacy_font_converted",
      text:
        `Văn bản gõ bằng phông cũ ${ENCODING_NAME[notes.legacyFont.encoding]} đã được chuyển sang Unicode. ` +
        "Hãy đọc lại vài đoạn trong cây mục để chắc chữ tiếng Việt hiển thị đúng.",
    });
  const ocr = notes.ocr;
  if (ocr) {
    out.push({
      code: "ocr",
      text:
        `Tệp là bản scan: ${ocr.pages.length} trang được đọc bằng nhận dạng chữ (OCR), độ tin cậy trung bình ${ocr.meanConfidence}%. ` +
        "Chữ nhận dạng có thể sai dấu hoặc sai số; hãy đối chiếu số hiệu, ngày và các thời hạn với bản gốc.",
    });
    if (ocr.doubtful.length)
      out.push({
        code: "ocr_doubtful",
        text: `Các trang OCR đọc kém, cần đối chiếu kỹ: ${ocr.doubtful.map((d) => `trang ${d.page} (${d.confidence}%)`).join(", ")}.`,
      });
  }
  return out;
}

const META_NAMES = { issuer: "cơ quan ban hành", number: "số hiệu", date: "ngày ban hành", title: "tên (trích yếu) văn bản" } as const;

/** Header fields that could not be read from the document (before any correction by staff). */
export function missingMeta(prepared: PreparedDocument): Array<keyof typeof META_NAMES> {
  const d = prepared.detected;
  const keys = Object.keys(META_NAMES) as Array<keyof typeof META_NAMES>;
  // A title that is only the document type ("Kế hoạch") was not read either.
  return keys.filter((k) => !d[k] || (k === "title" && d.title === d.docType));
}

/** Conversion problems worth a look before committing. */
export function previewWarnings(prepared: PreparedDocument, staged?: StagedChange): PreviewWarning[] {
  const out: PreviewWarning[] = [...conversionWarnings(prepared.notes ?? {})];
  const missing = missingMeta(prepared);
  if (missing.length)
    out.push({
      code: "missing_meta",
      text:
        `Không đọc được ${missing.map((k) => META_NAMES[k]).join(", ")} từ phần đầu văn bản. ` +
        "Hãy điền vào các ô bên dưới trước khi nạp, để câu trả lời dẫn đúng nguồn.",
    });
  const legacy = legacyEncoding(prepared.text);
  if (legacy)
    out.push({
      code: "legacy_font",
      text:
        `Văn bản có vẻ được gõ bằng phông cũ ${ENCODING_NAME[legacy]} nhưng chưa chuyển được hết: ` +
        "chữ tiếng Việt sẽ bị lỗi. " +
        "Hãy chuyển mã sang Unicode (ví dụ Unikey → Công cụ chuyển mã) rồi tải lại.",
    });
  if (prepared.text.replace(/\s+/g, "").length < 300)
    out.push({
      code: "little_text",
      text: "Văn bản có rất ít chữ: nếu là PDF, có thể phần lớn là ảnh scan không có lớp chữ. Hãy đối chiếu với bản gốc.",
    });
  const body = prepared.sections.filter((s) => !STRUCTURAL.has(s.id));
  if (body.length < 2)
    out.push({
      code: "no_numbering",
      text:
        "Không nhận ra đề mục đánh số (I., 1., a), Điều …): số thứ tự tự động của Word có thể đã mất khi chuyển đổi. " +
        "Câu trả lời sẽ không chỉ được mục cụ thể.",
    });
  const short = body.filter((s) => ownText(s).join(" ").length < SHORT_SECTION_CHARS && !prepared.sections.some((c) => c.parent === s.id));
  if (short.length)
    out.push({
      code: "short_sections",
      text: `Có ${short.length} mục rất ngắn (dưới ${SHORT_SECTION_CHARS} ký tự): ${short
        .slice(0, 8)
        .map((s) => s.label)
        .join(", ")}. Có thể đoạn văn bị tách sai khi chuyển đổi.`,
    });
  for (const p of staged?.problems ?? []) out.push({ code: "validation", text: p });
  return out;
}

const sectionRow = (s: Section) => ({
  id: s.id,
  label: s.label,
  heading: s.heading,
  parent: s.parent ?? null,
  paragraphs: s.paragraphs.length,
});

/** The question the preview asks about a new plan: main plan or reference, and what each choice does. */
export interface RoleChoice {
  /** True for a new document that carries duties (a plan): its role decides where its deadlines go. */
  ask: boolean;
  /** What the page preselects; staff confirm or change it before committing. */
  suggested: DocumentRole;
  choices: Array<{ value: DocumentRole; label: string; effect: string }>;
}

export const ROLE_CHOICES: RoleChoice["choices"] = [
  {
    value: "primary",
    label: "Kế hoạch chính",
    effect:
      "Các hạn chót của kế hoạch hiện trong /hanchot, lịch hạn chót (lich.ics) và tin nhắc hạn; " +
      "câu hỏi không nêu tên văn bản được trả lời theo kế hoạch này trước.",
  },
  {
    value: "reference",
    label: "Văn bản tham khảo",
    effect:
      "Chỉ dùng để trả lời và trích dẫn khi câu hỏi cần đến; hạn chót của văn bản không vào /hanchot, lịch và tin nhắc " +
      "(khi kho chưa có kế hoạch chính nào, mọi kế hoạch đều được tính).",
  },
];

/**
 * A new plan is suggested as a main plan when the corpus has none, or when it comes from the issuer of a main
 * plan already there (the same office's next plan); another office's plan is suggested as reference.
 */
export function roleChoice(meta: DocumentMeta, staged: StagedChange): RoleChoice {
  const isNew = staged.diff.some((d) => d.id === meta.id && d.kind === "added");
  const current = staged.index.documents.find((d) => d.id === meta.id)?.role ?? meta.role ?? "reference";
  const ask = isNew && carriesDuties(meta);
  const primaries = staged.index.documents.filter((d) => d.id !== meta.id && d.role === "primary");
  const sameOffice = primaries.some((d) => d.issuer === meta.issuer);
  const suggested: DocumentRole = ask ? (primaries.length === 0 || sameOffice ? "primary" : "reference") : current;
  return { ask, suggested, choices: ROLE_CHOICES };
}

/** The preview JSON the console page renders. */
export function previewJson(prepared: PreparedDocument, staged: StagedChange, agencies: AgencyRegistry) {
  const duties = dutiesFromSections(prepared.sections, [prepared.meta], { all: true, agencies });
  return {
    document: prepared.meta,
    format: prepared.format,
    sections: prepared.sections.map(sectionRow),
    duties: duties.slice(0, 60).map((d) => ({
      section: d.section,
      sectionLabel: d.sectionLabel,
      line: dutyLine(d, agencies),
      deadline: d.deadline ? describeDeadline(d.deadline) : null,
      quote: d.quote,
    })),
    warnings: previewWarnings(prepared, staged),
    conversion: prepared.notes,
    missing: missingMeta(prepared),
    role: roleChoice(prepared.meta, staged),
    diff: staged.diff.filter((d) => d.kind !== "unchanged"),
  };
}
