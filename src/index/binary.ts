// Typed arrays ↔ files, written and read in bounded chunks (no buffer or string the size of the corpus).
import fs from "node:fs";
import { checkSize, type FileCheck, verifier } from "./integrity.js";

const CHUNK_BYTES = 8 * 2 ** 20;

type Typed = Uint32Array | Float32Array | Uint8Array;

export function writeTyped(file: string, array: Typed): void {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const fd = fs.openSync(file, "w");
  try {
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) fs.writeSync(fd, bytes, at, Math.min(CHUNK_BYTES, bytes.length - at));
  } finally {
    fs.closeSync(fd);
  }
}

/** A whole file; with `check`, its size and CRC-32 are verified (IndexDamagedError naming the file). */
function readBytes(file: string, check?: FileCheck): Uint8Array {
  checkSize(file, check);
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const out = new Uint8Array(size);
    const v = verifier(file, check);
    for (let at = 0; at < size; ) {
      const n = fs.readSync(fd, out, at, Math.min(CHUNK_BYTES, size - at), at);
      if (n <= 0) throw new Error(`Short read of ${file}`);
      v.update(out.subarray(at, at + n));
      at += n;
    }
    v.done();
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

export const readUint32 = (file: string, check?: FileCheck) => {
  const b = readBytes(file, check);
  return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

export const readFloat32 = (file: string, check?: FileCheck) => {
  const b = readBytes(file, check);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

/** Some rows of a file of Float32 rows of `dims` values, read without loading the rest of the file. */
export function readFloat32Rows(file: string, dims: number, rows: number[]): Map<number, Float32Array> {
  const out = new Map<number, Float32Array>();
  const fd = fs.openSync(file, "r");
  try {
    for (const row of rows) {
      const v = new Float32Array(dims);
      fs.readSync(fd, new Uint8Array(v.buffer), 0, dims * 4, row * dims * 4);
      out.set(row, v);
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** Strings without newlines, one a line, streamed out in chunks. */
export function writeLines(file: string, lines: Iterable<string>): void {
  const fd = fs.openSync(file, "w");
  try {
    let buf: string[] = [];
    let size = 0;
    for (const line of lines) {
      buf.push(line);
      size += line.length + 1;
      if (size >= CHUNK_BYTES / 4) {
        fs.writeSync(fd, `${buf.join("\n")}\n`);
        buf = [];
        size = 0;
      }
    }
    if (buf.length) fs.writeSync(fd, `${buf.join("\n")}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Calls `each` for every line of a file written by writeLines, reading it chunk by chunk (verified against
 * `check` when given: the last line is only handed over once the whole file matched). */
export function forEachLine(file: string, each: (line: string, i: number) => void, check?: FileCheck): void {
  checkSize(file, check);
  const v = verifier(file, check);
  const fd = fs.openSync(file, "r");
  // Sized to the file when smaller than a chunk: merges read thousands of small segment files.
  const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK_BYTES, fs.fstatSync(fd).size)));
  const decoder = new TextDecoder("utf-8");
  let rest = "";
  let i = 0;
  try {
    for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) {
      v.update(chunk.subarray(0, n));
      const lines = (rest + decoder.decode(chunk.subarray(0, n), { stream: true })).split("\n");
      rest = lines.pop()!;
      for (const line of lines) each(line, i++);
    }
    rest += decoder.decode();
    v.done();
    if (rest) each(rest, i);
  } finally {
    fs.closeSync(fd);
  }
}

type TypedCtor = Uint32ArrayConstructor | Float32ArrayConstructor;

/**
 * A file of 32-bit values read front to back through a fixed buffer of `chunk` values: a merge streams
 * postings arrays the size of the corpus without holding them. With `check`, `close()` verifies size and CRC-32.
 */
export class TypedReader {
  private readonly buf: Uint32Array | Float32Array;
  private readonly bytes: Uint8Array;
  private readonly fd: number;
  private readonly v: ReturnType<typeof verifier>;
  private pos = 0;
  private len = 0;
  private at = 0;
  private open = true;

  constructor(
    private readonly file: string,
    Ctor: TypedCtor,
    check?: FileCheck,
    chunk = CHUNK_BYTES / 4,
  ) {
    checkSize(file, check);
    this.buf = new Ctor(chunk);
    this.bytes = new Uint8Array(this.buf.buffer);
    this.v = verifier(file, check);
    this.fd = fs.openSync(file, "r");
  }

  /** The next value (throws past the end of the file). */
  next(): number {
    if (this.pos === this.len) this.fill();
    return this.buf[this.pos++]!;
  }

  private fill(): void {
    const n = this.readChunk();
    if (n <= 0 || n % 4) throw new Error(`Short read of ${this.file}`);
    this.pos = 0;
    this.len = n / 4;
  }

  /** Reads the next bytes of the file into the buffer, through the checksum; returns how many (0 at the end). */
  private readChunk(): number {
    const n = fs.readSync(this.fd, this.bytes, 0, this.bytes.length, this.at);
    this.v.update(this.bytes.subarray(0, n));
    this.at += n;
    return n;
  }

  /** Reads what is left (so the whole file is verified), checks it, closes the file. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    try {
      while (this.readChunk() > 0);
      this.v.done();
    } finally {
      fs.closeSync(this.fd);
    }
  }

  /** Closes the file without verifying (after an error). */
  abandon(): void {
    if (this.open) fs.closeSync(this.fd);
    this.open = false;
  }
}

/** A file of 32-bit values written front to back through a fixed buffer of `chunk` values. */
export class TypedWriter {
  private readonly buf: Uint32Array | Float32Array;
  private readonly fd: number;
  private n = 0;
  written = 0;

  constructor(file: string, Ctor: TypedCtor, chunk = CHUNK_BYTES / 4) {
    this.buf = new Ctor(chunk);
    this.fd = fs.openSync(file, "w");
  }

  push(value: number): void {
    if (this.n === this.buf.length) this.flush();
    this.buf[this.n++] = value;
    this.written++;
  }

  private flush(): void {
    const bytes = new Uint8Array(this.buf.buffer, 0, this.n * 4);
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(this.fd, bytes, at, bytes.length - at);
    this.n = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}
