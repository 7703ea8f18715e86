// Channel mechanics over the real telegraf and the real Zalo client, with the real answering core over the
// shipped corpus plus a fixture document (test/channels/fixtures) whose real answers are longer than the
// platforms' limits and quote "Sở KH&CN" and "<Mẫu …>": splitting, escaping, failure isolation.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { withoutSourceList } from "../../src/chat/format.js";
import type { Answer } from "../../src/types.js";
import { TelegramApiDouble, type SentMessage } from "../doubles/telegram-api.js";
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { FIXTURE_DOCUMENT, fixtureCorpus, startTestApp, testDataDir, until, type TestApp } from "./helpers.js";

const TG_TOKEN = "987654321:AAMechanicsToken_zyxwvutsrqponm";
const ZALO_TOKEN = "1459232241454765289:ZaloSecretPartForTests";

/** Answered from the fixture: the list introduction of Điều 1 khoản 1 and its long points. */
const LONG_QUESTION = "Dự án thử nghiệm cảm biến độ ẩm đất được xét chọn theo những tiêu chí nào?";
/** Answered from the fixture's Điều 1 khoản 2, which names "Sở KH&CN" and "<Mẫu 01/TN-CB>". */
const MARKUP_QUESTION =
  "<script>alert('x')</script> Theo quy chế cảm biến, Sở KH&CN tiếp nhận hồ sơ đề nghị thử nghiệm cảm biến độ ẩm đất thế nào?";
const APOLOGY = "Xin lỗi, hệ thống đang gặp sự cố nên chưa trả lời được. Vui lòng thử lại sau ít phút.";
const BLOCKED = { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } };

let corpusDir: string;
let dataDir: string;
let app: TestApp | undefined;
let tg: TelegramApiDouble;
let zalo: ZaloApiDouble;

beforeAll(async () => {
  corpusDir = fixtureCorpus();
  dataDir = await testDataDir(corpusDir);
}, 180_000);

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  tg = new TelegramApiDouble();
  zalo = new ZaloApiDouble();
  await Promise.all([tg.start(), zalo.start()]);
  app = await startTestApp(
    {
      CORPUS_DIR: corpusDir,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_API_ROOT: tg.url,
      ZALO_BOT_TOKEN: ZALO_TOKEN,
      ZALO_API_BASE: zalo.url,
      ...env,
    },
    { dataDir },
  );
  return app;
}

afterEach(async () => {
  await app?.close();
  app = undefined;
  await Promise.all([tg?.stop(), zalo?.stop()]);
});

const squash = (s: string) => s.replace(/\s+/g, " ").trim();
const linesOf = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** Telegram messages that show `answer`: its text, then the quotes it shortens (listed in full). */
/** The answer as shown: its text (without a paragraph listing the sources the buttons list), every quote in full. */
function expectAnswer(sent: SentMessage[], answer: Answer) {
  const shown = sent.map((m) => m.text).join("\n");
  expect(squash(shown).startsWith(squash(withoutSourceList(answer.answer, answer.citations)))).toBe(true);
  for (const c of answer.citations) expect(shown).toContain(c.quote);
}

/** The fixture's point D1.1.b: one paragraph longer than a Telegram message, cited by the real answer. */
async function longSection(running: TestApp) {
  const answer = await running.assistant.ask(LONG_QUESTION);
  expect(answer.abstained).toBe(false);
  expect(answer.citations[0]).toMatchObject({ doc: FIXTURE_DOCUMENT.id, section: "D1.1" });
  expect(answer.citations.filter((c) => c.section.startsWith("D1.1.")).length).toBeGreaterThanOrEqual(3);
  const section = running.assistant.section(FIXTURE_DOCUMENT.id, "D1.1.b")!;
  const longest = [section.heading, ...section.paragraphs].reduce((a, b) => (b.length > a.length ? b : a));
  expect(longest.length).toBeGreaterThan(4096);
  return { answer, longest };
}

