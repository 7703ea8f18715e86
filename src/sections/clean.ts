// Conversion-artefact repair: from a raw .txt/.md file to clean logical lines.
// What is repaired: YAML front matter, HTML comments, Markdown escapes and emphasis, codification notes,
// stray page-number lines, "./S" endings, and paragraphs broken mid-sentence by a page break.
import { nfc } from "../text/vietnamese.js";

export interface Line {
  text: string;
  /** Markdown heading level (# = 1), 0 for none. */
  md: number;
  /** Cells when the line is a Markdown table row (separator rows are dropped). */
  cells?: string[];
  /** "[TRÍCH - CHỈ ĐOẠN ĐẦU …]" style editorial markers: not law text. */
  note?: boolean;
}

/** Lines that may never be joined to the line before (they start a new unit). */
export const STRUCTURE_RE = /^(Điều\s+\d+|[IVXL]+\s*[.\-–]\s|\d+(\.\d+)?\s*[.-]\s|[a-zđ]\)\s|[-–•+]\s|(Nơi|Noi) nhận|PHỤ LỤC)/u;

export function stripFrontMatter(raw: string): { body: string; frontMatter: string | null } {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(raw);
  return m ? { body: raw.slice(m[0].length), frontMatter: m[1]! } : { body: raw, frontMatter: null };
}

/** Inline Markdown → plain text: escapes, emphasis, runs of spaces. */
export function cleanInline(text: string): string {
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!&|<>~"'])/g, "$1")
    .replace(/\*+/g, "")
    .replace(/\s+/g, " ")
    .replace(/(\.\/S|\.\/\.|\/S)$/u, ".")
    .trim();
}

const CODIFICATION_NOTE = /^\((Điều\s+\d+[a-zđ]?\s|Điều này có nội dung liên quan)/u;
const EDITORIAL_NOTE = /^\[(TRÍCH|GHI CHÚ)[^\]]*\]$/u;
const PAGE_NUMBER = /^\d{1,3}$/;
const TABLE_SEPARATOR = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/;

export function cleanLines(raw: string): Line[] {
  const { body } = stripFrontMatter(nfc(raw).replace(/\r\n?/g, "\n"));
  const text = body.replace(/<!--[\s\S]*?-->/g, "");
  const out: Line[] = [];
  for (const rawLine of text.split("\n")) {
    const trimmed = rawLine.trim();
    if (!trimmed || TABLE_SEPARATOR.test(trimmed)) continue;
    if (trimmed.startsWith("|")) {
      const cells = trimmed
        .replace(/^\|/, "")
        .replace(/\|$/, "")
        .split("|")
        .map((c) => cleanInline(c).replace(/-{3,}/g, "").trim());
      if (cells.some((c) => c)) out.push({ text: cells.filter(Boolean).join(" "), md: 0, cells });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(trimmed);
    const md = heading ? heading[1]!.length : 0;
    let clean = cleanInline(heading ? heading[2]! : trimmed);
    // A multi-line table cell closes with "… |".
    clean = clean.replace(/\s*\|$/, "").trim();
    if (!clean || PAGE_NUMBER.test(clean) || CODIFICATION_NOTE.test(clean)) continue;
    if (EDITORIAL_NOTE.test(clean)) {
      out.push({ text: clean, md: 0, note: true });
      continue;
    }
    const prev = out[out.length - 1];
    const continues =
      prev &&
      !prev.cells &&
      !prev.note &&
      md === 0 &&
      prev.md === 0 &&
      /^[\p{Ll}\d]/u.test(clean) &&
      !STRUCTURE_RE.test(clean) &&
      !/[.;:!?]$/.test(prev.text);
    if (continues) prev.text = `${prev.text} ${clean}`;
    else out.push({ text: clean, md });
  }
  return out;
}
