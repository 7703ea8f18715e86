// The CLI as operators run it (a child process), and what `kill -9` at any moment of a change leaves behind:
// the previous version serving, an intact corpus, and a recoverable state.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/answer/index.js";
import { loadConfig, type Config } from "../../src/config.js";
import { recoverCorpus } from "../../src/admin/journal.js";
import { readSmokeQuestions } from "../../src/admin/validate.js";
import { currentVersion, listVersions, openIndex } from "../../src/index/store.js";
import { ROOT, tempDir, testConfig } from "../core/helpers.js";
import { PLAN_QUESTION, planDocx, planMarkdown, treeHash } from "../corpus/fixtures.js";

// `node --import tsx` rather than the tsx launcher: the launcher runs the CLI in a child process, which a
// SIGKILL sent to the launcher would not reach.
const NODE = [process.execPath, "--import", "tsx"] as const;
const CLI = path.join(ROOT, "src/cli/corpus.ts");
const NEW_ID = "kh-15-kh-ubnd-2025";
const SMOKE = readSmokeQuestions(path.join(ROOT, "corpus"))[0]!;

let base: Config;
let docxFile: string;
const made: string[] = [];
afterAll(() => {
  for (const dir of [...made, path.dirname(base.corpusDir), base.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  base = testConfig({ copyCorpus: true });
  await openIndex(base); // the version serving before any change
  docxFile = path.join(tempDir("upload"), "Kế hoạch 15-KH-UBND.docx");
  made.push(path.dirname(docxFile));
  fs.writeFileSync(docxFile, await planDocx());
});

/** A fresh corpus + data directory copied from the baseline (index already built). */
function fresh(): Config {
  const root = tempDir("cli");
  made.push(root);
  fs.cpSync(base.corpusDir, path.join(root, "corpus"), { recursive: true });
  fs.cpSync(base.dataDir, path.join(root, "data"), { recursive: true });
  return loadConfig({ CORPUS_DIR: path.join(root, "corpus"), DATA_DIR: path.join(root, "data"), LOG_LEVEL: "silent" }, ROOT);
}

const envOf = (c: Config, extra: Record<string, string> = {}) => {
  const { LOG_LEVEL: _drop, ...rest } = process.env;
  return { ...rest, CORPUS_DIR: c.corpusDir, DATA_DIR: c.dataDir, ...extra };
};

function cli(
  c: Config,
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      NODE[0],
      [...NODE.slice(1), CLI, ...args],
      { cwd: ROOT, env: envOf(c, extra), timeout: 90_000 },
      (err, stdout, stderr) =>
        resolve({ code: child.exitCode, signal: child.signalCode ?? (err as { signal?: string } | null)?.signal ?? null, stdout, stderr }),
    );
  });
}

async function answersSmoke(c: Config): Promise<string> {
  const index = await openIndex(c);
  const a = await answerQuestion(index, SMOKE.question);
  expect(a.citations.some((x) => x.doc === SMOKE.doc && x.section === SMOKE.section)).toBe(true);
  return index.meta.version;
}

/**
 * Start a change and SIGKILL it while its index is being built: during the computation (a while after the
 * staging copy appears) or while the new version's files are written (index/tmp-<pid>-…).
 */
async function killDuringBuild(c: Config, args: string[], when: "compute" | "write"): Promise<void> {
  const child = spawn(NODE[0], [...NODE.slice(1), CLI, ...args], { cwd: ROOT, env: envOf(c), stdio: "ignore" });
  const exited = new Promise<string | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  const dir = path.join(c.dataDir, when === "write" ? "index" : "corpus-work");
  const prefix = when === "write" ? "tmp-" : "staging-";
  const deadline = Date.now() + 60_000;
  while (!(fs.existsSync(dir) && fs.readdirSync(dir).some((n) => n.startsWith(prefix)))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("the build never started");
    await new Promise((r) => setTimeout(r, 5));
  }
  // Staging has begun: the build is under way (one new segment is quick to build, so no long wait).
  if (when === "compute") await new Promise((r) => setTimeout(r, 50));
  expect(child.exitCode, "still running when killed").toBe(null);
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
}