/** Messages that carry part of `text` end at a sentence, except the last; together they hold all of it. */
function expectCutAtSentences(messages: string[], text: string) {
  // A section's first line carries its item marker ("b) …"), which is not part of the text.
  const inText = (l: string) => squash(text).includes(squash(l.replace(/^\S{1,6}[.)]\s+/, "")));
  const parts = messages.filter((m) => linesOf(m).some((l) => l.length > 100 && inText(l)));
  expect(parts.length).toBeGreaterThanOrEqual(2);
  for (const m of parts.slice(0, -1)) expect(m.trimEnd()).toMatch(/[.!?…»”]$/);
  expect(squash(messages.join(" ")).replace(/\S{1,6}[.)] /g, "")).toContain(squash(text).replace(/\S{1,6}[.)] /g, ""));
}

describe("long texts", () => {
  it("Telegram: a cited section longer than a message is sent in parts within 4096, cut after sentences", async () => {
    const running = await start();
    const { longest } = await longSection(running);
    tg.push(tg.textUpdate(LONG_QUESTION, { userId: 7 }));
    const reply = await until(() => tg.sent(7).find((m) => m.buttons.length > 0), 10_000, "reply");
    expect(reply.text.length).toBeLessThanOrEqual(4096);
    const button = reply.buttons.flat().find((b) => b.text.includes("Điều 1, khoản 1, điểm b"))!;
    tg.push(tg.buttonUpdate(button.callback_data, { userId: 7 }));
    const tail = squash(longest).slice(-60);
    const arrived = () =>
      squash(
        tg
          .sent(7)
          .slice(1)
          .map((m) => m.text)
          .join(" "),
      ).includes(tail);
    const sent = await until(() => arrived() && tg.sent(7).slice(1), 10_000, "section parts");
    expect(tg.callsOf("sendMessage").every((c) => c.status === 200)).toBe(true);
    for (const m of sent) {
      expect(m.text.length).toBeLessThanOrEqual(4096);
      expect(m.raw.length).toBeLessThanOrEqual(4096);
    }
    expectCutAtSentences(
      sent.map((m) => m.text),
      longest,
    );
  });

  it("Zalo: plain text within 2000 characters; /xem sends a long section in parts cut after sentences", async () => {
    const running = await start();
    const { answer, longest } = await longSection(running);
    zalo.push(zalo.textUpdate(LONG_QUESTION, { userId: "z7" }));
    const sent = await until(() => zalo.sent("z7").some((t) => t.includes("/xem 1 —")) && zalo.sent("z7"), 10_000, "reply");
    for (const t of sent) expect(t.length).toBeLessThanOrEqual(2000);
    const all = sent.join("\n");
    expect(squash(all).startsWith(squash(answer.answer))).toBe(true);
    // Plain text: the fixture's "KH&CN" and "<…>" go out verbatim.
    expect(all).toContain("Quy chế thử KH&CN <cảm biến> — Điều 1");
    expect(all).not.toMatch(/&amp;|&lt;|&gt;/);
    const listing = all.slice(all.indexOf("/xem 1 —"));
    const n = listing
      .split("\n")
      .find((l) => l.includes("Điều 1, khoản 1, điểm b"))!
      .match(/\/xem (\d+)/)![1];
    const before = zalo.sent("z7").length;
    zalo.push(zalo.textUpdate(`/xem ${n}`, { userId: "z7" }));
    const tail = squash(longest).slice(-60);
    const parts = await until(
      () => squash(zalo.sent("z7").slice(before).join(" ")).includes(tail) && zalo.sent("z7").slice(before),
      10_000,
      "section parts",
    );
    for (const t of parts) expect(t.length).toBeLessThanOrEqual(2000);
    expectCutAtSentences(parts, longest);
  });

  it("Zalo: every quote of a duty answer arrives in full, within 2000 characters a message", async () => {
    const running = await start();
    const question = "Các Sở, ngành có nhiệm vụ gì?";
    const answer = await running.assistant.ask(question);
    expect(answer.citations.length).toBeGreaterThan(0);
    zalo.push(zalo.textUpdate(question, { userId: "z6" }));
    const sent = await until(() => zalo.sent("z6").some((t) => t.includes("/xem 1 —")) && zalo.sent("z6"), 10_000, "all parts");
    for (const t of sent) expect(t.length).toBeLessThanOrEqual(2000);
    const all = squash(sent.join("\n"));
    for (const c of answer.citations) expect(all).toContain(squash(c.quote));
  });
});

