// Before pdf.js reads a PDF: every stream it would decode to extract text (page contents, forms, fonts, object
// streams; not images) is decoded here into a counter, stopping at the first limit, and the operators of content
// streams are counted. pdf.js keeps a decoded stream whole in memory and has no limits of its own: a 1 MB file
// can hold a content stream that inflates to gigabytes, or millions of operators on a page.
// Streams of an encrypted PDF cannot be read without its key: they are left to the conversion process's memory
// and time limits (convertInChild).
import zlib from "node:zlib";
import { CorpusError } from "./errors.js";
import { type IngestLimits, unpackedTooLarge } from "./limits.js";

export interface PdfScan {
  streams: number;
  decodedBytes: number;
  operators: number;
  /** Streams were not readable (encrypted PDF). */
  encrypted: boolean;
}

/** Inflates zlib or raw deflate data, keeping at most `limit` bytes; `over` when there was more. Stops at the
 * first corrupt byte (what was inflated up to there counts, as pdf.js would use it). */
export function inflateCapped(data: Uint8Array, limit: number, raw = false): Promise<{ data: Buffer; over: boolean }> {
  return new Promise((resolve) => {
    const inflate = raw ? zlib.createInflateRaw({ chunkSize: 256 * 1024 }) : zlib.createInflate({ chunkSize: 256 * 1024 });
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (over: boolean) => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve({ data: Buffer.concat(chunks), over });
    };
    inflate.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) return finish(true);
      chunks.push(chunk);
    });
    inflate.on("end", () => finish(false));
    inflate.on("error", () => finish(false));
    inflate.end(data);
  });
}

/** LZW (PDF's LZWDecode, early change 1), at most `limit` bytes. */
function lzw(data: Uint8Array, limit: number): { data: Buffer; over: boolean } {
  // A 12-bit code stands for at most 4096 bytes: the output is bounded by about 3700 × the input.
  const out = Buffer.alloc(Math.min(limit + 1, data.length * 3700 + 1024));
  let n = 0;
  let table: number[][] = [];
  const reset = () => (table = Array.from({ length: 258 }, (_, i) => (i < 256 ? [i] : [])));
  reset();
  let width = 9;
  let bits = 0;
  let acc = 0;
  let prev: number[] | null = null;
  for (const byte of data) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= width) {
      const code = (acc >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      if (code === 256) {
        reset();
        width = 9;
        prev = null;
        continue;
      }
      if (code === 257) return { data: out.subarray(0, n), over: false };
      const entry: number[] | null = table[code]?.length ? table[code]! : prev ? [...prev, prev[0]!] : null;
      if (!entry) return { data: out.subarray(0, n), over: false };
      for (const b of entry) {
        if (n >= out.length) return { data: out.subarray(0, n), over: n > limit || out.length > limit };
        out[n++] = b;
      }
      if (prev && table.length < 4096) table.push([...prev, entry[0]!]);
      prev = entry;
      if (table.length + 1 >= 1 << width && width < 12) width++;
    }
  }
  return { data: out.subarray(0, n), over: n > limit };
}

/** Run-length, ASCII hex and ASCII 85 decoding: bounded growth (at most 64×, usually less than 1×). */
function simpleDecode(filter: string, data: Buffer): Buffer | null {
  if (filter === "ASCIIHexDecode" || filter === "AHx") return Buffer.from(data.toString("latin1").replace(/[^0-9a-f]/gi, ""), "hex");
  if (filter === "RunLengthDecode" || filter === "RL") {
    const out: number[] = [];
    for (let i = 0; i < data.length; ) {
      const len = data[i++]!;
      if (len === 128) break;
      if (len < 128) for (let j = 0; j <= len && i < data.length; j++) out.push(data[i++]!);
      else for (let j = 0, b = data[i++]!; j < 257 - len; j++) out.push(b);
    }
    return Buffer.from(out);
  }
  if (filter === "ASCII85Decode" || filter === "A85") {
    const text = data.toString("latin1").replace(/\s/g, "").replace(/~>.*$/, "").replace(/z/g, "!!!!!");
    const out: number[] = [];
    for (let i = 0; i < text.length; i += 5) {
      const group = text.slice(i, i + 5).padEnd(5, "u");
      let v = 0;
      for (const c of group) v = v * 85 + (c.charCodeAt(0) - 33);
      const bytes = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
      out.push(...bytes.slice(0, Math.min(4, text.length - i - 1)));
    }
    return Buffer.from(out);
  }
  return null;
}

