// Uploads that unpack into too much: zip bombs (declared and lying sizes), too many entries, PDFs with too
// many pages or too much text, conversion in a memory-capped child process; over HTTP, a 1 GiB DOCX bomb is refused
// with the corpus unchanged, the server's memory flat, and the change lock taken before any conversion.
import fs from "node:fs";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/admin/index.js";
import { acquireLock, readLock } from "../../src/corpus/change.js";
import { checkZip, CorpusError, DEFAULT_LIMITS, prepareDocument, type IngestLimits } from "../../src/corpus/ingest/index.js";
import { startTestApp, testDataDir, type TestApp } from "../channels/helpers.js";
import { ROOT, tempDir } from "../core/helpers.js";
import { docxBomb } from "./bomb.js";
import { planDocx, planMarkdown, planPdf, treeHash } from "./fixtures.js";

const MiB = 1024 * 1024;
const limits = (l: Partial<IngestLimits> = {}): IngestLimits => ({ ...DEFAULT_LIMITS, maxBytes: 20 * MiB, ...l });

async function refusal(p: Promise<unknown>): Promise<CorpusError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CorpusError);
  return err as CorpusError;
}

describe("limits while reading an upload", () => {
  it("a DOCX declaring a 1 GiB document.xml is refused from its directory, before inflating", async () => {
    const bomb = docxBomb({ inflateMiB: 1024 });
    expect(bomb.length).toBeLessThan(4 * MiB);
    const err = await refusal(checkZip(bomb, "bom.docx", limits()));
    expect(err.code).toBe("too_large");
    expect(err.message).toContain("declared");
    expect(err.vi).toContain("phần nội dung chính (word/document.xml) lớn hơn 48 MB");
  });

  it("lying headers are caught by inflating into a counter, stopping at the limit", async () => {
    const err = await refusal(checkZip(docxBomb({ inflateMiB: 64, lie: true }), "bom.docx", limits({ maxXmlBytes: 8 * MiB })));
    expect(err.message).toContain("actual");
    expect(err.vi).toContain("lớn hơn 8 MB");
    const total = await refusal(checkZip(docxBomb({ inflateMiB: 16, lie: true }), "bom.docx", limits({ maxInflatedBytes: 4 * MiB })));
    expect(total.vi).toContain("tổng nội dung lớn hơn 4 MB");
  });

  it("an ordinary DOCX passes; too many entries do not", async () => {
    const docx = await planDocx();
    expect(await checkZip(docx, "ke-hoach.docx", limits())).toBeGreaterThan(1000);
    const err = await refusal(checkZip(docx, "ke-hoach.docx", limits({ maxZipEntries: 2 })));
    expect(err.vi).toContain("quá nhiều thành phần");
  });

  it("PDF page count and extracted text size are limited", async () => {
    const pdf = await PDFDocument.create();
    for (let i = 0; i < 3; i++) pdf.addPage();
    const pages = await refusal(prepareDocument(Buffer.from(await pdf.save()), "dai.pdf", { maxBytes: 20 * MiB, limits: { maxPdfPages: 2 } }));
    expect(pages.vi).toContain("có 3 trang, vượt giới hạn 2 trang");
    const text = await refusal(prepareDocument(await planPdf(), "ke-hoach.pdf", { maxBytes: 20 * MiB, limits: { maxTextBytes: 200 } }));
    expect(text.vi).toContain("phần chữ trích ra lớn hơn");
    const md = await refusal(prepareDocument(Buffer.from(planMarkdown()), "ke-hoach.md", { maxBytes: 20 * MiB, limits: { maxTextBytes: 200 } }));
    expect(md.code).toBe("too_large");
  });

  it("conversion in a child process gives the same document; a child out of memory is a refusal", async () => {
    const inProcess = await prepareDocument(await planDocx(), "ke-hoach.docx", { maxBytes: 20 * MiB, today: "2025-09-01" });
    const inChild = await prepareDocument(await planDocx(), "ke-hoach.docx", { maxBytes: 20 * MiB, today: "2025-09-01", childHeapMb: 64 });
    expect(inChild.text).toBe(inProcess.text);
    expect(inChild.sections.map((s) => s.id)).toEqual(inProcess.sections.map((s) => s.id));
    // Honest 48 MiB of XML passes the size checks, but mammoth cannot hold it in a 32 MB heap.
    const heavy = docxBomb({ inflateMiB: 48 });
    const err = await refusal(prepareDocument(heavy, "nang.docx", { maxBytes: 20 * MiB, childHeapMb: 32 }));
    expect(err.vi).toContain("cần quá nhiều bộ nhớ để chuyển đổi (giới hạn 32 MB)");
  }, 120_000);
});

describe("a 1 GiB DOCX bomb uploaded over HTTP", () => {
  const TOKEN = "admin-token-for-upload-limit-tests";
  let app: TestApp;
  let corpusDir: string;
  let dataDir: string;

  beforeAll(async () => {
    corpusDir = path.join(tempDir("upload-limits"), "corpus");
    fs.cpSync(path.join(ROOT, "corpus"), corpusDir, { recursive: true });
    dataDir = await testDataDir();
    app = await startTestApp({ ADMIN_TOKEN: TOKEN, CORPUS_DIR: corpusDir }, { dataDir, extensions: [adminExtension()] });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    fs.rmSync(path.dirname(corpusDir), { recursive: true, force: true });
  });

  const upload = async (body: Buffer) => {
    const res = await fetch(`${app.url}/admin/documents?filename=bom.docx`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/octet-stream" },
      body: new Uint8Array(body),
    });
    return { status: res.status, body: (await res.json()) as { error: string; code: string } };
  };

  it("is refused in Vietnamese, the corpus unchanged, RSS under 600 MB throughout", async () => {
    const bomb = docxBomb({ inflateMiB: 1024, lie: true });
    const before = treeHash(corpusDir);
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
    try {
      const res = await upload(bomb);
      expect(res.status).toBe(413);
      expect(res.body.code).toBe("too_large");
      expect(res.body.error).toContain("khi giải nén vượt giới hạn: phần nội dung chính (word/document.xml)");
    } finally {
      clearInterval(sampler);
    }
    console.info(`peak RSS during the 1 GiB bomb upload: ${Math.round(peak / MiB)} MB`);
    expect(peak / MiB).toBeLessThan(600);
    expect(treeHash(corpusDir)).toEqual(before);
    expect(readLock(dataDir)).toBeNull();
  });

  it("waits for the change lock before converting: with the lock held it is refused as busy", async () => {
    const release = acquireLock(dataDir, "test holds the lock");
    try {
      const res = await upload(docxBomb({ inflateMiB: 1024, lie: true }));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("busy");
    } finally {
      release();
    }
  });
});
