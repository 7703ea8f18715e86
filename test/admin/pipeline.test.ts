// The parts of the change pipeline on their own: the lock, the per-document diff, the corpus's smoke questions
// and the validation of a version (with the real answering core passed in, over the fixture corpus).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffVersions, docsOfIndex, servingDocs } from "../../src/admin/diff.js";
import { acquireLock, readLock } from "../../src/admin/lock.js";
import { readSmokeQuestions, validateIndex } from "../../src/admin/validate.js";
import { answerChecks } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { CorpusError } from "../../src/corpus/ingest/index.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { buildVersion, embeddingsId, loadVersion, openIndex, setCurrentVersion } from "../../src/index/store.js";
import type { DocumentMeta } from "../../src/types.js";
import { FIXTURE_DOCUMENT, fixtureCorpus, testDataDir } from "../channels/helpers.js";
import { tempDir } from "../core/helpers.js";

describe("lock", () => {
  it("one change at a time: a live holder refuses in Vietnamese, a dead one's lock is taken over", () => {
    const dataDir = tempDir("lock");
    const release = acquireLock(dataDir, "add test");
    expect(readLock(dataDir)).toMatchObject({ pid: process.pid, action: "add test" });
    const busy = (() => {
      try {
        acquireLock(dataDir, "other");
      } catch (err) {
        return err;
      }
    })() as CorpusError;
    expect(busy).toBeInstanceOf(CorpusError);
    expect(busy.code).toBe("busy");
    expect(busy.vi).toContain("Đang có một thay đổi khác");
    release();
    expect(readLock(dataDir)).toBeNull();

    // A lock left by a process that no longer exists (a pid above any pid_max).
    const dead = 2 ** 31 - 2;
    fs.writeFileSync(path.join(dataDir, "corpus.lock"), JSON.stringify({ pid: dead, action: "killed", startedAt: "2026-01-01T00:00:00Z" }));
    acquireLock(dataDir, "after crash")();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

describe("diffVersions", () => {
  const meta = (id: string, title = "Quy chế thử"): DocumentMeta => ({ ...FIXTURE_DOCUMENT, id, file: `documents/${id}.md`, title });
  const text = (...articles: string[]) => articles.map((a, i) => `Điều ${i + 1}. Điều thử ${i + 1}\n${a}\n`).join("\n");

  /** A corpus folder with these documents, built into a version of `dataDir`. */
  async function version(dataDir: string, docs: [DocumentMeta, string][]) {
    const corpusDir = path.join(tempDir("diff-corpus"), "corpus");
    fs.mkdirSync(path.join(corpusDir, "documents"), { recursive: true });
    fs.writeFileSync(path.join(corpusDir, "glossary.json"), "{}");
    for (const [m, body] of docs) fs.writeFileSync(path.join(corpusDir, m.file), body);
    fs.writeFileSync(path.join(corpusDir, "manifest.json"), JSON.stringify({ documents: docs.map(([m]) => m) }));
    const config = { ...loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: dataDir }), corpusDir, dataDir };
    const v = await buildVersion(config, loadCorpus(corpusDir, embeddingsId(config)));
    return { v, index: await loadVersion(config, v) };
  }

  it("counts added, removed and changed sections and changed manifest fields per document, reading only changed segments", async () => {
    const dataDir = tempDir("diff-data");
    const before = await version(dataDir, [
      [meta("qc-a"), text("Khoản một về cảm biến.", "Khoản hai về tưới nước.")],
      [meta("qc-b"), text("Khoản ba về phân bón.")],
      [meta("qc-u"), text("Khoản không đổi về sầu riêng.")],
    ]);
    const after = await version(dataDir, [
      [meta("qc-a", "Quy chế đã sửa"), text("Khoản một về cảm biến (sửa).", "Khoản hai về tưới nước.", "Khoản bốn mới.")],
      [meta("qc-c"), text("Khoản năm về giống cây.")],
      [meta("qc-u"), text("Khoản không đổi về sầu riêng.")],
    ]);
    setCurrentVersion(dataDir, before.v);
    const config = { dataDir } as Parameters<typeof servingDocs>[0];
    const diff = diffVersions(servingDocs(config), docsOfIndex(dataDir, after.index));
    expect(diff.find((d) => d.id === "qc-a")).toMatchObject({
      kind: "changed",
      sections: 3,
      added: 1,
      removed: 0,
      changed: 1,
      meta: ["title"],
    });
    expect(diff.find((d) => d.id === "qc-b")).toMatchObject({ kind: "removed", sections: 1 });
    expect(diff.find((d) => d.id === "qc-c")).toMatchObject({ kind: "added", sections: 1, added: 1 });
    expect(diff.find((d) => d.id === "qc-u")).toMatchObject({ kind: "unchanged", added: 0, removed: 0, changed: 0 });
    const same = docsOfIndex(dataDir, after.index);
    expect(diffVersions(same, same).every((d) => d.kind === "unchanged")).toBe(true);
    // No version serves yet: everything is new.
    expect(diffVersions(servingDocs({ dataDir: tempDir("none") } as typeof config), same).every((d) => d.kind === "added")).toBe(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

describe("smoke questions and validation", () => {
  it("reads checks.json (optional) and refuses a malformed one in English", () => {
    const dir = tempDir("checks");
    expect(readSmokeQuestions(dir)).toEqual([]);
    fs.writeFileSync(path.join(dir, "checks.json"), JSON.stringify({ smoke: [{ question: "Hỏi gì?", doc: "d" }] }));
    expect(() => readSmokeQuestions(dir)).toThrow(/checks\.json: smoke\.0\.section/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("passes while the smoke question cites its section and refuses the version when it does not", async () => {
    const corpusDir = fixtureCorpus();
    const index = await openIndex(loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: await testDataDir(corpusDir), LOG_LEVEL: "silent" }));
    const question = "Thiết bị cảm biến đo độ ẩm đất ở những tầng sâu nào?";
    const doc = FIXTURE_DOCUMENT.id;
    await validateIndex(index, [doc], answerChecks, [{ question, doc, section: "D1.1.c" }]);
    // Touched documents are not held to their smoke question (a change may rightly move the answer).
    await validateIndex(index, [doc], answerChecks, [{ question, doc, section: "D1.2" }]);
    const err = await validateIndex(index, [], answerChecks, [{ question, doc, section: "D1.2" }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorpusError);
    expect((err as CorpusError).code).toBe("validation");
    expect((err as CorpusError).vi).toContain(`câu hỏi thử «${question}» không còn được trả lời đúng (Mục D1.2)`);
  });
});
