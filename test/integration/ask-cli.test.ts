// The `ask` CLI in a child process: exactly one JSON object per question, the documented fields, JSONL batches.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, testConfig } from "../core/helpers.js";

const config = testConfig();

describe("ask CLI JSON contract", () => {
  const env = { ...process.env, DATA_DIR: config.DATA_DIR, CORPUS_DIR: config.CORPUS_DIR, LOG_LEVEL: "silent" };
  const tsx = path.join(ROOT, "node_modules/.bin/tsx");

  it("prints exactly one JSON object with the documented fields", () => {
    const out = execFileSync(tsx, ["src/cli/ask.ts", "--json", "Hạn nộp báo cáo hằng năm là khi nào?"], { cwd: ROOT, env }).toString();
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const a = JSON.parse(lines[0]!);
    expect(Object.keys(a).sort()).toEqual(["abstained", "answer", "citations", "lead", "mode", "more", "question"]);
    expect(a.answer.startsWith(a.lead)).toBe(true);
    expect(a.mode).toBe("extractive");
    expect(Object.keys(a.citations[0]).sort()).toEqual(["doc", "quote", "section", "title"]);
  }, 60_000);

  it("answers a JSONL batch, one JSON line per question with its id", () => {
    const file = path.join(config.dataDir, "batch.jsonl");
    fs.writeFileSync(file, '{"id":"a","question":"Ai ký ban hành kế hoạch?"}\n{"id":"b","question":"Giá vàng hôm nay?"}\n');
    const out = execFileSync(tsx, ["src/cli/ask.ts", "--json", "--batch", file], { cwd: ROOT, env }).toString();
    const rows = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id)).toEqual(["a", "b"]);
    expect(rows[0].citations[0]).toMatchObject({ doc: "kh-ctr77", section: "signature" });
    expect(rows[1].abstained).toBe(true);
  }, 60_000);
});

describe("ask --batch into a pipe", () => {
  const env = { ...process.env, DATA_DIR: config.DATA_DIR, CORPUS_DIR: config.CORPUS_DIR, LOG_LEVEL: "silent" };
  const tsx = path.join(ROOT, "node_modules/.bin/tsx");
  const file = path.join(config.dataDir, "pipe-batch.jsonl");
  // One answer line over a pipe's 64 KiB (its question is long), then short ones: a write the pipe takes only in
  // part is finished asynchronously, and was lost when the CLI exited right after it.
  const long = `Ai ký ban hành kế hoạch? ${"-".repeat(70_000)}`;
  const questions = [long, "Sở Tài chính phải làm gì?", "Ai ký ban hành kế hoạch?"];
  const N = 6;
  fs.writeFileSync(
    file,
    Array.from({ length: N }, (_, i) => JSON.stringify({ id: i, question: questions[i % questions.length] })).join("\n"),
  );
  const bash = (script: string) =>
    spawnSync("bash", ["-c", `set -o pipefail; ${script}`], { cwd: ROOT, env: { ...env, TSX: tsx, FILE: file }, encoding: "utf8" });

  it("a reader slower than the answers gets every line (more than a pipe buffer of output)", () => {
    // The reader starts reading only after the CLI would have exited: the 64 KiB pipe buffer fills first.
    const r = bash('"$TSX" src/cli/ask.ts --json --batch "$FILE" | (sleep 6; cat)');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(2 * 64 * 1024);
    const ids = r.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => i));
  }, 120_000);

  it("`| head -n 2` ends it quietly: exit 0, no EPIPE error", () => {
    const r = bash('"$TSX" src/cli/ask.ts --json --batch "$FILE" | head -n 2');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(2);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  }, 120_000);
});
