// An upload's bytes → normalised text, in this process (CLI) or in a memory-capped child process (server).
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { docxToText } from "./docx.js";
import { CorpusError, type CorpusErrorCode } from "./errors.js";
import { decodeLegacy, legacyEncoding } from "./legacy-fonts.js";
import { seconds, tooSlow, unpackedTooLarge, type IngestLimits } from "./limits.js";
import { normalizeText } from "./normalize.js";
import type { ConversionNotes } from "./notes.js";
import { DEFAULT_OCR } from "./ocr.js";
import { type PageProgress, pdfToText } from "./pdf.js";
import { sniffFormat, type SourceFormat } from "./sniff.js";

export interface Converted {
  text: string;
  format: SourceFormat;
  /** OCR used, legacy font converted: for the preview. */
  notes: ConversionNotes;
}

/** Text typed in a legacy font (PDF text layer, pasted text) as a whole → Unicode; DOCX decodes by run font. */
function decodeLegacyText(raw: string, format: SourceFormat, notes: ConversionNotes): string {
  const encoding = format === "docx" ? null : legacyEncoding(raw);
  if (!encoding) return raw;
  notes.legacyFont = { encoding, detectedBy: "text" };
  return decodeLegacy(raw, encoding);
}

/** File text of any accepted format, normalised. Throws CorpusError (Vietnamese) on bad input. */
export async function convertToText(bytes: Buffer, fileName: string, limits: IngestLimits, progress?: PageProgress): Promise<Converted> {
  const format = sniffFormat(bytes, fileName, limits.maxBytes);
  const notes: ConversionNotes = {};
  const extracted =
    format === "docx"
      ? await docxToText(bytes, fileName, limits, notes)
      : format === "pdf"
        ? await pdfToText(bytes, fileName, limits, notes, progress)
        : bytes.toString("utf8");
  const raw = decodeLegacyText(extracted, format, notes);
  if (Buffer.byteLength(raw) > limits.maxTextBytes)
    throw unpackedTooLarge(fileName, "phần chữ trích ra", limits.maxTextBytes, `extracted text over the limit (${format})`);
  const text = normalizeText(raw, format);
  if (!text.replace(/^---\n[\s\S]*?\n---\n/, "").trim())
    throw new CorpusError("empty", `Tệp «${fileName}» không có nội dung chữ nào.`, "no text after conversion");
  return { text, format, notes };
}

/** Node options for the child: the heap cap, and tsx's loader when running from TypeScript sources. */
function childExecArgv(maxHeapMb: number, ts: boolean): string[] {
  const heap = `--max-old-space-size=${maxHeapMb}`;
  if (!ts) return [heap];
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  return [heap, "--import", pathToFileURL(path.join(tsxDir, "dist/loader.mjs")).href];
}

/** How long past its own time limits a child gets to answer before it is killed. */
const KILL_GRACE_MS = 3000;

/** What the child reports with its answer: its peak resident memory and address space (Linux). */
export interface ChildStats {
  maxRssMb: number;
  vmPeakMb?: number;
  ms: number;
}

type ChildReply = { stats: Omit<ChildStats, "ms"> } & (
  | { result: Converted }
  | { error: { message: string; code?: CorpusErrorCode; vi?: string } }
);

const outOfMemory = (fileName: string, maxHeapMb: number) =>
  new CorpusError(
    "too_large",
    `Tệp «${fileName}» cần quá nhiều bộ nhớ để chuyển đổi (giới hạn ${maxHeapMb} MB). ` +
      "Hãy chia nhỏ văn bản hoặc lưu lại dạng DOCX đơn giản hơn.",
    `conversion process ran out of memory (${maxHeapMb} MB heap)`,
  );

/**
 * The converter process, in its own process group (a kill reaches whatever it starts, e.g. OCR tools), its stdin
 * a pipe it watches: when this process dies, even by SIGKILL, the pipe closes and the child kills its group
 * (convert-child.ts). No address-space limit (ulimit -v/-d): V8 reserves virtual memory up to any such limit
 * and aborts in garbage collection when it is reached (measured), so memory is bounded by the checks that count
 * while unpacking (zip.ts, pdf-scan.ts) and the heap cap.
 */