describe("escaping", () => {
  it("Telegram: a <script> question gets the real answer; Sở KH&CN and <…> quoted from the document are escaped", async () => {
    const running = await start();
    const answer = await running.assistant.ask(MARKUP_QUESTION);
    expect(answer.citations[0]).toMatchObject({
      doc: FIXTURE_DOCUMENT.id,
      section: "D1.2",
      title: "Quy chế thử KH&CN <cảm biến> — Điều 1, khoản 2",
    });
    expect(answer.citations[0]!.quote).toContain("Sở KH&CN chủ trì tiếp nhận hồ sơ");
    expect(answer.citations[0]!.quote).toContain("<Mẫu 01/TN-CB>");

    tg.push(tg.textUpdate(MARKUP_QUESTION, { userId: 8 }));
    const msg = await until(() => tg.sent(8).find((m) => m.buttons.length > 0), 10_000, "answer");
    expect(tg.sent(8)).toHaveLength(1);
    // What the user sees is the answer verbatim; the HTML source has every "&", "<" and ">" escaped.
    expect(msg.text).toBe(answer.answer);
    expect(msg.raw).toContain("«Sở KH&amp;CN chủ trì tiếp nhận hồ sơ");
    expect(msg.raw).toContain("theo mẫu &lt;Mẫu 01/TN-CB&gt; và");
    expect(msg.raw).toContain("Quy chế thử KH&amp;CN &lt;cảm biến&gt; — Điều 1, khoản 2: «");
    expect(msg.raw).not.toMatch(/<(?!\/?(b|i|blockquote)>)|&(?!amp;|lt;|gt;)/);
    expect(msg.raw).not.toContain("<script>");

    const source = msg.buttons.flat().find((b) => b.callback_data.startsWith("s:"))!;
    expect(source.text).toBe("📄 Điều 1, khoản 2 · Quy chế thử KH&CN <cảm biến>");
    tg.push(tg.buttonUpdate(source.callback_data, { userId: 8 }));
    const full = await until(() => tg.sent(8)[1], 10_000, "source");
    expect(full.raw).toContain(
      "<blockquote>2. Sở KH&amp;CN chủ trì tiếp nhận hồ sơ đề nghị thử nghiệm cảm biến độ ẩm đất, kiểm tra tính hợp lệ theo mẫu " +
        "&lt;Mẫu 01/TN-CB&gt; và trả lời tổ chức đề nghị trong vòng mười ngày làm việc.</blockquote>",
    );
    expect(full.text).toContain("Toàn văn mục được trích dẫn\nQuy chế thử KH&CN <cảm biến> — Điều 1, khoản 2");
  });

  it("Zalo: the same text goes out verbatim as plain text", async () => {
    const running = await start();
    const answer = await running.assistant.ask(MARKUP_QUESTION);
    expect(answer.answer).toContain("<Mẫu 01/TN-CB>");
    zalo.push(zalo.textUpdate(MARKUP_QUESTION, { userId: "z8" }));
    const [text] = await until(() => zalo.sent("z8").length > 0 && zalo.sent("z8"), 10_000, "answer");
    expect(text).toContain(answer.answer);
    expect(text).toContain("/xem 1 — Quy chế thử KH&CN <cảm biến> — Điều 1, khoản 2");
    expect(text).not.toMatch(/&amp;|&lt;|&gt;/);
  });
});

