// The parts of the change pipeline on their own: the lock, the per-document diff, the corpus's smoke questions
// and the validation of a version (with the real answering core passed in, over the fixture corpus).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffCorpora } from "../../src/admin/diff.js";
import { acquireLock, readLock } from "../../src/admin/lock.js";
import { readSmokeQuestions, validateIndex } from "../../src/admin/validate.js";
import { answerChecks } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { CorpusError } from "../../src/corpus/ingest/index.js";
import { openIndex } from "../../src/index/store.js";
import type { DocumentMeta, Section } from "../../src/types.js";
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

describe("diffCorpora", () => {
  const meta = (id: string, title = "Kế hoạch thử"): DocumentMeta => ({ ...FIXTURE_DOCUMENT, id, file: `documents/${id}.md`, title });
  const section = (doc: string, id: string, text: string): Section => ({
    doc,
    id,
    label: id,
    heading: id,
    breadcrumb: [id],
    paragraphs: [text],
    headingIsText: false,
    parent: null,
    children: [],
  });

  it("counts added, removed and changed sections and changed manifest fields per document", () => {
    const before = {
      documents: [meta("a"), meta("b")],
      sections: [section("a", "I.1", "một"), section("a", "I.2", "hai"), section("b", "D1", "ba")],
    };
    const after = {
      documents: [meta("a", "Kế hoạch đã sửa"), meta("c")],
      sections: [section("a", "I.1", "một (sửa)"), section("a", "I.3", "bốn"), section("c", "D1", "năm")],
    };
    const diff = diffCorpora(before, after);
    expect(diff.find((d) => d.id === "a")).toMatchObject({
      kind: "changed",
      sections: 2,
      added: 1,
      removed: 1,
      changed: 1,
      meta: ["title"],
    });
    expect(diff.find((d) => d.id === "b")).toMatchObject({ kind: "removed", sections: 1 });
    expect(diff.find((d) => d.id === "c")).toMatchObject({ kind: "added", sections: 1, added: 1 });
    expect(diffCorpora(after, after).every((d) => d.kind === "unchanged")).toBe(true);
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
