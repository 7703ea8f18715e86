// The `ask` CLI in a child process: exactly one JSON object per question, the documented fields, JSONL batches.
import { execFileSync } from "node:child_process";
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
