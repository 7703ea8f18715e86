// A DOCX is a zip archive: before any converter unpacks it, read its central directory and inflate every
// entry into a byte counter (nothing kept), stopping at the first limit. Declared sizes are checked first
// (cheap), then actual ones, since headers can lie.
import zlib from "node:zlib";
import { CorpusError } from "./errors.js";
import { unpackedTooLarge, type IngestLimits } from "./limits.js";

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAIN_PART = "word/document.xml";

const corrupt = (fileName: string, english: string) =>
  new CorpusError(
    "corrupt_docx",
    `Tệp «${fileName}» bị hỏng hoặc không phải tài liệu Word hợp lệ nên không đọc được. Hãy mở bằng Word, lưu lại dạng .docx rồi gửi lại.`,
    english,
  );

function findEndRecord(bytes: Buffer): number {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) if (bytes.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** The central directory's entries; throws corrupt_docx when it cannot be read. */
function readEntries(bytes: Buffer, fileName: string, maxEntries: number): ZipEntry[] {
  const end = findEndRecord(bytes);
  if (end < 0) throw corrupt(fileName, "zip end-of-central-directory record not found");
  const count = bytes.readUInt16LE(end + 10);
  if (count > maxEntries)
    throw new CorpusError(
      "too_large",
      `Tệp «${fileName}» chứa quá nhiều thành phần (${count}, giới hạn ${maxEntries}).`,
      `zip has ${count} entries`,
    );
  const entries: ZipEntry[] = [];
  let p = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== CENTRAL) throw corrupt(fileName, "bad zip central directory entry");
    const nameLength = bytes.readUInt16LE(p + 28);
    entries.push({
      method: bytes.readUInt16LE(p + 10),
      compressedSize: bytes.readUInt32LE(p + 20),
      declaredSize: bytes.readUInt32LE(p + 24),
      localHeaderOffset: bytes.readUInt32LE(p + 42),
      name: bytes.toString("utf8", p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return entries;
}

/** Inflates `data` into a counter; resolves with the count, or with limit + 1 as soon as it passes `limit`. */
function inflatedSize(data: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
    let total = 0;
    inflate.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        inflate.destroy();
        resolve(limit + 1);
      }
    });
    inflate.on("end", () => resolve(total));
    inflate.on("error", reject);
    inflate.end(data);
  });
}

function entryData(bytes: Buffer, e: ZipEntry, fileName: string): Buffer {
  const h = e.localHeaderOffset;
  if (h + 30 > bytes.length || bytes.readUInt32LE(h) !== LOCAL) throw corrupt(fileName, `bad local header for ${e.name}`);
  const start = h + 30 + bytes.readUInt16LE(h + 26) + bytes.readUInt16LE(h + 28);
  if (start + e.compressedSize > bytes.length) throw corrupt(fileName, `zip entry ${e.name} runs past the end of the file`);
  return bytes.subarray(start, start + e.compressedSize);
}

/** Refuses a zip whose entries (declared or actual) exceed the limits; resolves with the total inflated size. */
export async function checkZip(bytes: Buffer, fileName: string, limits: IngestLimits): Promise<number> {
  const entries = readEntries(bytes, fileName, limits.maxZipEntries);
  const limitOf = (e: ZipEntry) => Math.min(limits.maxEntryBytes, e.name === MAIN_PART ? limits.maxXmlBytes : Infinity);
  const refuse = (e: ZipEntry, size: number, kind: string) =>
    e.name === MAIN_PART && size > limits.maxXmlBytes
      ? unpackedTooLarge(fileName, `phần nội dung chính (${MAIN_PART})`, limits.maxXmlBytes, `${MAIN_PART} ${kind} size over the limit`)
      : unpackedTooLarge(fileName, `thành phần «${e.name}»`, limits.maxEntryBytes, `zip entry ${e.name} ${kind} size over the limit`);
  const totalRefusal = (kind: string) =>
    unpackedTooLarge(fileName, "tổng nội dung", limits.maxInflatedBytes, `zip ${kind} inflated total over the limit`);
  let declared = 0;
  for (const e of entries) {
    if (e.declaredSize > limitOf(e)) throw refuse(e, e.declaredSize, "declared");
    declared += e.declaredSize;
  }
  if (declared > limits.maxInflatedBytes) throw totalRefusal("declared");
  let total = 0;
  for (const e of entries) {
    const data = entryData(bytes, e, fileName);
    const cap = Math.min(limitOf(e), limits.maxInflatedBytes - total);
    const size = e.method === 0 ? data.length : e.method === 8 ? await inflatedSize(data, cap).catch(() => -1) : -1;
    if (size < 0) throw corrupt(fileName, `zip entry ${e.name} cannot be inflated (method ${e.method})`);
    if (size > limitOf(e)) throw refuse(e, size, "actual");
    total += size;
    if (total > limits.maxInflatedBytes) throw totalRefusal("actual");
  }
  return total;
}
