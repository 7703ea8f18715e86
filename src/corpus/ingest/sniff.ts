// What an uploaded file really is: the extension must agree with the bytes (a ".pdf" that is a Word file, a
// ".txt" that is binary are refused), so a mislabelled file never reaches a converter.
import path from "node:path";
import { CorpusError } from "./errors.js";

export type SourceFormat = "docx" | "pdf" | "md" | "txt";

const EXTENSIONS: Record<string, SourceFormat> = { ".docx": "docx", ".pdf": "pdf", ".md": "md", ".txt": "txt" };
const ACCEPTED = "Chỉ nhận tệp .docx, .pdf (có lớp chữ), .md hoặc .txt (UTF-8).";

type Kind = "pdf" | "docx" | "zip" | "ole" | "other";

const startsWith = (b: Buffer, s: string | number[]) => b.subarray(0, s.length).equals(Buffer.from(s as string));

function kindOf(bytes: Buffer): Kind {
  // A PDF header may follow a little junk (allowed by readers): look in the first kilobyte.
  if (bytes.subarray(0, 1024).includes("%PDF-")) return "pdf";
  if (startsWith(bytes, "PK\x03\x04")) return bytes.includes("word/document.xml") ? "docx" : "zip";
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return "ole";
  return "other";
}

const kindName: Record<Kind, string> = {
  pdf: "PDF",
  docx: "Word (.docx)",
  zip: "tệp nén ZIP",
  ole: "Word/Excel đời cũ (.doc/.xls)",
  other: "không rõ định dạng",
};

export function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} MB`;
}

/** Size limit, before anything is read or downloaded. */
export function checkSize(size: number, maxBytes: number, fileName: string): void {
  if (size > maxBytes)
    throw new CorpusError(
      "too_large",
      `Tệp «${fileName}» nặng ${formatMb(size)}, vượt giới hạn ${formatMb(maxBytes)}. Hãy gửi bản nhỏ hơn (ví dụ bỏ hình ảnh, lưu lại dạng DOCX).`,
      `file too large: ${size} > ${maxBytes}`,
    );
}

/** The format of an upload, or a CorpusError saying (in Vietnamese) why it is refused. */
export function sniffFormat(bytes: Buffer, fileName: string, maxBytes: number): SourceFormat {
  checkSize(bytes.length, maxBytes, fileName);
  const ext = path.extname(fileName).toLowerCase();
  if (ext === ".doc")
    throw new CorpusError(
      "unsupported",
      `Tệp «${fileName}» là định dạng Word cũ (.doc). Hãy mở bằng Word và lưu lại dạng .docx rồi gửi lại.`,
      "legacy .doc",
    );
  const format = EXTENSIONS[ext];
  if (!format)
    throw new CorpusError("unsupported", `Không nhận tệp «${fileName}». ${ACCEPTED}`, `unsupported extension ${ext || "(none)"}`);
  if (bytes.length === 0 || (format !== "pdf" && format !== "docx" && !bytes.toString("utf8").trim()))
    throw new CorpusError("empty", `Tệp «${fileName}» rỗng, không có nội dung.`, "empty file");

  const kind = kindOf(bytes);
  const lying = (expected: string) =>
    new CorpusError(
      "wrong_extension",
      `Tệp «${fileName}» có đuôi ${ext} nhưng nội dung không phải ${expected} (nội dung là: ${kindName[kind]}). Hãy kiểm tra lại tệp.`,
      `extension ${ext} does not match content (${kind})`,
    );
  if (format === "pdf") {
    if (kind !== "pdf") throw lying("PDF");
    return format;
  }
  if (format === "docx") {
    if (kind === "ole")
      throw new CorpusError(
        "wrong_extension",
        `Tệp «${fileName}» thực chất là Word đời cũ (.doc) dù có đuôi .docx. Hãy lưu lại dạng .docx rồi gửi lại.`,
        "OLE file named .docx",
      );
    if (kind !== "docx") throw lying("Word (.docx)");
    return format;
  }
  // Plain text: no other format in disguise, no NUL bytes, valid UTF-8.
  if (kind !== "other") throw lying("văn bản thuần");
  if (bytes.includes(0))
    throw new CorpusError(
      "not_utf8",
      `Tệp «${fileName}» chứa dữ liệu nhị phân, không phải văn bản thuần. ${ACCEPTED}`,
      "NUL byte in text file",
    );
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusError(
      "not_utf8",
      `Tệp «${fileName}» không phải mã UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258). Hãy lưu lại với mã Unicode UTF-8 rồi gửi lại.`,
      "text file is not valid UTF-8",
    );
  }
  return format;
}
