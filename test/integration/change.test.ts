// Transactional corpus changes with real index builds: a change failing validation after the build changes nothing,
// a good upload answers at once, rollback restores the previous answers and files, the lock keeps changes single,
// and questions asked during a rebuild (in a worker thread) are all answered. Refusals: test/admin.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Assistant } from "../../src/answer/index.js";
import type { Config } from "../../src/config.js";
import { runChange as runChangeWith, type Stage } from "../../src/admin/change.js";
import type { CorpusAdmin } from "../../src/admin/corpus-admin.js";
import { acquireLock } from "../../src/admin/lock.js";
import { readSmokeQuestions } from "../../src/admin/validate.js";
import { answerChecks, corpusAdmin as createCorpusAdmin, openAssistant } from "../../src/app.js";
import { currentVersion } from "../../src/index/store.js";
import { createLogger } from "../../src/log.js";
import { ROOT, testConfig } from "../core/helpers.js";
import { PLAN_QUESTION, planDocx, planMarkdown, planPdf, treeHash } from "../corpus/fixtures.js";
import { corpusState, refused } from "../admin/helpers.js";

const NEW_ID = "kh-15-kh-ubnd-2025";
const SMOKE = readSmokeQuestions(`${ROOT}/corpus`)[0]!;
const runChange = (c: Config, action: string, apply: (stage: Stage) => void) => runChangeWith(c, action, apply, { checks: answerChecks });

let config: Config;
let assistant: Assistant;
let admin: CorpusAdmin;

