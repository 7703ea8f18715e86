// Scanned PDF pages → text, with Debian's tesseract-ocr (+ tesseract-ocr-vie) and poppler's pdftoppm.
// Each page is rendered to a greyscale PNG and read by tesseract in a child process that `timeout` kills at
// the page's limit: the limit holds even when the process that spawned it (the memory-capped converter) is
// itself killed. What tesseract doubts is kept, so the preview can name the pages to check by eye.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CorpusError } from "./errors.js";

export interface OcrOptions {
  /** Read pages without a text layer by OCR; false: such PDFs are refused as before. */
  enabled: boolean;
  /** Time for one page (render + recognise), milliseconds. */
  pageMs: number;
  /** Time for all OCR pages of one file, milliseconds. */
  fileMs: number;
  /** Rendering resolution: 300 dpi is what tesseract is trained for; lower is faster and less accurate. */
  dpi: number;
  /** tesseract language(s), "+"-joined. */
  languages: string;
  /** A page whose mean word confidence (0–100) is below this is listed as doubtful. */
  doubtBelow: number;
  /** Address-space cap of each pdftoppm/tesseract process (util-linux `prlimit --as`), MB; a page needs ~150. */
  memoryMb: number;
  tesseract: string;
  pdftoppm: string;
}

export const DEFAULT_OCR: OcrOptions = {
  enabled: true,
  pageMs: 60_000,
  fileMs: 600_000,
  dpi: 300,
  languages: "vie",
  doubtBelow: 80,
  memoryMb: 1024,
  tesseract: "tesseract",
  pdftoppm: "pdftoppm",
};

/** A recognised line with its horizontal extent (pixels), for joining lines wrapped by the page width. */
export interface OcrLine {
  text: string;
  left: number;
  right: number;
}

export interface OcrPage {
  page: number;
  lines: OcrLine[];
  /** Mean word confidence, 0–100 (0 when nothing was read). */
  confidence: number;
  words: number;
}

/** What the preview shows about OCR. */
export interface OcrReport {
  /** Pages read by OCR (1-based). */
  pages: number[];
  /** Mean word confidence over those pages, 0–100, rounded. */
  meanConfidence: number;
  /** Pages whose confidence is below `doubtBelow`, worst first. */
  doubtful: Array<{ page: number; confidence: number }>;
}

class Timeout extends Error {}

interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

const onPath = (name: string) => (process.env.PATH ?? "").split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, name)));
let prlimit: boolean | undefined;

/**
 * Run a command under coreutils `timeout -s KILL`: killed at `ms` by `timeout` itself, so an orphan cannot
 * outlive its limit. The node-side timer kills it too (and tells a timeout from a failure). With `memoryMb`,
 * its address space is capped by `prlimit` (when installed): the converter's heap cap does not reach it.
 */
function run(cmd: string, args: string[], ms: number, memoryMb?: number): Promise<RunResult> {
  const secs = Math.max(1, Math.ceil(ms / 1000));
  prlimit ??= onPath("prlimit");
  const capped = memoryMb && prlimit ? ["prlimit", `--as=${memoryMb * 1024 * 1024}`, "--", cmd] : [cmd];
  return new Promise((resolve, reject) => {
    const child = spawn("timeout", ["-s", "KILL", `${secs}s`, ...capped, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      // One thread per tesseract: the machine's other cores serve users.
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-2000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, ms);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      // `timeout` exits 137 (128 + KILL) when it killed the command.
      if (timedOut || code === 137 || code === 124) reject(new Timeout(`${cmd} over ${ms} ms`));
      else resolve({ stdout, stderr, code });
    });
  });
}

const notInstalled = (english: string) =>
  new CorpusError(
    "ocr_unavailable",
    "PDF không có lớp văn bản (bản scan) — cần bản có chữ hoặc DOCX. Máy chủ chưa cài phần mềm nhận dạng chữ " +
      "(tesseract-ocr và gói tiếng Việt tesseract-ocr-vie, cùng poppler-utils) nên không đọc được bản scan. " +
      "Hãy báo quản trị hệ thống cài đặt, hoặc gửi bản DOCX/PDF có chữ.",
    english,
  );

/** tesseract with the wanted languages, and pdftoppm, are installed; else a clear refusal. */
export async function checkOcrTools(o: OcrOptions): Promise<void> {
  let langs: RunResult;
  try {
    langs = await run(o.tesseract, ["--list-langs"], 10_000);
  } catch (err) {
    throw notInstalled(`tesseract is not installed or not runnable (${o.tesseract}): ${(err as Error).message}`);
  }
  if (langs.code === 127 || langs.code === 126) throw notInstalled(`tesseract is not installed (${o.tesseract} not found)`);
  const have = new Set(`${langs.stdout}\n${langs.stderr}`.split(/\s+/));
  const missing = o.languages.split("+").filter((l) => !have.has(l));
  if (missing.length) throw notInstalled(`tesseract language data missing: ${missing.join(", ")} (install tesseract-ocr-vie)`);
  const pdftoppm = await run(o.pdftoppm, ["-v"], 10_000).catch(() => null);
  if (!pdftoppm || pdftoppm.code === 127 || pdftoppm.code === 126)
    throw notInstalled(`pdftoppm is not installed (${o.pdftoppm}); install poppler-utils`);
}

