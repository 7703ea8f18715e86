// Values that arrive percent-encoded in requests (X-Filename, filename*, ?filename=, cookies): a malformed one is
// the client's mistake (400 with a Vietnamese message), never a 500.
import { CorpusError } from "../corpus/ingest/errors.js";

/** `decodeURIComponent`, or undefined when `raw` is not valid percent-encoded UTF-8 ("%E0%A4%A"). */
export function tryDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** The decoded value of a request field, or a 400 refusal naming the field. */
export function decodeField(raw: string, field: string): string {
  const value = tryDecode(raw);
  if (value === undefined)
    throw new CorpusError(
      "usage",
      `Giá trị ${field} không hợp lệ (mã hóa phần trăm sai). Hãy mã hóa tên tệp bằng UTF-8 rồi gửi lại.`,
      `malformed percent-encoding in ${field}`,
    );
  return value;
}

/** A query parameter given once; repeated (?filename=a&filename=b) or not a string is a 400 refusal. */
export function singleQuery(value: unknown, field: string): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw new CorpusError("usage", `Tham số ${field} chỉ được ghi một lần.`, `repeated or structured query parameter ${field}`);
}
