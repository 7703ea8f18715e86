// A DOCX is a zip archive: before any converter unpacks it, find its entries (central directory and local
// headers, never the end record's count alone) and inflate every entry into a byte counter (nothing kept),
// stopping at the first limit. Declared sizes are checked first (cheap), then actual ones, since headers can lie.
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
const DESCRIPTOR = 0x08074b50;
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

const tooMany = (fileName: string, count: number, maxEntries: number) =>
  new CorpusError(
    "too_large",
    `Tệp «${fileName}» chứa quá nhiều thành phần (${count}, giới hạn ${maxEntries}).`,
    `zip has ${count} entries`,
  );

/** Every record of the central directory, walked by signature up to the end record (what unzippers read),
 * whatever count the end record states. */
function centralEntries(bytes: Buffer, start: number, end: number, fileName: string, maxEntries: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  for (let p = start; p + 46 <= end && bytes.readUInt32LE(p) === CENTRAL; ) {
    const nameLength = bytes.readUInt16LE(p + 28);
    entries.push({
      method: bytes.readUInt16LE(p + 10),
      compressedSize: bytes.readUInt32LE(p + 20),
      declaredSize: bytes.readUInt32LE(p + 24),
      localHeaderOffset: bytes.readUInt32LE(p + 42),
      name: bytes.toString("utf8", p + 46, p + 46 + nameLength),
    });
    if (entries.length > maxEntries) throw tooMany(fileName, entries.length, maxEntries);
    p += 46 + nameLength + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return entries;
}

/** Entries found by walking the local headers from the start of the file (what streaming unzippers read): each
 * header, its data (size from the central directory when it lists that offset), an optional data descriptor. */
function localEntries(bytes: Buffer, central: Map<number, ZipEntry>, fileName: string, maxEntries: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  for (let p = 0; p + 30 <= bytes.length && bytes.readUInt32LE(p) === LOCAL; ) {
    const nameLength = bytes.readUInt16LE(p + 26);
    const dataStart = p + 30 + nameLength + bytes.readUInt16LE(p + 28);
    const known = central.get(p);
    const compressedSize = known?.compressedSize ?? bytes.readUInt32LE(p + 18);
    const descriptor = (bytes.readUInt16LE(p + 6) & 0x08) !== 0;
    // Sizes in a trailing descriptor and no central record for this header: where the data ends is unknown.
    if (!known && descriptor && compressedSize === 0) break;
    entries.push(
      known ?? {
        method: bytes.readUInt16LE(p + 8),
        compressedSize,
        declaredSize: bytes.readUInt32LE(p + 22),
        localHeaderOffset: p,
        name: bytes.toString("utf8", p + 30, p + 30 + nameLength),
      },
    );
    if (entries.length > maxEntries) throw tooMany(fileName, entries.length, maxEntries);
    p = dataStart + compressedSize;
    if (descriptor) p += p + 4 <= bytes.length && bytes.readUInt32LE(p) === DESCRIPTOR ? 16 : 12;
  }
  return entries;
}

/**
 * The archive's entries, found without trusting the end record's count: the central directory walked to its end
 * and the local headers walked from the start. An end record that under- or over-counts is refused (a hostile
 * archive hides an entry from checkers that stop at the count); entries only the local walk finds are checked too.
 */
function readEntries(bytes: Buffer, fileName: string, maxEntries: number): ZipEntry[] {
  const end = findEndRecord(bytes);
  if (end < 0) throw corrupt(fileName, "zip end-of-central-directory record not found");
  const stated = bytes.readUInt16LE(end + 10);
  if (stated > maxEntries) throw tooMany(fileName, stated, maxEntries);
  const central = centralEntries(bytes, bytes.readUInt32LE(end + 16), end, fileName, maxEntries);
  if (central.length !== stated)
    throw corrupt(fileName, `zip end record states ${stated} entries, the central directory holds ${central.length}`);
  const byOffset = new Map(central.map((e) => [e.localHeaderOffset, e]));
  const hidden = localEntries(bytes, byOffset, fileName, maxEntries).filter((e) => !byOffset.has(e.localHeaderOffset));
  if (central.length + hidden.length > maxEntries) throw tooMany(fileName, central.length + hidden.length, maxEntries);
  return [...central, ...hidden];
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
