// Integrity of the files of an index: every segment and version file has its size and CRC-32 recorded when it is
// written (in segment.json and meta.json), and is checked when it is read. The records themselves (segment.json,
// meta.json, CURRENT) carry a CRC-32 of their own content. CRC-32 (zlib, several GB/s) finds damage from disks,
// copies and truncation; it is not meant to stop someone who can write the files (they could rewrite the
// checksums too). A file that does not match throws IndexDamagedError naming it; IndexHealth keeps what the
// serving version found damaged (for /readyz) and rebuilds damaged segments from the corpus.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { silentLogger, type Logger } from "../log.js";

export interface FileCheck {
  bytes: number;
  crc32: string;
}

/** Checks of the files of one directory, by file name. */
export type FileChecks = Record<string, FileCheck>;

export class IndexDamagedError extends Error {
  /** The segment the file belongs to (segments/<key>/…), if any. */
  readonly segment?: string;

  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`Index file damaged: ${file} (${reason})`);
    this.name = "IndexDamagedError";
    if (path.basename(path.dirname(path.dirname(file))) === "segments") this.segment = path.basename(path.dirname(file));
  }
}

export const isIndexDamage = (err: unknown): err is IndexDamagedError => err instanceof IndexDamagedError;

const CHUNK_BYTES = 8 * 2 ** 20;
const hex = (crc: number) => (crc >>> 0).toString(16).padStart(8, "0");

/** A CRC-32 over bytes given in chunks; `done` throws IndexDamagedError when they differ from `expect`. */
export function verifier(file: string, expect: FileCheck | undefined) {
  let crc = 0;
  let bytes = 0;
  return {
    update(chunk: Uint8Array): void {
      if (!expect) return;
      crc = zlib.crc32(chunk, crc);
      bytes += chunk.length;
    },
    done(): void {
      if (!expect) return;
      if (bytes !== expect.bytes) throw new IndexDamagedError(file, `${bytes} bytes, ${expect.bytes} written`);
      if (hex(crc) !== expect.crc32) throw new IndexDamagedError(file, `checksum ${hex(crc)}, ${expect.crc32} written`);
    },
  };
}

/** Throws IndexDamagedError when the file is missing or its size differs from the recorded one (one stat). */
export function checkSize(file: string, expect: FileCheck | undefined): void {
  if (!expect) return;
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new IndexDamagedError(file, "missing");
  if (size !== expect.bytes) throw new IndexDamagedError(file, `${size} bytes, ${expect.bytes} written`);
}

/** Size and CRC-32 of a file, read in chunks. */
export function checkOf(file: string): FileCheck {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK_BYTES, fs.fstatSync(fd).size)));
    let crc = 0;
    let bytes = 0;
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) {
      crc = zlib.crc32(buf.subarray(0, n), crc);
      bytes += n;
    }
    return { bytes, crc32: hex(crc) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Throws IndexDamagedError when the file does not match `expect` (read in chunks, nothing kept). */
export function verifyFile(file: string, expect: FileCheck | undefined): void {
  if (!expect) return;
  checkSize(file, expect);
  const actual = checkOf(file);
  if (actual.crc32 !== expect.crc32) throw new IndexDamagedError(file, `checksum ${actual.crc32}, ${expect.crc32} written`);
}

/** Checks of the named files of a directory (those that exist). */
export function checksOf(dir: string, names: readonly string[]): FileChecks {
  const out: FileChecks = {};
  for (const name of names) if (fs.existsSync(path.join(dir, name))) out[name] = checkOf(path.join(dir, name));
  return out;
}

/** A small file read whole, checked against `expect` when given. */
export function readChecked(file: string, expect: FileCheck | undefined): string {
  checkSize(file, expect);
  const bytes = fs.readFileSync(file);
  const v = verifier(file, expect);
  v.update(bytes);
  v.done();
  return bytes.toString("utf8");
}

/** JSON of a record with a CRC-32 of its own content (`check`, over the JSON without it). */
export function sealJson(value: object, space?: number): string {
  const { check: _, ...rest } = value as { check?: string };
  return JSON.stringify({ ...rest, check: hex(zlib.crc32(JSON.stringify(rest))) }, null, space);
}

/** A record written by sealJson; throws IndexDamagedError naming the file when it does not parse or match.
 * Records written before checksums (no `check`) are taken as they are. */
export function readSealed<T>(file: string): T {
  let value: T & { check?: string };
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8")) as T & { check?: string };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new IndexDamagedError(file, "missing");
    throw new IndexDamagedError(file, `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null) throw new IndexDamagedError(file, "not a JSON object");
  if (value.check === undefined) return value;
  const { check, ...rest } = value;
  if (hex(zlib.crc32(JSON.stringify(rest))) !== check) throw new IndexDamagedError(file, "checksum of its content does not match");
  return value;
}

export interface DamagedFile {
  /** Path under DATA_DIR (e.g. index/segments/<key>/sections.json). */
  file: string;
  reason: string;
  /** The segment is being rebuilt from the corpus document. */
  repairing: boolean;
  /** Why it could not be rebuilt, when it could not. */
  repairError?: string;
}

/**
 * What a loaded version found damaged while serving, and the rebuild of damaged segments (one at a time per
 * segment; `rebuild` replaces the segment's directory from the corpus document). A repaired segment is
 * dropped from the list; one that cannot be rebuilt stays (and /readyz says so).
 */
export class IndexHealth {
  private readonly damaged = new Map<string, DamagedFile & { segment?: string }>();
  private readonly repairs = new Map<string, Promise<boolean>>();
  /** Each error's outcome: a caller that reports an error again after its segment was rebuilt gets that result. */
  private readonly outcomes = new WeakMap<IndexDamagedError, Promise<boolean>>();

  constructor(
    private readonly dataDir: string,
    private readonly rebuild: (segment: string) => Promise<void>,
    private log: Logger = silentLogger,
  ) {}

  /** Where damage and repairs are logged (the process serving this version). */
  useLog(log: Logger): void {
    this.log = log;
  }

  list(): DamagedFile[] {
    return [...this.damaged.values()].map(({ segment: _, ...d }) => d);
  }

  /** Records the damage and starts rebuilding its segment; resolves true once the segment is rebuilt. */
  report(err: IndexDamagedError): Promise<boolean> {
    const known = this.outcomes.get(err);
    if (known) return known;
    const file = path.relative(this.dataDir, err.file);
    if (!this.damaged.has(file)) {
      this.damaged.set(file, { file, reason: err.reason, repairing: !!err.segment, segment: err.segment });
      this.log.error("index file damaged", { file, reason: err.reason, ...(err.segment ? { rebuilding: err.segment } : {}) });
    }
    const outcome = err.segment ? this.repair(err.segment) : Promise.resolve(false);
    this.outcomes.set(err, outcome);
    return outcome;
  }

  private repair(segment: string): Promise<boolean> {
    let running = this.repairs.get(segment);
    if (running) return running;
    running = this.rebuild(segment).then(
      () => {
        for (const [file, d] of this.damaged) if (d.segment === segment) this.damaged.delete(file);
        this.log.info("index segment rebuilt from the corpus", { segment });
        return true;
      },
      (err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        for (const d of this.damaged.values()) if (d.segment === segment) Object.assign(d, { repairing: false, repairError: why });
        this.log.error("index segment could not be rebuilt: /readyz reports it damaged", { segment, err: why });
        return false;
      },
    );
    this.repairs.set(segment, running);
    void running.finally(() => this.repairs.delete(segment));
    return running;
  }
}
