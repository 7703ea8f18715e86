// Real telegraf against a loopback double of the Telegram Bot API, with the real answering core.
import Database from "better-sqlite3";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { startTestApp, testDataDir, until, type TestApp } from "./helpers.js";

const TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk";

let api: TelegramApiDouble;
let app: TestApp | undefined;
let dataDir: string;

beforeAll(async () => {
  dataDir = await testDataDir();
}, 180_000);

async function start(env: Record<string, string> = {}) {
  api = new TelegramApiDouble();
  await api.start();
  app = await startTestApp({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url, ...env }, { dataDir });
  return app;
}

afterEach(async () => {
  await app?.close();
  app = undefined;
  await api?.stop();
});

describe("telegram channel (long polling, real answering core)", () => {
  it("answers a question with the verbatim quote, citation buttons and vote buttons", async () => {
    await start();
    const question = "Hạn nộp báo cáo hằng năm là khi nào?";
    const expected = await app!.assistant.ask(question);
    api.push(api.textUpdate(question, { userId: 11 }));
    const last = await until(() => api.sent(11).find((m) => m.buttons.length > 0), 20_000, "answer");
    const msg = api.sent(11)[0]!;
    expect(msg.call.token).toBe(TOKEN);
    expect(msg.call.body.parse_mode).toBe("HTML");
    const text = api
      .sent(11)
      .map((m) => m.text)
      .join("\n");
    expect(text).toContain("30/11");
    // Every citation's verbatim quote is shown.
    expect(expected.citations.length).toBeGreaterThan(0);
    for (const c of expected.citations) expect(text).toContain(c.quote);
    const buttons = last.buttons.flat();
    const source = buttons.find((b) => b.text.startsWith("📄 Mục IV.2 · Kế hoạch thực hiện CTr 77-CTr/TU"));
    expect(source?.callback_data).toMatch(/^s:\d+:\d+$/);
    expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining(["👍 Hữu ích", "👎 Chưa đúng"]));
    // Typing indicator while answering.
    expect(api.callsOf("sendChatAction").some((c) => c.body.action === "typing" && String(c.body.chat_id) === "11")).toBe(true);

    // The citation button shows the full section.
    const before = api.sent(11).length;
    api.push(api.buttonUpdate(source!.callback_data, { userId: 11 }));
    const full = await until(() => api.sent(11)[before], 10_000, "source message");
    expect(full.text).toContain("Toàn văn mục được trích dẫn\nKế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông) — Mục IV.2");
    expect(full.text).toContain("Định kỳ hàng năm (trước ngày 30/11) và khi có yêu cầu");
    await api.waitFor((c) => c.method === "answerCallbackQuery");

    // 👎 is stored with the question and its citations.
    const down = buttons.find((b) => b.text.startsWith("👎"))!;
    api.push(api.buttonUpdate(down.callback_data, { userId: 11 }));
    const ack = await api.waitFor((c) => c.method === "answerCallbackQuery" && c.body.text !== undefined);
    expect(ack.body.text).toBe("Cảm ơn bạn đã góp ý!");
    const db = new Database(path.join(dataDir, "feedback.sqlite"), { readonly: true });
    const row = db.prepare("SELECT a.question, a.citations, v.value FROM votes v JOIN answers a ON a.id = v.answer_id").get() as {
      question: string;
      citations: string;
      value: number;
    };
    db.close();
    expect(row.question).toBe("Hạn nộp báo cáo hằng năm là khi nào?");
    expect(row.value).toBe(-1);
    expect(JSON.parse(row.citations)[0]).toMatchObject({ doc: "kh-ctr77", section: "IV.2" });
  }, 60_000);

  it("/start offers three example questions as buttons that get answered", async () => {
    await start();
    api.push(api.textUpdate("/start", { userId: 12 }));
    const welcome = await until(() => api.sent(12)[0], 10_000, "welcome");
    expect(welcome.text).toContain("Kế hoạch thực hiện Chương trình 77-CTr/TU");
    const examples = welcome.buttons.flat();
    expect(examples).toHaveLength(3);
    expect(examples.map((b) => b.callback_data)).toEqual(["x:0", "x:1", "x:2"]);

    api.push(api.buttonUpdate(examples[1]!.callback_data, { userId: 12 }));
    const answer = await until(() => api.sent(12)[1], 20_000, "example answer");
    expect(answer.text).toContain("Sở Tài chính");
    expect(api.callsOf("setMyCommands")[0]?.body.commands).toEqual(expect.arrayContaining([expect.objectContaining({ command: "nguon" })]));
  }, 60_000);

  it("/help and /nguon list commands and the documents with number, date and status", async () => {
    await start();
    api.push(api.textUpdate("/help", { userId: 13 }));
    api.push(api.textUpdate("/nguon", { userId: 13 }));
    const [help, docs] = await until(() => api.sent(13).length >= 2 && api.sent(13), 10_000, "help and nguon");
    const texts = [help!.text, docs!.text].join("\n");
    expect(texts).toContain("/nguon — Danh sách văn bản nguồn");
    expect(texts).toContain("Nghị định 80/2021/NĐ-CP");
    expect(texts).toContain("Số hiệu: 80/2021/NĐ-CP · Ngày ban hành: 26/8/2021 · Tình trạng: còn hiệu lực");
    expect(texts).toMatch(/Luật Khoa học và công nghệ 29\/2013\/QH13\n.*Tình trạng: đã được thay thế/);
  }, 30_000);

  it("escapes '&' in quotes (R&D) so Telegram accepts the HTML", async () => {
    await start();
    api.push(
      api.textUpdate("Nghị quyết 57 đặt mục tiêu kinh phí chi cho nghiên cứu phát triển đến năm 2030 là bao nhiêu?", { userId: 14 }),
    );
    const msg = await until(() => api.sent(14)[0], 20_000, "answer");
    expect(msg.text).toContain("R&D");
    expect(msg.raw).toContain("R&amp;D");
    expect(msg.raw).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }, 30_000);

  it("rate-limits per user with one polite message, and caps question length", async () => {
    await start({ RATE_LIMIT_PER_MINUTE: "2", MAX_QUESTION_LENGTH: "50" });
    api.push(api.textUpdate("x".repeat(51), { userId: 21 }));
    const long = await until(() => api.sent(21)[0], 10_000, "length message");
    expect(long.text).toBe("Câu hỏi dài 51 ký tự, vượt quá giới hạn 50 ký tự. Vui lòng rút gọn câu hỏi rồi gửi lại.");

    api.push(api.textUpdate("Ai ký ban hành kế hoạch?", { userId: 21 }));
    api.push(api.textUpdate("Ai ký ban hành kế hoạch?", { userId: 21 }));
    api.push(api.textUpdate("Ai ký ban hành kế hoạch?", { userId: 21 }));
    const refused = await until(() => api.sent(21).find((m) => m.text.includes("quá 2 câu hỏi")), 20_000, "rate message");
    expect(refused.text).toMatch(/^Bạn đã gửi quá 2 câu hỏi trong một phút\. Vui lòng đợi khoảng \d+ giây rồi hỏi tiếp\. Xin cảm ơn!$/);
    // Another user is not affected.
    api.push(api.textUpdate("Ai ký ban hành kế hoạch?", { userId: 22 }));
    await until(() => api.sent(22)[0], 20_000, "other user's answer");
    // The fourth message of user 21 is dropped silently (told once per minute).
    api.push(api.textUpdate("Ai ký ban hành kế hoạch?", { userId: 21 }));
    await until(() => app!.logs.lines().filter((l) => l.msg === "question refused").length >= 3, 10_000, "refusals");
    expect(api.sent(21).filter((m) => m.text.includes("quá 2 câu hỏi"))).toHaveLength(1);
    expect(api.sent(21).filter((m) => m.text.includes("Lê Trọng Yên"))).toHaveLength(1);
  }, 60_000);

  it("commands count against the rate limit like questions", async () => {
    await start({ RATE_LIMIT_PER_MINUTE: "2" });
    for (const cmd of ["/help", "/nguon", "/help"]) api.push(api.textUpdate(cmd, { userId: 31 }));
    const refused = await until(() => api.sent(31).find((m) => m.text.includes("quá 2 câu hỏi")), 20_000, "rate message");
    expect(refused.text).toMatch(/^Bạn đã gửi quá 2 câu hỏi trong một phút/);
    // Two command replies (/help may take more than one message) and the one refusal.
    await until(() => api.sent(31).filter((m) => !m.text.includes("quá 2 câu hỏi")).length >= 2, 20_000, "command replies");
    expect(api.sent(31).filter((m) => m.text.includes("quá 2 câu hỏi"))).toHaveLength(1);
  }, 30_000);

  it("retries after 429 (honouring retry_after) and 500, and never logs the token", async () => {
    await start();
    api.failNext(
      "sendMessage",
      {
        status: 429,
        body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } },
      },
      { status: 500, body: { ok: false, error_code: 500, description: "Internal Server Error" } },
    );
    api.push(api.textUpdate("Hạn nộp báo cáo hằng năm là khi nào?", { userId: 31 }));
    const msg = await until(() => api.sent(31)[0], 20_000, "answer after retries");
    expect(msg.text).toContain("30/11");
    const attempts = api.callsOf("sendMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 500, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    const logs = app!.logs.text();
    expect(logs).toContain("api call failed, retrying");
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(TOKEN.split(":")[1]);
  }, 30_000);

  it("in groups answers only when mentioned, replied to, or commanded", async () => {
    await start();
    const group = { chatType: "supergroup" as const, chatId: -100777, userId: 41 };
    api.push(api.textUpdate("Hạn nộp báo cáo hằng năm là khi nào?", group));
    api.push(api.textUpdate("/nguon@some_other_bot", group));
    api.push(api.textUpdate("@trolykhcn_bot Hạn nộp báo cáo hằng năm là khi nào?", group));
    api.push(api.textUpdate("Ai ký ban hành kế hoạch?", { ...group, replyToBot: true }));
    api.push(api.textUpdate("/nguon@trolykhcn_bot", group));
    const sent = await until(() => api.sent(-100777).length >= 3 && api.sent(-100777), 20_000, "group replies");
    await new Promise((r) => setTimeout(r, 300));
    expect(api.sent(-100777)).toHaveLength(3);
    const all = sent.map((m) => m.text).join("\n---\n");
    expect(all).toContain("30/11");
    expect(all).toContain("Lê Trọng Yên");
    expect(all).toContain("Các văn bản tôi dùng để trả lời");
  }, 30_000);

  it("pushes a message to a chat with sendTo and runs commands registered later", async () => {
    await start({ TELEGRAM_ADMIN_IDS: "51" });
    app!.chat.command("phienban", (ctx) => `Quản trị: ${ctx.isAdmin ? "có" : "không"}; tham số: ${ctx.args}`, { adminOnly: true });
    api.push(api.textUpdate("/phienban hiện tại", { userId: 51 }));
    api.push(api.textUpdate("/phienban", { userId: 52 }));
    await until(() => api.sent(51)[0] && api.sent(52)[0], 10_000, "command replies");
    expect(api.sent(51)[0]!.text).toBe("Quản trị: có; tham số: hiện tại");
    expect(api.sent(52)[0]!.text).toBe("Lệnh này chỉ dành cho quản trị viên.");

    await app!.chat.sendTo("telegram", "51", "Nhắc việc: hạn báo cáo 30/11 & Sở KH&CN <tổng hợp>");
    const pushed = api.sent(51)[1]!;
    expect(pushed.text).toBe("Nhắc việc: hạn báo cáo 30/11 & Sở KH&CN <tổng hợp>");
    expect(pushed.raw).toBe("Nhắc việc: hạn báo cáo 30/11 &amp; Sở KH&amp;CN &lt;tổng hợp&gt;");
  }, 30_000);
});

