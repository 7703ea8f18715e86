// Conversions are bounded in memory and time, and their processes do not outlive the server: the under-counted
// 3 GiB DOCX and the 1 MB PDF with a 1 GiB content stream are refused with the conversion process under 600 MB,
// the 1000-page slow PDF within 60 s, a page that never ends is killed and the change lock released, and a
// SIGKILLed server leaves no converter behind.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLock } from "../../src/admin/lock.js";
import { adminExtension } from "../../src/app.js";
import { type ChildStats, convertInChild } from "../../src/corpus/ingest/convert.js";
import { DEFAULT_LIMITS, type IngestLimits } from "../../src/corpus/ingest/limits.js";
import { refusal } from "../admin/helpers.js";
import { CORPUS_DIR, ROOT, startTestApp, testDataDir, type TestApp, until } from "../channels/helpers.js";
import { tempDir } from "../core/helpers.js";
import { docxBomb } from "../corpus/bomb.js";
import { treeHash } from "../corpus/fixtures.js";
import { pdfStreamBomb, slowPdf } from "../corpus/pdf-bombs.js";

const MiB = 1024 * 1024;
const TOKEN = "admin-token-for-conversion-limit-tests";
const limits = (l: Partial<IngestLimits> = {}): IngestLimits => ({ ...DEFAULT_LIMITS, maxBytes: 20 * MiB, ...l });

function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/** Pids of the conversion processes below `ancestor` (tsx runs the server as a child of its own process). */
function converters(ancestor: number): number[] {
  return fs.readdirSync("/proc").flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      if (!fs.readFileSync(`/proc/${name}/cmdline`, "utf8").includes("convert-child")) return [];
    } catch {
      return [];
    }
    for (let p = parentOf(Number(name)); p > 1; p = parentOf(p)) if (p === ancestor) return [Number(name)];
    return [];
  });
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));

async function convert(bytes: Buffer, fileName: string, l = limits()) {
  let stats: ChildStats | undefined;
  const started = Date.now();
  const err = await refusal(convertInChild(bytes, fileName, l, 256, undefined, (s) => (stats = s)));
  return { err, stats, ms: Date.now() - started };
}

describe("conversion limits in the conversion process", () => {
  it("a DOCX whose end record under-counts its entries, hiding a 3 GiB entry, is refused; the process stays under 600 MB", async () => {
    const { err, stats } = await convert(docxBomb({ inflateMiB: 3072, lie: true, underCount: true }), "bom.docx");
    expect(err.code).toBe("corrupt_docx");
    console.info(`conversion process for the under-counted 3 GiB DOCX: ${stats?.maxRssMb} MB peak RSS`);
    expect(stats!.maxRssMb).toBeLessThan(600);
  });

  it("a 1 MB PDF with a 1 GiB content stream is refused; the process stays under 600 MB", async () => {
    const bomb = pdfStreamBomb(1024);
    expect(bomb.length).toBeLessThan(1.1 * MiB);
    const { err, stats } = await convert(bomb, "bom.pdf");
    expect(err.code).toBe("too_large");
    expect(err.vi).toContain("một luồng nội dung PDF lớn hơn 64 MB");
    console.info(`conversion process for the 1 GiB PDF content stream: ${stats?.maxRssMb} MB peak RSS`);
    expect(stats!.maxRssMb).toBeLessThan(600);
  });

  it("the 1000-page slow PDF (about 160 KB) is refused within 60 s with the default limits", async () => {
    const slow = slowPdf();
    expect(slow.length).toBeLessThan(200 * 1024);
    const { err, ms } = await convert(slow, "cham.pdf");
    expect(err.code).toBe("too_slow");
    expect(err.vi).toMatch(/đọc hết 1\.000 trang sẽ mất khoảng [\d.,]+ giây, quá giới hạn 45 giây một tệp/);
    console.info(`the 1000-page slow PDF was refused after ${ms} ms`);
    expect(ms).toBeLessThan(60_000);
  }, 90_000);

  it("a page that does not end in time is killed with its process", async () => {
    // One page of 20 million operators (110 MB decoded, allowed here) takes far longer than its 0.5 s and the 3 s
    // of grace on any machine seen (0.5–1.4 s per million operators); 6 million ended within the grace on a fast one.
    const heavy = slowPdf(1, 20_000_000);
    const before = converters(process.pid);
    const { err, ms } = await convert(
      heavy,
      "nang.pdf",
      limits({
        maxPdfStreamOperators: 50_000_000,
        maxPdfOperators: 50_000_000,
        maxPdfStreamBytes: 256 * MiB,
        maxPdfDecodedBytes: 256 * MiB,
        maxPdfPageMs: 500,
      }),
    );
    expect(err.code).toBe("too_slow");
    expect(err.vi).toContain("đọc trang 1 quá 0,5 giây");
    expect(ms).toBeLessThan(30_000);
    await until(() => converters(process.pid).every((pid) => before.includes(pid)), 5000, "no converter left");
  }, 60_000);
});

