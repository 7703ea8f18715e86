// The PDF converter's OCR step: pages whose text layer is (nearly) empty are read by OCR (./ocr.ts) and put
// back in page order; the preview learns which pages were OCR'd and how sure tesseract was.
import { CorpusError } from "./errors.js";
import type { IngestLimits } from "./limits.js";
import { joinWrapped } from "./lines.js";
import type { ConversionNotes } from "./notes.js";
import { DEFAULT_OCR, ocrPdfPages, ocrReport, type OcrPage } from "./ocr.js";

/** A page with fewer letters than this has no usable text layer. */
const MIN_PAGE_LETTERS = 5;

const letters = (t: string) => (t.match(/\p{L}/gu) ?? []).length;

/** An OCR'd page as text lines, lines wrapped by the page width joined as for a text layer. */
const pageText = (p: OcrPage) => joinWrapped(p.lines).join("\n");

const ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"];
const isSubsequence = (short: string, long: string) => {
  let i = 0;
  for (const c of long) if (c === short[i]) i++;
  return i === short.length;
};

/**
 * OCR drops a stroke of a Roman numeral now and then ("III." read as "II."): a capitalised top heading whose
 * numeral does not follow the previous one, but is the expected numeral with a stroke missing, is renumbered.
 */
export function repairRomanHeadings(text: string): string {
  let last = 0;
  return text
    .split("\n")
    .map((line) => {
      const m = /^([IVXl1]+)\.(\s+)(\p{Lu}[\p{Lu}\s,;–-]{3,})$/u.exec(line);
      if (!m) return line;
      const read = m[1]!.replace(/[l1]/g, "I");
      const expected = ROMAN[last + 1] ?? "";
      const n = ROMAN.indexOf(read);
      if (n === last + 1 || !expected || (n > last + 1 && n < ROMAN.length) || !isSubsequence(read, expected)) {
        last = n > 0 ? n : last;
        return line;
      }
      last += 1;
      return `${expected}.${m[2]}${m[3]}`;
    })
    .join("\n");
}

/**
 * `pages` (text per page) with the scanned ones (an image and no text) replaced by their OCR text. A text PDF with a few blank pages
 * is not refused when OCR is not installed: only the blank pages go unread.
 */
export async function readScannedPages(
  bytes: Buffer,
  fileName: string,
  pages: string[],
  limits: IngestLimits,
  notes: ConversionNotes,
  hasImage: (page: number) => Promise<boolean>,
): Promise<string[]> {
  const o = { ...DEFAULT_OCR, ...limits.ocr };
  if (!o.enabled) return pages;
  const scanned: number[] = [];
  for (const [i, t] of pages.entries()) if (letters(t) < MIN_PAGE_LETTERS && (await hasImage(i + 1))) scanned.push(i + 1);
  if (!scanned.length) return pages;
  const hasTextLayer = letters(pages.join("")) >= Math.max(20, pages.length * MIN_PAGE_LETTERS);
  let read: OcrPage[];
  try {
    read = await ocrPdfPages(bytes, fileName, scanned, o);
  } catch (err) {
    if (hasTextLayer && err instanceof CorpusError && err.code === "ocr_unavailable") return pages;
    if (err instanceof CorpusError) throw err;
    throw new CorpusError(
      "ocr_failed",
      `Không nhận dạng được chữ trong bản scan «${fileName}». Hãy quét lại rõ hơn hoặc gửi bản DOCX/PDF có chữ.`,
      `OCR failed: ${(err as Error).message}`,
    );
  }
  const withWords = read.filter((p) => p.words > 0);
  if (withWords.length) notes.ocr = ocrReport(withWords, o.doubtBelow);
  const out = [...pages];
  for (const p of withWords) out[p.page - 1] = pageText(p);
  // Headings run across pages: numerals are repaired over the whole document.
  return repairRomanHeadings(out.join("\n")).split("\n");
}
