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
};

export const limitsOf = (l: number | (Partial<IngestLimits> & { maxBytes: number })): IngestLimits =>
  typeof l === "number" ? { ...DEFAULT_LIMITS, maxBytes: l } : { ...DEFAULT_LIMITS, ...l };

/** A refusal for content that unpacks beyond a limit; `what` names it for the operator. */
export function unpackedTooLarge(fileName: string, what: string, limit: number, english: string): CorpusError {
  return new CorpusError(
    "too_large",
    `Tệp «${fileName}» khi giải nén vượt giới hạn: ${what} lớn hơn ${formatMb(limit)}. ` +
      "Tệp có thể bị hỏng hoặc được tạo bất thường; hãy mở bằng Word, lưu lại rồi gửi lại, hoặc chia nhỏ văn bản.",
    english,
  );
}
