// An upload's bytes → normalised text, in this process (CLI) or in a memory-capped child process (server).
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { docxToText } from "./docx.js";
import { CorpusError, type CorpusErrorCode } from "./errors.js";
import { decodeLegacy, legacyEncoding } from "./legacy-fonts.js";
import { unpackedTooLarge, type IngestLimits } from "./limits.js";
import { normalizeText } from "./normalize.js";
import type { ConversionNotes } from "./notes.js";
import { pdfToText } from "./pdf.js";
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
export async function convertToText(bytes: Buffer, fileName: string, limits: IngestLimits): Promise<Converted> {
  const format = sniffFormat(bytes, fileName, limits.maxBytes);
  const notes: ConversionNotes = {};
  const extracted =
    format === "docx"
      ? await docxToText(bytes, fileName, limits, notes)
      : format === "pdf"
        ? await pdfToText(bytes, fileName, limits, notes)
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

type ChildReply = { result: Converted } | { error: { message: string; code?: CorpusErrorCode; vi?: string } };

const outOfMemory = (fileName: string, maxHeapMb: number) =>
  new CorpusError(
    "too_large",
    `Tệp «${fileName}» cần quá nhiều bộ nhớ để chuyển đổi (giới hạn ${maxHeapMb} MB). ` +
      "Hãy chia nhỏ văn bản hoặc lưu lại dạng DOCX đơn giản hơn.",
    `conversion process ran out of memory (${maxHeapMb} MB heap)`,
  );

/**
 * convertToText in a child process whose heap is capped at `maxHeapMb`: what a hostile file makes grow is that
 * process, which ends when done (or when it runs out of memory: a refusal), never the server's heap.
 */
export function convertInChild(
  bytes: Buffer,
  fileName: string,
  limits: IngestLimits,
  maxHeapMb: number,
  signal?: AbortSignal,
): Promise<Converted> {
  signal?.throwIfAborted();
  const ts = import.meta.url.endsWith(".ts");
  const entry = fileURLToPath(new URL(`./convert-child.${ts ? "ts" : "js"}`, import.meta.url));
  const child = fork(entry, [], {
    execArgv: childExecArgv(maxHeapMb, ts),
    serialization: "advanced",
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return new Promise<Converted>((resolve, reject) => {
    child.once("message", (m: ChildReply) => {
      if ("result" in m) resolve(m.result);
      else reject(m.error.code && m.error.vi ? new CorpusError(m.error.code, m.error.vi, m.error.message) : new Error(m.error.message));
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (/heap out of memory|Reached heap limit/i.test(stderr)) reject(outOfMemory(fileName, maxHeapMb));
      else reject(new Error(`conversion process exited (${signal ?? code}) without a result`));
    });
    // The change was called off (e.g. its lock was lost): the child is killed now, not left to finish.
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    child.send({ bytes: new Uint8Array(bytes), fileName, limits });
  }).finally(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
}
