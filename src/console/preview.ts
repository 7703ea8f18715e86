// What the console shows of a staged upload before it is committed: metadata, the section tree, the duties and
// deadlines found, and warnings about conversion problems staff should check against the original.
import type { StagedChange } from "../admin/preview.js";
import type { PreparedDocument } from "../corpus/ingest/index.js";
import { describeDeadline, dutyLine, type AgencyRegistry } from "../duties/index.js";
import { dutiesFromSections } from "../duties/load.js";
import { ownText } from "../sections/parse.js";
import type { Section } from "../types.js";

const STRUCTURAL = new Set(["preamble", "recipients", "signature"]);

/**
 * Old 8-bit Vietnamese fonts put their letters on Latin-1 code points, which survive conversion as those
 * characters. None of the ones below is a Vietnamese letter, so Unicode text has (almost) none of them.
 * TCVN3 (ABC, .VnTime): "Céng hoµ x· héi chñ nghÜa ViÖt Nam"; VNI: "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam".
 */
const TCVN3_CHARS = /[µ¶·¸¹¨©ª«¬®§½¾ÆÇË×Þßþ¡¢£¤¥¦Ü]/g;
const VNI_CHARS = /[øûïäåëöñÑÖØÛÏÄ]/g;
/** Letters only Unicode Vietnamese has: precomposed tone marks (ạ…ỹ) and ă đ ơ ư. */
const VIETNAMESE = /[\u1EA0-\u1EF9ăđơưĂĐƠƯ]/g;

/** "tcvn3" or "vni" when the text looks typed in an old font encoding, else null. */
export function legacyEncoding(text: string): "tcvn3" | "vni" | null {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  const tcvn = count(TCVN3_CHARS);
  const vni = count(VNI_CHARS);
  const suspect = Math.max(tcvn, vni);
  if (suspect < 10 || suspect < count(VIETNAMESE)) return null;
  return tcvn >= vni ? "tcvn3" : "vni";
}

export interface PreviewWarning {
  code: "legacy_font" | "little_text" | "no_numbering" | "short_sections" | "validation";
  text: string;
}

const SHORT_SECTION_CHARS = 30;

/** Conversion problems worth a look before committing. */
export function previewWarnings(prepared: PreparedDocument, staged?: StagedChange): PreviewWarning[] {
  const out: PreviewWarning[] = [];
  const legacy = legacyEncoding(prepared.text);
  if (legacy)
    out.push({
      code: "legacy_font",
      text:
        `Văn bản có vẻ được gõ bằng phông cũ ${legacy === "tcvn3" ? "TCVN3 (ABC, .VnTime)" : "VNI (VNI-Times)"}: ` +
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
    diff: staged.diff.filter((d) => d.kind !== "unchanged"),
  };
}
