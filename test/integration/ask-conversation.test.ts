// `npm run ask -- --conversation ID`: a follow-up asked in a second process is read with the first question.
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, testDataDir } from "../channels/helpers.js";
import { conversationCorpus } from "../chat/helpers.js";

const CLI = path.join(ROOT, "src/cli/ask.ts");

function ask(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const options = { cwd: ROOT, env: { ...process.env, ...env }, timeout: 90_000 };
    execFile(process.execPath, ["--import", "tsx", CLI, ...args], options, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("ask --conversation", () => {
  it("reads a follow-up with the earlier question of the same conversation id only", async () => {
    const corpusDir = conversationCorpus();
    const env = { CORPUS_DIR: corpusDir, DATA_DIR: await testDataDir(corpusDir), LOG_LEVEL: "silent" };
    expect((await ask(env, "--json", "--conversation", "c-1", "Sở Tài chính phải làm gì?")).code).toBe(0);
    const followup = JSON.parse((await ask(env, "--json", "--conversation", "c-1", "hạn khi nào?")).stdout) as Record<string, string>;
    expect(followup.conversationId).toBe("c-1");
    expect(followup.resolvedQuestion).toMatch(/^Sở Tài chính/);
    expect(followup.answer).toContain("trước ngày 15/3/2027");
    const other = JSON.parse((await ask(env, "--json", "--conversation", "c-2", "hạn khi nào?")).stdout) as Record<string, string>;
    expect(other.resolvedQuestion).toBeUndefined();
    expect(other.answer).not.toContain("15/3/2027");

    const bad = await ask(env, "--conversation", "../x", "hạn khi nào?");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--conversation ID");
  }, 120_000);
});
