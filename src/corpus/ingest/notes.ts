// What a conversion did that staff should know before committing: OCR of scanned pages, legacy-font text
// converted to Unicode. Filled by the converters, carried back from the conversion child, shown in the preview.
import type { OcrReport } from "./ocr.js";

export type LegacyEncoding = "tcvn3" | "vni";

export interface ConversionNotes {
  ocr?: OcrReport;
  legacyFont?: {
    encoding: LegacyEncoding;
    /** "font": DOCX runs in a legacy font (.VnTime, VNI-Times…); "text": the whole text decoded as such. */
    detectedBy: "font" | "text";
  };
}