describe("failure isolation", () => {
  it("an answer the API rejects gets an apology, and the bot keeps answering", async () => {
    const running = await start();
    const first = "Hạn nộp báo cáo hằng năm là khi nào?";
    const second = "Sở Tài chính có nhiệm vụ gì trong kế hoạch?";
    const [expected1, expected2] = [await running.assistant.ask(first), await running.assistant.ask(second)];
    // The user blocked the bot while it was answering, then unblocked it.
    tg.failNext("sendMessage", BLOCKED);
    tg.push(tg.textUpdate(first, { userId: 9 }));
    const apology = await until(() => tg.sent(9)[0], 10_000, "apology");
    expect(apology.text).toBe(APOLOGY);
    const [refused] = tg.callsOf("sendMessage").filter((c) => c.status === 403);
    expect(String(refused!.body.text)).toContain(expected1.citations[0]!.quote);
    const failure = running.logs.lines().find((l) => l.msg === "message handling failed");
    expect(JSON.stringify(failure)).toContain("bot was blocked by the user");

    tg.push(tg.textUpdate(second, { userId: 9 }));
    const next = await until(
      () =>
        tg
          .sent(9)
          .slice(1)
          .find((m) => m.buttons.length > 0),
      10_000,
      "next answer",
    );
    expectAnswer(tg.sent(9).slice(1), expected2);
    expect(next.buttons.flat().some((b) => b.text.startsWith("👍"))).toBe(true);
    expect(running.logs.text()).not.toContain("could not send failure notice");
  });

  it("a message the API keeps rejecting does not stop the next one", async () => {
    const running = await start();
    const first = "Ai phải báo cáo tình hình thực hiện kế hoạch và gửi cho ai?";
    const second = "Hạn nộp báo cáo hằng năm là khi nào?";
    const expected2 = await running.assistant.ask(second);
    // Telegram refuses every message to a chat that blocked the bot: the answer, then the apology.
    tg.failNext("sendMessage", BLOCKED, BLOCKED);
    tg.push(tg.textUpdate(first, { userId: 10 }));
    const refused = await until(
      () => tg.callsOf("sendMessage").filter((c) => c.status === 403).length === 2 && tg.callsOf("sendMessage"),
      10_000,
      "refusals",
    );
    expect(refused.map((c) => c.status)).toEqual([403, 403]);
    expect(refused[1]!.body.text).toBe(APOLOGY);
    await until(() => running.logs.text().includes("could not send failure notice"), 5_000, "failure notice log");

    tg.push(tg.textUpdate(second, { userId: 10 }));
    await until(() => tg.sent(10).find((m) => m.buttons.length > 0), 10_000, "second answer");
    expectAnswer(tg.sent(10), expected2);
    expect(
      tg
        .callsOf("sendMessage")
        .slice(2)
        .every((c) => c.status === 200),
    ).toBe(true);
  });

  it("Zalo: 429 with retry_after and 500 are retried; the token never reaches the logs", async () => {
    const running = await start();
    const question = "Hạn nộp báo cáo hằng năm là khi nào?";
    const expected = await running.assistant.ask(question);
    zalo.failNext(
      "sendMessage",
      { status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: 1 } } },
      { status: 500, body: { ok: false, error_code: 500, description: "Internal Server Error" } },
    );
    zalo.push(zalo.textUpdate(question, { userId: "z9" }));
    const [text] = await until(() => zalo.sent("z9").length > 0 && zalo.sent("z9"), 10_000, "answer");
    // Zalo lists the cited sections for /xem: the text's own "Nguồn:" list is not repeated.
    expect(text).toContain(withoutSourceList(expected.answer, expected.citations));
    expect(text).not.toContain("Nguồn:\n- ");
    const attempts = zalo.callsOf("sendMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 500, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    const logs = running.logs.text();
    expect(logs).toContain("zalo.sendMessage");
    expect(logs).not.toContain(ZALO_TOKEN);
    expect(logs).not.toContain("ZaloSecretPartForTests");
  });
});