describe("corpus CLI", () => {
  it("list, show, dry-run and refusals print Vietnamese and change nothing", async () => {
    const c = fresh();
    const before = treeHash(c.corpusDir);
    const list = await cli(c, ["list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^Mã\s+Tên ngắn\s+Số hiệu\s+Ngày\s+Tình trạng\s+Vai trò\s+Số mục/);
    expect(list.stdout).toMatch(/kh-ctr77\s+Kế hoạch thực hiện CTr 77-CTr\/TU/);
    const show = await cli(c, ["show", "kh-ctr77"]);
    expect(show.stdout).toMatch(/^\s+IV\.2\s+2\. Định kỳ hàng năm/m);
    const dry = await cli(c, ["add", docxFile, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain("Số hiệu: 15/KH-UBND");
    expect(dry.stdout).toContain("chưa thay đổi gì");
    const missing = await cli(c, ["add", "/khong/co/tep.docx"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Không tìm thấy tệp");
    const bad = await cli(c, ["status", "kh-ctr77", "het-hieu-luc"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Tình trạng «het-hieu-luc» không hợp lệ");
    expect((await cli(c, ["xoa"])).stderr).toContain("Không có lệnh «xoa»");
    expect(treeHash(c.corpusDir)).toEqual(before);
  });

  it("add → versions → rollback, with a progress report and a per-document summary", async () => {
    const c = fresh();
    const before = treeHash(c.corpusDir);
    const v0 = currentVersion(c.dataDir);
    const add = await cli(c, ["add", docxFile, "--yes"]);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`• Kế hoạch 15/KH-UBND (${NEW_ID}): mới, 12 mục`);
    expect(add.stderr).toMatch(/\[\s*15%\] Dựng chỉ mục mới/);
    const versions = await cli(c, ["versions"]);
    expect(versions.stdout).toMatch(/▶ \S+ .*\(đang dùng\)/);
    expect(versions.stdout).toContain(v0!);
    const back = await cli(c, ["rollback"]);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`• Kế hoạch 15/KH-UBND (${NEW_ID}): đã xóa (12 mục)`);
    expect(currentVersion(c.dataDir)).toBe(v0);
    expect(treeHash(c.corpusDir)).toEqual(before);
  });

  it("kill -9 during a reindex or an add: the previous version serves and the corpus is intact", async () => {
    const runs: Array<[string[], "compute" | "write"]> = [
      // A reindex reuses every unchanged document's index segment, so its work is the merge it writes.
      [["reindex"], "write"],
      [["add", docxFile, "--yes"], "compute"],
      [["add", docxFile, "--yes"], "write"],
    ];
    for (const [args, when] of runs) {
      const c = fresh();
      const before = treeHash(c.corpusDir);
      const v0 = currentVersion(c.dataDir);
      await killDuringBuild(c, args, when);
      expect(treeHash(c.corpusDir)).toEqual(before);
      expect(currentVersion(c.dataDir)).toBe(v0);
      expect(await answersSmoke(c)).toBe(v0);
      // The dead process's lock and leftovers do not block the next change, which cleans them up.
      const retry = await cli(c, ["add", docxFile, "--yes"]);
      expect(retry.code, retry.stderr).toBe(0);
      expect(fs.readdirSync(path.join(c.dataDir, "index")).filter((n) => n.startsWith("tmp-"))).toEqual([]);
      expect(fs.readdirSync(path.join(c.dataDir, "corpus-work"))).toEqual([]);
      expect(fs.existsSync(path.join(c.dataDir, "corpus.lock"))).toBe(false);
      const index = await openIndex(c);
      expect((await answerQuestion(index, PLAN_QUESTION.question)).citations[0]).toMatchObject({ doc: NEW_ID });
    }
  }, 180_000);

  it("kill -9 at each step of the commit is finished or undone by recovery", async () => {
    const cases = [
      { at: "build", committed: false },
      { at: "files", committed: false },
      { at: "manifest", committed: true },
      { at: "switch", committed: true },
    ];
    for (const { at, committed } of cases) {
      const c = fresh();
      const before = treeHash(c.corpusDir);
      const v0 = currentVersion(c.dataDir);
      const run = await cli(c, ["add", docxFile, "--yes"], { CORPUS_TEST_KILL_AT: at });
      expect(run.signal, at).toBe("SIGKILL");
      expect(recoverCorpus(c), at).toBe(at === "build" ? "none" : committed ? "rolled_forward" : "rolled_back");
      const version = await answersSmoke(c);
      if (committed) {
        expect(version).not.toBe(v0);
        expect(fs.existsSync(path.join(c.corpusDir, `documents/${NEW_ID}.md`))).toBe(true);
        const index = await openIndex(c);
        expect(index.meta.version).toBe(version); // no rebuild: the switched version matches the corpus
        expect((await answerQuestion(index, PLAN_QUESTION.question)).citations[0]).toMatchObject({ doc: NEW_ID });
      } else {
        expect(treeHash(c.corpusDir), at).toEqual(before);
        expect(version).toBe(v0);
        // An undone commit removes the version it built; a build killed before its commit stays listed
        // (complete, never served, not restorable) until pruned.
        if (at === "files") expect(listVersions(c.dataDir).map((v) => v.version)).toEqual([v0]);
      }
      expect(fs.existsSync(path.join(c.dataDir, "corpus-commit.json"))).toBe(false);
    }
  }, 180_000);

  it("new text under an unchanged manifest is completed by recovery after a kill mid-write", async () => {
    const c = fresh();
    const dir = tempDir("md");
    made.push(dir);
    const v1 = path.join(dir, "ke-hoach.md");
    fs.writeFileSync(v1, planMarkdown());
    const opts = ["--yes", "--source", "Bản của Văn phòng UBND"];
    expect((await cli(c, ["add", v1, ...opts])).code).toBe(0);
    // Same header and options: the manifest stays byte-identical, only the document text changes.
    fs.writeFileSync(v1, planMarkdown().replace("sàn giao dịch công nghệ", "sàn giao dịch công nghệ và thiết bị"));
    const run = await cli(c, ["add", v1, "--replace", ...opts], { CORPUS_TEST_KILL_AT: "files" });
    expect(run.signal).toBe("SIGKILL");
    expect(recoverCorpus(c)).toBe("rolled_forward");
    const index = await openIndex(c);
    expect(index.meta.version).toBe(currentVersion(c.dataDir));
    expect((await answerQuestion(index, PLAN_QUESTION.question)).citations[0]!.quote).toContain("sàn giao dịch công nghệ và thiết bị");
  }, 120_000);
});
