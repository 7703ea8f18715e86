// The question log: abstained and 👎 questions grouped by similar wording, handled groups, usage, no user ids.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openQuestionLog, questionTokens, similarity, type QuestionLog } from "../../src/console/questions.js";
import { answerOf, type Answer } from "../../src/types.js";
import { emptyDataDir } from "../channels/helpers.js";

const abstained = (question: string): Answer =>
  answerOf({ question, answer: "Tài liệu không nêu nội dung này.", abstained: true, mode: "extractive", citations: [] });
const answered = (question: string, doc: string): Answer =>
  answerOf({
    question,
    answer: `Trả lời cho: ${question}`,
    abstained: false,
    mode: "extractive",
    citations: [{ doc, section: "II.1", title: `${doc} — Mục II.1`, quote: "…" }],
  });

let log: QuestionLog | undefined;
afterEach(async () => await log?.close());

describe("question log", () => {
  it("groups the same question typed with or without diacritics and other word order", async () => {
    expect(similarity(questionTokens("Học phí đại học tăng bao nhiêu?"), questionTokens("hoc phi dai hoc tang bao nhieu"))).toBe(1);
    log = openQuestionLog(":memory:");
    await log.record({ channel: "telegram", userId: "111", answer: abstained("Học phí đại học năm nay tăng bao nhiêu?") });
    await log.record({ channel: "web", userId: "127.0.0.1", answer: abstained("hoc phi dai hoc nam nay tang bao nhieu") });
    await log.record({ channel: "zalo", userId: "z9", answer: abstained("Năm nay học phí đại học tăng bao nhiêu vậy?") });
    await log.record({ channel: "web", userId: "127.0.0.1", answer: abstained("Làm căn cước công dân ở đâu?") });
    await log.record({ channel: "web", userId: "127.0.0.1", answer: answered("Ai chủ trì sàn giao dịch công nghệ?", "kh-a") });

    const groups = await log.unanswered();
    expect(groups.map((g) => [g.question, g.count])).toEqual([
      ["Học phí đại học năm nay tăng bao nhiêu?", 3],
      ["Làm căn cước công dân ở đâu?", 1],
    ]);
    expect(groups[0]!.channels).toEqual(["telegram", "web", "zalo"]);
    expect(groups[0]!.variants).toEqual(["hoc phi dai hoc nam nay tang bao nhieu", "Năm nay học phí đại học tăng bao nhiêu vậy?"]);
    expect(groups[0]!.answer).toBe("Tài liệu không nêu nội dung này.");
  });

  it("lists an answered question voted 👎, with the answer that was given", async () => {
    log = openQuestionLog(":memory:");
    await log.record({ channel: "telegram", userId: "1", answer: answered("Hạn nộp hồ sơ đề tài là khi nào?", "kh-a"), answerId: 41 });
    await log.record({ channel: "telegram", userId: "2", answer: answered("Ai chủ trì sàn giao dịch công nghệ?", "kh-a"), answerId: 42 });
    const [group, ...rest] = await log.unanswered({ downvoted: [41] });
    expect(rest).toEqual([]);
    expect(group).toMatchObject({
      question: "Hạn nộp hồ sơ đề tài là khi nào?",
      downvoted: 1,
      abstained: 0,
      answer: "Trả lời cho: Hạn nộp hồ sơ đề tài là khi nào?",
    });
  });

  it("hides a handled group until the question is asked again", async () => {
    log = openQuestionLog(":memory:");
    await log.record({ channel: "web", userId: "a", answer: abstained("Giá vé máy bay đi Phú Quốc bao nhiêu?") });
    const [group] = await log.unanswered();
    await log.markHandled(group!.key, "lan");
    expect(await log.unanswered()).toEqual([]);
    expect((await log.unanswered({ includeHandled: true }))[0]).toMatchObject({ handled: true, count: 1 });
    await new Promise((r) => setTimeout(r, 5));
    await log.record({ channel: "web", userId: "b", answer: abstained("gia ve may bay di Phu Quoc bao nhieu") });
    expect((await log.unanswered())[0]).toMatchObject({ handled: false, count: 2 });
  });

  it("counts usage per local day and channel, top documents and agencies; stores no user id", async () => {
    const dir = emptyDataDir();
    const file = path.join(dir, "questions.sqlite");
    log = openQuestionLog(file);
    await log.record({ channel: "telegram", userId: "user-98765", answer: answered("Sở Y tế làm gì?", "kh-a") });
    await log.record({ channel: "telegram", userId: "user-98765", answer: answered("Sở Y tế báo cáo khi nào?", "kh-a") });
    await log.record({ channel: "web", userId: "10.1.2.3", answer: abstained("Thời tiết mai thế nào?") });
    const s = await log.stats({ tzOffsetMinutes: 420, agenciesOf: (q) => (q.includes("Sở Y tế") ? ["Sở Y tế"] : []) });
    const today = new Date(Date.now() + 420 * 60_000).toISOString().slice(0, 10);
    expect(s.days).toEqual([
      { day: today, channel: "telegram", questions: 2, abstained: 0 },
      { day: today, channel: "web", questions: 1, abstained: 1 },
    ]);
    expect(s.documents).toEqual([{ doc: "kh-a", questions: 2 }]);
    expect(s.agencies).toEqual([{ agency: "Sở Y tế", questions: 2 }]);
    expect(s.total).toBe(3);
    await log.close();
    log = undefined;
    const bytes =
      fs.readFileSync(file).toString("latin1") + (fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`).toString("latin1") : "");
    expect(bytes).not.toContain("user-98765");
    expect(bytes).not.toContain("10.1.2.3");
  });
});