function spawnConverter(maxHeapMb: number) {
  const ts = import.meta.url.endsWith(".ts");
  const entry = fileURLToPath(new URL(`./convert-child.${ts ? "ts" : "js"}`, import.meta.url));
  return spawn(process.execPath, [...childExecArgv(maxHeapMb, ts), entry], {
    detached: process.platform !== "win32",
    serialization: "advanced",
    stdio: ["pipe", "pipe", "pipe", "ipc"],
  });
}

/** Kills the child's process group (or the child alone where there are no groups); no error once it is gone. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    // already gone
  }
  child.stdin?.destroy();
}

/**
 * convertToText in a child process whose heap is capped at `maxHeapMb`: what a hostile file makes grow is that
 * process, which ends when done (or when it runs out of memory: a refusal), never the server's memory. It is
 * killed past `limits.maxConvertMs`, or when a PDF page takes longer than `limits.maxPdfPageMs` (the child
 * reports each page it starts), or when `signal` aborts; `onStats` receives its peak memory when it answers.
 */
export function convertInChild(
  bytes: Buffer,
  fileName: string,
  limits: IngestLimits,
  maxHeapMb: number,
  signal?: AbortSignal,
  onStats?: (stats: ChildStats) => void,
): Promise<Converted> {
  signal?.throwIfAborted();
  const started = Date.now();
  const child = spawnConverter(maxHeapMb);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const timers: NodeJS.Timeout[] = [];
  return new Promise<Converted>((resolve, reject) => {
    const killAfter = (ms: number, why: () => CorpusError) => {
      const t = setTimeout(() => {
        reject(why());
        killGroup(child);
      }, ms);
      timers.push(t);
      return t;
    };
    const fileLimit = (ms: number) =>
      killAfter(ms + KILL_GRACE_MS, () => tooSlow(fileName, `chuyển đổi quá ${seconds(ms)} giây`, `conversion killed after ${ms} ms`));
    let fileTimer = fileLimit(limits.maxConvertMs);
    // Each page the child starts ("page N of", one line on its stdout) gets maxPdfPageMs.
    let pageTimer: NodeJS.Timeout | undefined;
    let lines = "";
    child.stdout?.on("data", (d: Buffer) => {
      lines += d.toString();
      for (let nl = lines.indexOf("\n"); nl >= 0; nl = lines.indexOf("\n")) {
        const page = /^page (\d+) \d+$/.exec(lines.slice(0, nl))?.[1];
        lines = lines.slice(nl + 1);
        if (!page) continue;
        clearTimeout(pageTimer);
        // The text layer is read: scanned pages may follow, read by OCR within its own file limit (./ocr.ts).
        if (page === "0") {
          clearTimeout(fileTimer);
          fileTimer = fileLimit(limits.ocr?.enabled === false ? 0 : (limits.ocr?.fileMs ?? DEFAULT_OCR.fileMs));
          continue;
        }
        const why = () =>
          tooSlow(
            fileName,
            `đọc trang ${page} quá ${seconds(limits.maxPdfPageMs)} giây`,
            `conversion killed: page ${page} over ${limits.maxPdfPageMs} ms`,
          );
        pageTimer = killAfter(limits.maxPdfPageMs + KILL_GRACE_MS, why);
      }
    });
    child.on("message", (m: ChildReply) => {
      onStats?.({ ...m.stats, ms: Date.now() - started });
      if ("result" in m) resolve(m.result);
      else reject(m.error.code && m.error.vi ? new CorpusError(m.error.code, m.error.vi, m.error.message) : new Error(m.error.message));
    });
    child.once("error", reject);
    child.once("exit", (code, exitSignal) => {
      if (/heap out of memory|Reached heap limit|Array buffer allocation failed|Cannot allocate memory/i.test(stderr))
        reject(outOfMemory(fileName, maxHeapMb));
      else reject(new Error(`conversion process exited (${exitSignal ?? code}) without a result: ${stderr.slice(-800)}`));
    });
    // The change was called off (e.g. its lock was lost): the child is killed now, not left to finish.
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    child.send({ bytes: new Uint8Array(bytes), fileName, limits });
  }).finally(() => {
    for (const t of timers) clearTimeout(t);
    killGroup(child);
  });
}
