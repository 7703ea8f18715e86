// A refused corpus change: `vi` is what the operator reads (Vietnamese); `message` is for logs (English).

export type CorpusErrorCode =
  | "empty"
  | "too_large"
  | "too_slow"
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
  | "usage"
  /** The change stopped midway (its cluster-wide lock was lost with the database connection): try again. */
  | "interrupted"
  /** The disk is full: nothing was changed. */
  | "no_space";

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

/** A write refused because the disk (or the quota) is full: the operator's refusal (507), else `err` unchanged. */
export function noSpaceRefusal(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== "ENOSPC" && code !== "EDQUOT") return err;
  return new CorpusError(
    "no_space",
    "Máy chủ đã hết dung lượng đĩa nên chưa lưu được thay đổi; kho văn bản vẫn giữ nguyên. " +
      "Vui lòng báo người quản trị hệ thống giải phóng dung lượng rồi thử lại.",
    `disk full (${code}): ${(err as Error).message}`,
  );
}

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
    case "interrupted":
      return 503;
    case "no_space":
      return 507;
    case "validation":
    case "no_sections":
    case "too_slow":
      return 422;
    default:
      return 400;
  }
}