describe("telegram channel (webhook)", () => {
  const SECRET = "webhook-secret_0123456789";
  const env = { TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/hooks/telegram", TELEGRAM_WEBHOOK_SECRET: SECRET };

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app!.url}/hooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("registers the webhook with its secret and rejects requests without the right secret", async () => {
    await start(env);
    const set = api.callsOf("setWebhook")[0]!;
    expect(set.body).toMatchObject({ url: "https://bot.example.vn/hooks/telegram", secret_token: SECRET });
    expect(api.callsOf("getUpdates")).toHaveLength(0);

    const update = api.textUpdate("Hạn nộp báo cáo hằng năm là khi nào?", { userId: 61 });
    expect((await post(update)).status).toBe(401);
    expect((await post(update, { "X-Telegram-Bot-Api-Secret-Token": "wrong" })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.callsOf("sendMessage")).toHaveLength(0);
    expect(api.callsOf("sendChatAction")).toHaveLength(0);
    const logs = app!.logs.text();
    expect(logs).toContain("telegram webhook rejected");
    expect(logs).not.toContain(SECRET);

    const ok = await post(update, { "X-Telegram-Bot-Api-Secret-Token": SECRET });
    expect(ok.status).toBe(200);
    const msg = await until(() => api.sent(61)[0], 20_000, "answer");
    expect(msg.text).toContain("30/11");
  }, 30_000);

  it("answers an update delivered twice only once", async () => {
    await start(env);
    const update = api.textUpdate("Ai ký ban hành kế hoạch?", { userId: 62 });
    const headers = { "X-Telegram-Bot-Api-Secret-Token": SECRET };
    expect((await post(update, headers)).status).toBe(200);
    expect((await post(update, headers)).status).toBe(200);
    await until(() => api.sent(62)[0], 20_000, "answer");
    await new Promise((r) => setTimeout(r, 500));
    expect(api.sent(62)).toHaveLength(1);
    expect(app!.logs.text()).toContain("duplicate update dropped");
  }, 30_000);
});

afterAll(async () => {
  await app?.close();
});
