// PDF (with a text layer) → plain lines. pdf.js gives positioned text runs; we rebuild visual lines and join
// lines that were only wrapped by the page width, so a provision stays one paragraph.
import { CorpusError } from "./errors.js";
import { DEFAULT_LIMITS, type IngestLimits, unpackedTooLarge } from "./limits.js";
import { joinWrapped, type VisualLine } from "./lines.js";
import type { ConversionNotes } from "./notes.js";
import { readScannedPages } from "./pdf-ocr.js";
import { scanPdf } from "./pdf-scan.js";
import { pageClock } from "./pdf-time.js";

interface Run {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
  eol: boolean;
}

/** Text runs → visual lines: a new line when the baseline moves (or pdf.js marks an end of line). */
function linesOf(runs: Run[]): VisualLine[] {
  const lines: VisualLine[] = [];
  let cur: VisualLine | null = null;
  let lastY = Number.NaN;
  let lastRight = 0;
  let breakNext = false;
  for (const r of runs) {
    const sameLine = cur && !breakNext && Math.abs(r.y - lastY) <= Math.max(2, r.size * 0.3);
    if (!sameLine) {
      if (cur) lines.push(cur);
      cur = { text: r.str, left: r.x, right: r.x + r.width };
    } else if (cur) {
      // Runs of one line may come without the space between them.
      const gap = r.x - lastRight;
      const needsSpace = gap > r.size * 0.15 && !/\s$/.test(cur.text) && !/^\s/.test(r.str);
      cur.text += (needsSpace ? " " : "") + r.str;
      cur.right = Math.max(cur.right, r.x + r.width);
    }
    if (r.str.trim()) {
      lastY = r.y;
      lastRight = r.x + r.width;
    }
    breakNext = r.eol;
  }
  if (cur) lines.push(cur);
  return lines.map((l) => ({ ...l, text: l.text.replace(/\s+/g, " ").trim() })).filter((l) => l.text);
}

type PdfDocument = Awaited<ReturnType<typeof import("pdfjs-dist/legacy/build/pdf.mjs").getDocument>["promise"]>;

async function openPdf(bytes: Buffer, fileName: string): Promise<PdfDocument> {
  // Loaded on first use: pdf.js is large and most commands never need it.
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the array it is given: pass a copy.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  try {
    return await task.promise;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "PasswordException")
      throw new CorpusError("encrypted_pdf", `Tệp PDF «${fileName}» được đặt mật khẩu. Hãy gửi bản không đặt mật khẩu.`, "encrypted PDF");
    throw new CorpusError(
      "corrupt_pdf",
      `Tệp PDF «${fileName}» bị hỏng nên không đọc được. Hãy xuất lại PDF hoặc gửi bản DOCX.`,
      `pdf.js could not open the PDF: ${(err as Error).message}`,
    );
  }
}

/** Called as each page starts, and with page 0 when the text layer is read (the conversion process reports
 * it, so its parent can time pages). */
export type PageProgress = (page: number, pages: number) => void;

/**
 * The text of every page, stopping as soon as the extracted text passes the limit, a page took longer than
 * maxPdfPageMs, the file longer than maxConvertMs, or the pace so far says reading every page would.
 */
async function pagesText(doc: PdfDocument, fileName: string, limits: IngestLimits, progress?: PageProgress): Promise<string[]> {
  const pages: string[] = [];
  let size = 0;
  const clock = pageClock(fileName, doc.numPages, limits);
  for (let p = 1; p <= doc.numPages; p++) {
    progress?.(p, doc.numPages);
    clock.start();
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    const runs: Run[] = [];
    for (const item of content.items) {
      if (!("str" in item)) continue;
      const t = item.transform as number[];
      runs.push({ str: item.str, x: t[4]!, y: t[5]!, width: item.width, size: Math.hypot(t[2]!, t[3]!) || 10, eol: item.hasEOL });
    }
    pages.push(joinWrapped(linesOf(runs)).join("\n"));
    page.cleanup();
    clock.done(p);
    size += Buffer.byteLength(pages[pages.length - 1]!);
    if (size > limits.maxTextBytes)
      throw unpackedTooLarge(fileName, "phần chữ trích ra", limits.maxTextBytes, `PDF text over the limit after page ${p}`);
  }
  // The text layer is read: OCR (its own time limits) may follow.
  progress?.(0, doc.numPages);
  return pages;
}

/** Whether a page paints an image (what a scanned page is); pages with neither text nor image are blank. */
async function pageHasImage(doc: PdfDocument, p: number): Promise<boolean> {
  const { OPS } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const images = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject]);
  const page = await doc.getPage(p);
  try {
    return (await page.getOperatorList()).fnArray.some((fn) => images.has(fn));
  } finally {
    page.cleanup();
  }
}

export async function pdfToText(
  bytes: Buffer,
  fileName: string,
  limits: IngestLimits = { ...DEFAULT_LIMITS, maxBytes: bytes.length },
  notes: ConversionNotes = {},
  progress?: PageProgress,
): Promise<string> {
  // Stream sizes and operator counts first: pdf.js has no limits of its own.
  await scanPdf(bytes, fileName, limits);
  const doc = await openPdf(bytes, fileName);
  try {
    if (doc.numPages > limits.maxPdfPages)
      throw new CorpusError(
        "too_large",
        `Tệp PDF «${fileName}» có ${doc.numPages.toLocaleString("vi-VN")} trang, ` +
          `vượt giới hạn ${limits.maxPdfPages.toLocaleString("vi-VN")} trang. Hãy chia nhỏ văn bản.`,
        `PDF has ${doc.numPages} pages (limit ${limits.maxPdfPages})`,
      );
    // Pages without a text layer (scans) are read by OCR when it is installed (./pdf-ocr.ts).
    const pages = await pagesText(doc, fileName, limits, progress);
    const text = (await readScannedPages(bytes, fileName, pages, limits, notes, (p) => pageHasImage(doc, p))).join("\n");
    const letters = (text.match(/\p{L}/gu) ?? []).length;
    if (letters < Math.max(20, doc.numPages * 5))
      throw new CorpusError(
        "no_text_layer",
        `PDF không có lớp văn bản (bản scan) — cần bản có chữ hoặc DOCX. (Tệp «${fileName}», ${doc.numPages} trang.)`,
        `PDF has no text layer (${letters} letters on ${doc.numPages} pages)`,
      );
    return text;
  } catch (err) {
    if (err instanceof CorpusError) throw err;
    throw new CorpusError(
      "corrupt_pdf",
      `Tệp PDF «${fileName}» bị hỏng nên không đọc hết được. Hãy xuất lại PDF hoặc gửi bản DOCX.`,
      `pdf.js failed while reading text: ${(err as Error).message}`,
    );
  } finally {
    await doc.destroy();
  }
}