describe("a conversion past its time over HTTP", () => {
  let app: TestApp;
  let corpusDir: string;

  beforeAll(async () => {
    corpusDir = path.join(tempDir("conversion-limits"), "corpus");
    fs.cpSync(CORPUS_DIR, corpusDir, { recursive: true });
    const env = { ADMIN_TOKEN: TOKEN, CORPUS_DIR: corpusDir, UPLOAD_CONVERT_MAX_SECONDS: "2" };
    app = await startTestApp(env, { dataDir: await testDataDir(), extensions: [adminExtension()] });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it("is refused in Vietnamese, the corpus unchanged, the change lock released and no converter left", async () => {
    const before = treeHash(corpusDir);
    const res = await fetch(`${app.url}/admin/documents?filename=cham.pdf`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/octet-stream" },
      body: new Uint8Array(slowPdf()),
    });
    const body = (await res.json()) as { code: string; error: string };
    expect(res.status).toBe(422);
    expect(body.code).toBe("too_slow");
    // Refused by the conversion process between pages, or killed by the server past the limit and its grace.
    expect(body.error).toMatch(/quá giới hạn 2 giây một tệp|chuyển đổi quá 2 giây/);
    expect(readLock(app.config.dataDir)).toBeNull();
    expect(treeHash(corpusDir)).toEqual(before);
    await until(() => converters(process.pid).length === 0, 5000, "no converter left");
  }, 60_000);
});

describe("a server killed while converting", () => {
  // A PDF (the converter writes each page it starts to the server: a dead server's pipe ends it at the next page)
  // and a DOCX (mammoth works for seconds without a word to the server: the converter's watchdog ends it).
  const uploads = [
    { name: "cham.pdf", bytes: () => slowPdf() },
    { name: "nang.docx", bytes: () => docxBomb({ inflateMiB: 32 }) },
  ];
  for (const upload of uploads)
    it(`SIGKILL of the server while it converts ${upload.name}: its conversion process ends too`, async () => {
      const dataDir = await testDataDir();
      const env = { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, CORPUS_DIR, ADMIN_TOKEN: TOKEN, LOG_LEVEL: "info" };
      const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "src/main.ts")], {
        cwd: dataDir,
        env: { ...env, UPLOAD_CONVERT_MAX_MB: "2048" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      try {
        const port = await until(() => /"msg":"http server listening".*"port":(\d+)/.exec(output)?.[1], 90_000, "listening");
        const request = fetch(`http://127.0.0.1:${port}/admin/documents?filename=${upload.name}`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/octet-stream" },
          body: new Uint8Array(upload.bytes()),
        }).catch(() => undefined);
        const [converter] = await until(
          () => {
            const found = converters(child.pid!);
            return found.length ? found : undefined;
          },
          30_000,
          "the conversion process",
        );
        // Let it get busy, then SIGKILL the server itself (tsx's cli runs it as its child): no chance to clean up.
        await new Promise((r) => setTimeout(r, 1500));
        process.kill(parentOf(converter!), "SIGKILL");
        await request;
        await until(() => !alive(converter!), 3000, `conversion process ${converter} to end after its parent`);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    }, 120_000);
});