const IMAGE_FILTERS = new Set(["DCTDecode", "DCT", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode", "CCF", "Crypt"]);

/** A stream through its filter chain, each stage capped at `limit`; null when a stage is an image codec. */
async function decode(data: Buffer, filters: string[], limit: number): Promise<{ data: Buffer; over: boolean } | null> {
  let current = { data, over: false };
  for (const f of filters) {
    if (IMAGE_FILTERS.has(f)) return null;
    if (f === "FlateDecode" || f === "Fl") {
      const zlibbed = await inflateCapped(current.data, limit);
      current = zlibbed.data.length || zlibbed.over ? zlibbed : await inflateCapped(current.data, limit, true);
    } else if (f === "LZWDecode" || f === "LZW") current = lzw(current.data, limit);
    else {
      const out = simpleDecode(f, current.data);
      if (!out) return null;
      current = { data: out.subarray(0, limit + 1), over: out.length > limit };
    }
    if (current.over) return current;
  }
  return current;
}

/** Operators of a content stream: tokens that are neither operands (numbers, names, strings, arrays,
 * dictionaries) nor comments; inline image data (between ID and EI) is skipped. */
export function countOperators(bytes: Uint8Array, stopAfter = Number.POSITIVE_INFINITY): number {
  let count = 0;
  let i = 0;
  const n = bytes.length;
  const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0;
  const isDelimiter = (c: number) =>
    isSpace(c) || c === 40 || c === 41 || c === 60 || c === 62 || c === 91 || c === 93 || c === 123 || c === 125 || c === 47 || c === 37;
  while (i < n && count <= stopAfter) {
    const c = bytes[i]!;
    if (isSpace(c)) i++;
    else if (c === 37) while (i < n && bytes[i] !== 10 && bytes[i] !== 13) i++;
    else if (c === 40) {
      let depth = 0;
      for (; i < n; i++) {
        const d = bytes[i]!;
        if (d === 92) i++;
        else if (d === 40) depth++;
        else if (d === 41 && --depth === 0) break;
      }
      i++;
    } else if (c === 60 && bytes[i + 1] !== 60) {
      while (i < n && bytes[i] !== 62) i++;
      i++;
    } else if (c === 47 || c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57) || isDelimiter(c)) {
      i++;
      while (i < n && !isDelimiter(bytes[i]!)) i++;
    } else {
      const start = i;
      while (i < n && !isDelimiter(bytes[i]!)) i++;
      const word = String.fromCharCode(...bytes.subarray(start, Math.min(i, start + 6)));
      if (word === "true" || word === "false" || word === "null") continue;
      count++;
      // Inline image: binary data up to " EI".
      if (word === "ID")
        for (i++; i < n; i++)
          if (bytes[i] === 69 && bytes[i + 1] === 73 && isSpace(bytes[i - 1]!) && (i + 2 >= n || isDelimiter(bytes[i + 2]!))) break;
    }
  }
  return count;
}

interface RawStream {
  dict: string;
  data: Buffer;
}

/** Every stream object of the file: its dictionary (the text since the object's start) and its raw data. */
function* rawStreams(bytes: Buffer): Generator<RawStream> {
  const text = bytes.toString("latin1");
  const keyword = /stream\r?\n/g;
  for (let m = keyword.exec(text); m; m = keyword.exec(text)) {
    if (text.slice(Math.max(0, m.index - 3), m.index).includes("end")) continue;
    const objStart = text.lastIndexOf(" obj", m.index);
    const dict = text.slice(Math.max(objStart, m.index - 65_536), m.index);
    if (!dict.includes(">>")) continue;
    const start = m.index + m[0].length;
    const direct = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    let end = direct ? start + Number(direct[1]) : -1;
    if (end < 0 || end > text.length || !text.slice(end, end + 20).includes("endstream")) end = text.indexOf("endstream", start);
    if (end < 0) end = text.length;
    yield { dict, data: bytes.subarray(start, end) };
    keyword.lastIndex = end;
  }
}

const filtersOf = (dict: string): string[] => {
  const m = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict);
  return m ? [...m[1]!.matchAll(/\/([A-Za-z0-9]+)/g)].map((x) => x[1]!) : [];
};

/** Page contents and form XObjects (not images, fonts, colour profiles, metadata, cross-reference streams). */
const isContent = (dict: string) =>
  !/\/Subtype\s*\/(?!Form\b)/.test(dict) && !/\/Type\s*\/(?!XObject\b)/.test(dict) && !/\/Length[123]\b|\/N\s+\d/.test(dict);

const refuse = (fileName: string, english: string, vi: string) =>
  new CorpusError("too_large", `Tệp PDF «${fileName}» bị từ chối: ${vi}. Hãy xuất lại PDF hoặc gửi bản DOCX.`, english);

/** Decodes every stream into counters; throws a too_large CorpusError (Vietnamese) at the first limit passed. */
export async function scanPdf(bytes: Buffer, fileName: string, limits: IngestLimits): Promise<PdfScan> {
  const scan: PdfScan = { streams: 0, decodedBytes: 0, operators: 0, encrypted: bytes.includes("/Encrypt") };
  if (scan.encrypted) return scan;
  for (const { dict, data } of rawStreams(bytes)) {
    if (/\/Subtype\s*\/Image\b/.test(dict)) continue;
    const cap = Math.min(limits.maxPdfStreamBytes, limits.maxPdfDecodedBytes - scan.decodedBytes);
    const decoded = await decode(data, filtersOf(dict), cap);
    if (!decoded) continue;
    scan.streams++;
    if (decoded.over)
      throw cap === limits.maxPdfStreamBytes
        ? unpackedTooLarge(
            fileName,
            "một luồng nội dung PDF",
            limits.maxPdfStreamBytes,
            `PDF stream decodes past ${limits.maxPdfStreamBytes} bytes`,
          )
        : unpackedTooLarge(
            fileName,
            "tổng các luồng nội dung PDF",
            limits.maxPdfDecodedBytes,
            `PDF streams decode past ${limits.maxPdfDecodedBytes} bytes`,
          );
    scan.decodedBytes += decoded.data.length;
    if (!isContent(dict)) continue;
    const operators = countOperators(decoded.data, limits.maxPdfStreamOperators);
    scan.operators += operators;
    if (operators > limits.maxPdfStreamOperators)
      throw refuse(
        fileName,
        `PDF content stream has over ${limits.maxPdfStreamOperators} operators`,
        `một trang có hơn ${limits.maxPdfStreamOperators.toLocaleString("vi-VN")} lệnh vẽ`,
      );
    if (scan.operators > limits.maxPdfOperators)
      throw refuse(
        fileName,
        `PDF has over ${limits.maxPdfOperators} operators`,
        `tệp có hơn ${limits.maxPdfOperators.toLocaleString("vi-VN")} lệnh vẽ`,
      );
  }
  return scan;
}
