// Question-log retention (QUESTION_LOG_DAYS, default 180): applied when the server starts and then daily.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { openSqliteQuestionLog, scheduleQuestionRetention } from "../../src/store/index.js";

const DAY = 86_400_000;
const row = (question: string, daysAgo: number) => ({
  channel: "web",
  userHash: "h",
  question,
  abstained: false,
  answer: "Trả lời.",
  topDoc: null,
  answerId: null,
  createdAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
});

describe("question log retention", () => {
  it("defaults to 180 days; 0 keeps everything", () => {
    expect(loadConfig({}).QUESTION_LOG_DAYS).toBe(180);
    expect(loadConfig({ QUESTION_LOG_DAYS: "0" }).QUESTION_LOG_DAYS).toBe(0);
  });

  it("deletes questions older than the period at once and again at each run", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "retention-"));
    const store = openSqliteQuestionLog(path.join(dir, "questions.sqlite"));
    try {
      store.insert(row("cũ", 200));
      store.insert(row("gần hạn", 179));
      store.insert(row("mới", 1));
      const stop = scheduleQuestionRetention(store, 180, silentLogger, 50);
      await new Promise((r) => setTimeout(r, 20));
      const left = () => (store.since("1970-01-01T00:00:00.000Z") as { question: string }[]).map((r) => r.question);
      expect(left()).toEqual(["gần hạn", "mới"]);
      store.insert(row("cũ nữa", 365));
      await new Promise((r) => setTimeout(r, 120));
      expect(left()).toEqual(["gần hạn", "mới"]);
      stop();
      scheduleQuestionRetention(store, 0, silentLogger)();
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
