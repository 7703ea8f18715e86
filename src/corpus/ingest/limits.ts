// How much an upload may hold once unpacked: checked while reading it, so a small file that inflates to
// gigabytes (a zip bomb) or a PDF of endless pages is refused before it can fill memory.
import type { Config } from "../../config.js";
import { CorpusError } from "./errors.js";
import type { OcrOptions } from "./ocr.js";
import { formatMb } from "./sniff.js";

export interface IngestLimits {
  /** The upload itself. */
  maxBytes: number;
  maxZipEntries: number;
  /** Inflated size of any one zip entry. */
  maxEntryBytes: number;
  /** Inflated size of all zip entries together. */
  maxInflatedBytes: number;
  /** Inflated size of the main document part (word/document.xml). */
  maxXmlBytes: number;
  maxPdfPages: number;
  /** Extracted text (UTF-8 bytes). */
  maxTextBytes: number;
  /** Decoded size of any one PDF stream (content, fonts, forms; images are not decoded to read text). */
  maxPdfStreamBytes: number;
  /** Decoded size of all PDF streams together. */
  maxPdfDecodedBytes: number;
  /** Operators in one PDF content stream (a page's drawing program, or a form it draws). */
  maxPdfStreamOperators: number;
  /** Operators in all content streams of a PDF together. */
  maxPdfOperators: number;
  /** Wall time to read one PDF page's text. */
  maxPdfPageMs: number;
  /** Wall time to convert one file (in a child process it is killed past this, plus a short grace). */
  maxConvertMs: number;
  /** OCR of scanned PDF pages: time per page and per file (see ./ocr.ts DEFAULT_OCR). */
  ocr?: Partial<OcrOptions>;
}

export type LimitsConfig = Pick<
  Config,
  | "UPLOAD_MAX_BYTES"
  | "UPLOAD_MAX_ZIP_ENTRIES"
  | "UPLOAD_MAX_ENTRY_BYTES"
  | "UPLOAD_MAX_INFLATED_BYTES"
  | "UPLOAD_MAX_XML_BYTES"
  | "UPLOAD_MAX_PDF_PAGES"
  | "UPLOAD_MAX_TEXT_BYTES"
  | "UPLOAD_CONVERT_MAX_SECONDS"
  | "UPLOAD_PDF_PAGE_MAX_SECONDS"
  | "OCR_ENABLED"
  | "OCR_PAGE_TIMEOUT_MS"
  | "OCR_FILE_TIMEOUT_MS"
>;

export function limitsFrom(c: LimitsConfig): IngestLimits {
  return {
    maxBytes: c.UPLOAD_MAX_BYTES,
    maxZipEntries: c.UPLOAD_MAX_ZIP_ENTRIES,
    maxEntryBytes: c.UPLOAD_MAX_ENTRY_BYTES,
    maxInflatedBytes: c.UPLOAD_MAX_INFLATED_BYTES,
    maxXmlBytes: c.UPLOAD_MAX_XML_BYTES,
    maxPdfPages: c.UPLOAD_MAX_PDF_PAGES,
    maxTextBytes: c.UPLOAD_MAX_TEXT_BYTES,
    maxPdfStreamBytes: DEFAULT_LIMITS.maxPdfStreamBytes,
    maxPdfDecodedBytes: DEFAULT_LIMITS.maxPdfDecodedBytes,
    maxPdfStreamOperators: DEFAULT_LIMITS.maxPdfStreamOperators,
    maxPdfOperators: DEFAULT_LIMITS.maxPdfOperators,
    maxPdfPageMs: c.UPLOAD_PDF_PAGE_MAX_SECONDS * 1000,
    maxConvertMs: c.UPLOAD_CONVERT_MAX_SECONDS * 1000,
    ocr: { enabled: c.OCR_ENABLED, pageMs: c.OCR_PAGE_TIMEOUT_MS, fileMs: c.OCR_FILE_TIMEOUT_MS },
  };
}

/** The defaults of the configuration (for callers that only state the upload size). */
export const DEFAULT_LIMITS: Omit<IngestLimits, "maxBytes"> = {
  maxZipEntries: 2000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxInflatedBytes: 128 * 1024 * 1024,
  maxXmlBytes: 48 * 1024 * 1024,
  maxPdfPages: 1000,
  maxTextBytes: 8 * 1024 * 1024,
  // A text page's content stream is tens of kilobytes and a few thousand operators; embedded fonts a few MB.
  maxPdfStreamBytes: 64 * 1024 * 1024,
  maxPdfDecodedBytes: 256 * 1024 * 1024,
  maxPdfStreamOperators: 1_000_000,
  maxPdfOperators: 10_000_000,
  maxPdfPageMs: 10_000,
  maxConvertMs: 45_000,
};

export const limitsOf = (l: number | (Partial<IngestLimits> & { maxBytes: number })): IngestLimits =>
  typeof l === "number" ? { ...DEFAULT_LIMITS, maxBytes: l } : { ...DEFAULT_LIMITS, ...l };

/** Milliseconds as seconds, Vietnamese style ("2,5"). */
export const seconds = (ms: number) => (ms / 1000).toLocaleString("vi-VN", { maximumFractionDigits: 1 });

/** A refusal for a conversion that takes too long; `what` says what took too long (Vietnamese). */
export function tooSlow(fileName: string, what: string, english: string): CorpusError {
  return new CorpusError(
    "too_slow",
    `Tệp «${fileName}» bị từ chối: ${what}. Tệp có thể được tạo bất thường; hãy xuất lại PDF hoặc gửi bản DOCX, hoặc chia nhỏ văn bản.`,
    english,
  );
}

/** A refusal for content that unpacks beyond a limit; `what` names it for the operator. */
export function unpackedTooLarge(fileName: string, what: string, limit: number, english: string): CorpusError {
  return new CorpusError(
    "too_large",
    `Tệp «${fileName}» khi giải nén vượt giới hạn: ${what} lớn hơn ${formatMb(limit)}. ` +
      "Tệp có thể bị hỏng hoặc được tạo bất thường; hãy mở bằng Word, lưu lại rồi gửi lại, hoặc chia nhỏ văn bản.",
    english,
  );
}