/** tesseract's TSV (one row per block/paragraph/line/word) → lines of words with their extent and confidence. */
export function parseTsv(tsv: string, page: number): OcrPage {
  const lines = new Map<string, OcrLine & { words: string[] }>();
  const confs: number[] = [];
  for (const row of tsv.split("\n").slice(1)) {
    const f = row.split("\t");
    if (f.length < 12 || f[0] !== "5") continue;
    const word = f.slice(11).join("\t").trim();
    const conf = Number(f[10]);
    if (!word || conf < 0) continue;
    const key = `${f[2]}.${f[3]}.${f[4]}`;
    const left = Number(f[6]);
    const right = left + Number(f[8]);
    const line = lines.get(key) ?? { text: "", left, right, words: [] };
    line.words.push(word);
    line.left = Math.min(line.left, left);
    line.right = Math.max(line.right, right);
    lines.set(key, line);
    confs.push(conf);
  }
  const mean = confs.length ? confs.reduce((a, b) => a + b, 0) / confs.length : 0;
  return {
    page,
    lines: [...lines.values()].map(({ words, ...l }) => ({ ...l, text: words.join(" ") })),
    confidence: mean,
    words: confs.length,
  };
}

/** One page: render with pdftoppm, recognise with tesseract, within `ms`. */
async function readPage(pdf: string, dir: string, page: number, o: OcrOptions, ms: number): Promise<OcrPage> {
  const start = Date.now();
  const base = path.join(dir, `p${page}`);
  const render = await run(
    o.pdftoppm,
    ["-f", String(page), "-l", String(page), "-r", String(o.dpi), "-gray", "-png", "-singlefile", pdf, base],
    ms,
    o.memoryMb,
  );
  if (render.code !== 0) throw new Error(`pdftoppm failed on page ${page} (exit ${render.code}): ${render.stderr.trim()}`);
  const left = ms - (Date.now() - start);
  if (left <= 0) throw new Timeout(`page ${page} over ${ms} ms`);
  const ocr = await run(o.tesseract, [`${base}.png`, "stdout", "-l", o.languages, "tsv"], left, o.memoryMb);
  fs.rmSync(`${base}.png`, { force: true });
  if (ocr.code !== 0) throw new Error(`tesseract failed on page ${page} (exit ${ocr.code}): ${ocr.stderr.trim()}`);
  return parseTsv(ocr.stdout, page);
}

/** "0,3 giây", "60 giây". */
const seconds = (ms: number) => `${(ms / 1000).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} giây`;

const tooSlow = (fileName: string, english: string, what: string) =>
  new CorpusError(
    "ocr_timeout",
    `Nhận dạng chữ (OCR) bản scan «${fileName}» quá thời gian cho phép (${what}). ` +
      "Hãy chia nhỏ văn bản, quét lại rõ hơn, hoặc gửi bản DOCX/PDF có chữ.",
    english,
  );

/** OCR the given pages of a PDF, in order, within the per-page and per-file limits. */
export async function ocrPdfPages(bytes: Buffer, fileName: string, pages: number[], o: OcrOptions): Promise<OcrPage[]> {
  await checkOcrTools(o);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr-"));
  const deadline = Date.now() + o.fileMs;
  try {
    const pdf = path.join(dir, "in.pdf");
    fs.writeFileSync(pdf, bytes);
    const out: OcrPage[] = [];
    for (const p of pages) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw tooSlow(
          fileName,
          `OCR over the file limit (${o.fileMs} ms) after ${out.length} of ${pages.length} pages`,
          `${seconds(o.fileMs)} cho cả tệp; đã đọc ${out.length}/${pages.length} trang`,
        );
      const pageMs = Math.min(o.pageMs, left);
      try {
        out.push(await readPage(pdf, dir, p, o, pageMs));
      } catch (err) {
        if (!(err instanceof Timeout)) throw err;
        const whole = pageMs < o.pageMs;
        throw tooSlow(
          fileName,
          `OCR of page ${p} over the ${whole ? "file" : "page"} limit (${whole ? o.fileMs : o.pageMs} ms)`,
          whole ? `${seconds(o.fileMs)} cho cả tệp` : `${seconds(o.pageMs)} cho trang ${p}`,
        );
      }
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The preview's summary of OCR pages. */
export function ocrReport(pages: OcrPage[], doubtBelow: number): OcrReport {
  const words = pages.reduce((n, p) => n + p.words, 0);
  const mean = words ? pages.reduce((s, p) => s + p.confidence * p.words, 0) / words : 0;
  return {
    pages: pages.map((p) => p.page),
    meanConfidence: Math.round(mean),
    doubtful: pages
      .filter((p) => p.confidence < doubtBelow)
      .sort((a, b) => a.confidence - b.confidence)
      .map((p) => ({ page: p.page, confidence: Math.round(p.confidence) })),
  };
}
