// The staged preview on its own: an upload built into a private version answers from it, while the live corpus,
// CURRENT and the version list stay as they were; no lock is held meanwhile; discard leaves nothing behind.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readLock } from "../../src/admin/lock.js";
import { answerQuestion } from "../../src/answer/index.js";
import { corpusAdmin } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { currentVersion, listVersions } from "../../src/index/store.js";
import { emptyDataDir, ROOT, testDataDir } from "../channels/helpers.js";
import { PLAN_QUESTION, planDocx } from "../corpus/fixtures.js";

const tree = (dir: string) =>
  (fs.readdirSync(dir, { recursive: true }) as string[])
    .sort()
    .map((f) => [f, fs.statSync(path.join(dir, f)).isFile() ? fs.readFileSync(path.join(dir, f), "utf8") : ""].join("="))
    .join("\n");

describe("staged preview", () => {
  it("answers from the staged version without committing or switching, and discards cleanly", async () => {
    const corpusDir = path.join(emptyDataDir(), "corpus");
    fs.cpSync(path.join(ROOT, "test/console/fixtures/corpus"), corpusDir, { recursive: true });
    const config = loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: await testDataDir(corpusDir), LOG_LEVEL: "silent" });
    const before = { corpus: tree(corpusDir), current: currentVersion(config.dataDir), versions: listVersions(config.dataDir).length };
    const store = path.join(config.dataDir, "index", "segments");
    const segmentsBefore = new Set(fs.readdirSync(store));

    const { prepared, staged } = await corpusAdmin(config).stage({ bytes: await planDocx(), fileName: "ke-hoach-15.docx" });
    expect(readLock(config.dataDir)).toBeNull();
    expect(staged.problems).toEqual([]);
    expect(staged.diff.filter((d) => d.kind !== "unchanged")).toEqual([expect.objectContaining({ id: prepared.meta.id, kind: "added" })]);
    const answer = await answerQuestion(staged.index, PLAN_QUESTION.question);
    expect(answer.citations[0]).toMatchObject({ doc: prepared.meta.id, section: PLAN_QUESTION.section });

    expect(tree(corpusDir)).toBe(before.corpus);
    expect(currentVersion(config.dataDir)).toBe(before.current);
    expect(listVersions(config.dataDir)).toHaveLength(before.versions);
    const work = path.join(config.dataDir, "corpus-work");
    expect(fs.readdirSync(work)).toHaveLength(1);
    // Only the upload's segment was built, into the shared content-addressed store; the others were reused.
    const built = fs.readdirSync(store).filter((k) => !segmentsBefore.has(k));
    expect(built).toEqual([staged.index.meta.documents.find((d) => d.id === prepared.meta.id)!.segment]);
    expect(staged.index.meta.documents.filter((d) => segmentsBefore.has(d.segment))).toHaveLength(staged.index.documents.length - 1);
    staged.discard();
    expect(fs.readdirSync(work)).toEqual([]);
    // Discarding removes the links, never the serving version or the shared segments.
    expect(currentVersion(config.dataDir)).toBe(before.current);
    expect(fs.existsSync(path.join(config.dataDir, "index", "versions", before.current!, "meta.json"))).toBe(true);
    expect(fs.readdirSync(store)).toHaveLength(segmentsBefore.size + 1);
  });
});
