// A refused corpus change: `vi` is what the operator reads (Vietnamese); `message` is for logs (English).

export type CorpusErrorCode =
  | "empty"
  | "too_large"
  | "unsupported"
  | "wrong_extension"
  | "not_utf8"
  | "corrupt_docx"
  | "corrupt_pdf"
  | "encrypted_pdf"
  | "no_text_layer"
  | "ocr_unavailable"
  | "ocr_timeout"
  | "ocr_failed"
  | "no_sections"
  | "bad_id"
  | "duplicate_id"
  | "duplicate_content"
  | "outside_corpus"
  | "not_found"
  | "bad_meta"
  | "in_use"
  | "busy"
  | "validation"
  | "no_version"
  | "no_snapshot"
  | "usage";

export class CorpusError extends Error {
  constructor(
    readonly code: CorpusErrorCode,
    readonly vi: string,
    english?: string,
  ) {
    super(english ?? `corpus change refused: ${code}`);
    this.name = "CorpusError";
  }
}

export const isCorpusError = (err: unknown): err is CorpusError => err instanceof CorpusError;

/** HTTP status for a refused change. */
export function httpStatusOf(err: CorpusError): number {
  switch (err.code) {
    case "too_large":
      return 413;
    case "not_found":
    case "no_version":
      return 404;
    case "busy":
      return 409;
    case "validation":
    case "no_sections":
      return 422;
    default:
      return 400;
  }
}
