// A 1 GiB DOCX bomb uploaded over HTTP is refused with the corpus unchanged and the server's memory flat; the
// change lock is taken before any conversion; conversion runs in a memory-capped child process.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLock, readLock } from "../../src/admin/lock.js";
import { adminExtension } from "../../src/app.js";
import { prepareDocument } from "../../src/corpus/ingest/index.js";
import { startTestApp, testDataDir, type TestApp } from "../channels/helpers.js";
import { ROOT, tempDir } from "../core/helpers.js";
import { docxBomb } from "../corpus/bomb.js";
import { planDocx, treeHash } from "../corpus/fixtures.js";
import { refusal } from "../admin/helpers.js";

const MiB = 1024 * 1024;

describe("conversion in a memory-capped child process", () => {
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