afterAll(() => {
  for (const dir of [path.dirname(config.corpusDir), config.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  config = testConfig({ copyCorpus: true });
  assistant = await openAssistant(config);
  admin = createCorpusAdmin(config, { onSwitch: (index) => assistant.swap(index) });
});

const state = () => corpusState(config);

describe("corpus changes", () => {
  it("a change that fails validation after the build leaves everything as it was", async () => {
    const before = state();
    // A new document that parses into nothing.
    await refused(
      runChange(config, "empty-doc", (stage) => {
        stage.writeFile("documents/rong.md", "\n");
        stage.manifest.documents.push({ ...stage.manifest.documents[1]!, id: "rong", file: "documents/rong.md" });
      }),
      "validation",
    );
    // The plan loses its reporting deadline without being marked as touched: the smoke question fails
    // after the new version was built, and that version is thrown away.
    const err = await refused(
      runChange(config, "break-plan", (stage) => {
        const file = path.join(stage.dir, "documents/kh-ctr77.txt");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/2\. Định kỳ hàng năm[^\n]*/u, "2. Nội dung khác."));
      }),
      "validation",
    );
    expect(err.vi).toContain(SMOKE.question);
    expect(state()).toEqual(before);
  });

  it("an uploaded DOCX is answered from at once; rollback restores the previous answers and files", async () => {
    const before = state();
    const smokeBefore = await assistant.ask(SMOKE.question);
    const unknown = await assistant.ask(PLAN_QUESTION.question);
    expect(unknown.citations.some((c) => c.doc === NEW_ID)).toBe(false);

    const report = await admin.add({ bytes: await planDocx(), fileName: "Kế hoạch 15.docx" });
    expect(report.text).toContain("Đã nạp văn bản «Kế hoạch 15/KH-UBND»");
    expect(report.text).toContain(`• Kế hoạch 15/KH-UBND (${NEW_ID}): mới, 12 mục`);
    expect(report.diff.filter((d) => d.kind !== "unchanged").map((d) => d.id)).toEqual([NEW_ID]);
    expect(report.previous).toBe(before.current);
    expect(currentVersion(config.dataDir)).toBe(report.version);

    const answer = await assistant.ask(PLAN_QUESTION.question);
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0]).toMatchObject({ doc: NEW_ID, section: PLAN_QUESTION.section });
    expect(answer.citations[0]!.quote).toContain("sàn giao dịch công nghệ");
    expect(fs.readFileSync(path.join(config.corpusDir, `documents/${NEW_ID}.md`), "utf8")).toContain("II. NHIỆM VỤ");
    expect(admin.list().find((r) => r.meta.id === NEW_ID)).toMatchObject({ sections: 12, meta: { number: "15/KH-UBND" } });
    expect(admin.show(NEW_ID).sections.map((s) => s.id)).toContain("II.1");
    expect(fs.readdirSync(path.join(config.dataDir, "originals"))[0]).toMatch(new RegExp(`^${NEW_ID}-[0-9a-f]{12}\\.docx$`));

    // Metadata correction and status are changes too (validated, versioned).
    const fixed = await admin.update(NEW_ID, { date: "21/8/2025", shortTitle: "KH 15/KH-UBND Lâm Đồng" });
    expect(fixed.text).toContain("thông tin đổi: shortTitle, date");
    const superseded = await admin.setStatus("kh-ctr77", "superseded", NEW_ID, "Sáp nhập tỉnh 7/2025");
    expect(superseded.text).toContain("đã bị thay thế bởi kh-15-kh-ubnd-2025");
    expect(assistant.documents().find((d) => d.id === "kh-ctr77")).toMatchObject({ status: "superseded", supersededBy: NEW_ID });
    await refused(admin.remove(NEW_ID), "in_use");

    // Back three changes: the corpus and the answers are what they were.
    await admin.rollback();
    await admin.rollback();
    const back = await admin.rollback();
    expect(back.version).toBe(before.current);
    expect(treeHash(config.corpusDir)).toEqual(before.corpus);
    expect(currentVersion(config.dataDir)).toBe(before.current);
    const again = await assistant.ask(PLAN_QUESTION.question);
    expect(again.citations).toEqual(unknown.citations);
    expect((await assistant.ask(SMOKE.question)).citations).toEqual(smokeBefore.citations);

    // And forward again to the upload.
    await admin.rollback(report.version);
    expect((await assistant.ask(PLAN_QUESTION.question)).citations[0]).toMatchObject({ doc: NEW_ID });
    await refused(admin.rollback("khong-co-phien-ban"), "no_version");
    await refused(admin.rollback(report.version), "usage");

    // Removing it is a change like any other.
    const removed = await admin.remove(NEW_ID);
    expect(removed.text).toContain(`• Kế hoạch 15/KH-UBND (${NEW_ID}): đã xóa (12 mục)`);
    expect(fs.existsSync(path.join(config.corpusDir, `documents/${NEW_ID}.md`))).toBe(false);
    expect(treeHash(config.corpusDir)).toEqual(before.corpus);
  });

  it("one change at a time: a live lock refuses, a dead process's lock is taken over", async () => {
    const release = acquireLock(config.dataDir, "test");
    try {
      const err = await refused(admin.reindex(), "busy");
      expect(err.vi).toContain("Đang có một thay đổi khác");
    } finally {
      release();
    }
    fs.writeFileSync(
      path.join(config.dataDir, "corpus.lock"),
      JSON.stringify({ pid: 2 ** 22 + 12345, action: "killed", startedAt: new Date().toISOString() }),
    );
    const r = await admin.reindex();
    expect(r.text).toContain("Đã dựng lại chỉ mục.");
    expect(r.text).toContain("Không văn bản nào thay đổi nội dung.");
    expect(fs.existsSync(path.join(config.dataDir, "corpus.lock"))).toBe(false);
  });

  it("a steady stream of questions during a rebuild gets zero failures", async () => {
    const logs: string[] = [];
    const log = createLogger("debug", [], { write: (s: string) => logs.push(s) });
    const serving = createCorpusAdmin(config, { worker: true, log, onSwitch: (index) => assistant.swap(index) });
    const versionBefore = assistant.index().meta.version;
    let served = 0;
    let duringBuild = 0;
    const failures: string[] = [];
    let building = false;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        try {
          const a = await assistant.ask(SMOKE.question);
          if (a.abstained || !a.citations.some((c) => c.doc === SMOKE.doc && c.section === SMOKE.section)) failures.push(a.answer);
          served++;
          if (building) duringBuild++;
        } catch (err) {
          failures.push(String(err));
        }
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    building = true;
    const report = await serving.add({ bytes: await planPdf(), fileName: "ke-hoach.pdf" });
    building = false;
    await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await loop;
    expect(failures).toEqual([]);
    expect(logs.join("")).not.toContain("worker failed"); // built off the main thread
    expect(duringBuild).toBeGreaterThan(20);
    expect(assistant.index().meta.version).toBe(report.version);
    expect(report.version).not.toBe(versionBefore);
    expect((await assistant.ask(PLAN_QUESTION.question)).citations[0]).toMatchObject({ doc: NEW_ID });
    expect(served).toBeGreaterThan(duringBuild);
  });

  it("a text upload replaces the document (.md → .txt) and the same text again is a duplicate", async () => {
    const text = Buffer.from(planMarkdown().replace("sàn giao dịch công nghệ", "trung tâm đổi mới sáng tạo"));
    const txt = await admin.add({ bytes: text, fileName: "kh.txt", overrides: { id: NEW_ID }, replace: true });
    expect(txt.text).toContain("Đã thay nội dung văn bản");
    expect(txt.text).toMatch(/mục sửa/);
    expect(fs.existsSync(path.join(config.corpusDir, `documents/${NEW_ID}.txt`))).toBe(true);
    expect(fs.existsSync(path.join(config.corpusDir, `documents/${NEW_ID}.md`))).toBe(false);
    await refused(admin.add({ bytes: text, fileName: "ban-sao.md", overrides: { id: "kh-ban-sao" } }), "duplicate_content");
  });
});
