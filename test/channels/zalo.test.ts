// Our Zalo client and adapter against a loopback double of the Zalo Bot API, with the real answering core.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { startTestApp, testDataDir, until, type TestApp } from "./helpers.js";

const TOKEN = "1459232241454765289:ZaloBotSecretForTests";

let api: ZaloApiDouble;
let app: TestApp | undefined;
let dataDir: string;

beforeAll(async () => {
  dataDir = await testDataDir();
}, 180_000);

async function start(env: Record<string, string> = {}) {
  api = new ZaloApiDouble();
  await api.start();
  app = await startTestApp({ ZALO_BOT_TOKEN: TOKEN, ZALO_API_BASE: api.url, ...env }, { dataDir });
}

afterEach(async () => {
  await app?.close();
  app = undefined;
  await api?.stop();
});

describe("zalo channel (long polling)", () => {
  it("commands count against the rate limit like questions; the user is told once", async () => {
    await start({ RATE_LIMIT_PER_MINUTE: "2" });
    for (const cmd of ["/help", "/nguon", "/help", "/nguon"]) api.push(api.textUpdate(cmd, { userId: "rl1" }));
    await until(() => api.sent("rl1").some((t) => t.includes("quá 2 câu hỏi")), 20_000, "rate message");
    await until(() => api.sent("rl1").filter((t) => !t.includes("quá 2 câu hỏi")).length >= 2, 20_000, "command replies");
    await until(() => app!.logs.lines().filter((l) => l.msg === "question refused" && l.status === 429).length >= 2, 10_000, "refusals");
    expect(api.sent("rl1").filter((t) => t.includes("quá 2 câu hỏi"))).toHaveLength(1);
  }, 30_000);

  it("answers a question in plain text with numbered citations, then /xem shows the source", async () => {
    await start();
    expect(api.callsOf("deleteWebhook")).toHaveLength(1);
    const question = "Hạn nộp báo cáo hằng năm là khi nào?";
    const expected = await app!.assistant.ask(question);
    api.push(api.textUpdate(question, { userId: "u1" }));
    await until(() => api.sent("u1").some((t) => t.includes("/xem 1 —")), 20_000, "answer");
    expect(api.callsOf("sendMessage")[0]!.token).toBe(TOKEN);
    const answer = api.sent("u1").join("\n");
    expect(answer).toContain("30/11");
    for (const c of expected.citations) expect(answer).toContain(c.quote);
    // Numbered citations, usable with /xem.
    expect(answer).toContain(
      "Xem toàn văn mục được trích dẫn (gõ lệnh):\n/xem 1 — Kế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông) — Mục IV.2",
    );
    expect(answer).not.toMatch(/<\/?[a-z]+>|&amp;/);
    expect(api.callsOf("sendChatAction").some((c) => c.body.action === "typing" && c.body.chat_id === "u1")).toBe(true);
    // The poll loop keeps going through empty (408) polls.
    await until(() => api.callsOf("getUpdates").filter((c) => c.status === 408).length >= 1, 5_000, "empty poll");

    const before = api.sent("u1").length;
    api.push(api.textUpdate("/xem 1", { userId: "u1" }));
    const source = await until(() => api.sent("u1")[before], 10_000, "source");
    expect(source).toContain("Toàn văn mục được trích dẫn\nKế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông) — Mục IV.2");
    expect(source).toContain("Định kỳ hàng năm (trước ngày 30/11) và khi có yêu cầu");
  }, 60_000);

  it("/start lists example questions as text; /nguon lists the documents", async () => {
    await start();
    api.push(api.textUpdate("/start", { userId: "u2" }));
    api.push(api.textUpdate("/nguon", { userId: "u2" }));
    const [start_, docs] = await until(() => api.sent("u2").length >= 2 && api.sent("u2"), 10_000, "replies");
    expect(start_).toContain("• Ai phải báo cáo tình hình thực hiện kế hoạch và gửi cho ai?");
    expect(start_).toContain("• Kế hoạch nói gì về trí tuệ nhân tạo?");
    expect(docs).toContain("Kết luận 69-KL/TW\nSố hiệu: 69-KL/TW · Ngày ban hành: 11/1/2024 · Tình trạng: còn hiệu lực");
  }, 30_000);

  it("caps question length and rate-limits per user with Vietnamese messages", async () => {
    await start({ RATE_LIMIT_PER_MINUTE: "1", MAX_QUESTION_LENGTH: "20" });
    api.push(api.textUpdate("Câu hỏi này dài hơn hai mươi ký tự", { userId: "u3" }));
    const long = await until(() => api.sent("u3")[0], 10_000, "length message");
    expect(long).toBe("Câu hỏi dài 34 ký tự, vượt quá giới hạn 20 ký tự. Vui lòng rút gọn câu hỏi rồi gửi lại.");
    api.push(api.textUpdate("Ai ký kế hoạch?", { userId: "u3" }));
    const limited = await until(() => api.sent("u3")[1], 10_000, "rate message");
    expect(limited).toMatch(/^Bạn đã gửi quá 1 câu hỏi trong một phút\./);
  }, 30_000);
});

describe("zalo channel (webhook)", () => {
  const SECRET = "zalo-webhook-secret-123";
  const env = { ZALO_WEBHOOK_URL: "https://bot.example.vn/hooks/zalo", ZALO_WEBHOOK_SECRET: SECRET };
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app!.url}/hooks/zalo`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("sets the webhook, rejects a missing or wrong secret, and accepts both body shapes", async () => {
    await start(env);
    expect(api.callsOf("setWebhook")[0]!.body).toEqual({ url: "https://bot.example.vn/hooks/zalo", secret_token: SECRET });
    expect(api.callsOf("getUpdates")).toHaveLength(0);

    const bare = api.textUpdate("Hạn nộp báo cáo hằng năm là khi nào?", { userId: "w1" });
    expect((await post(bare)).status).toBe(401);
    expect((await post(bare, { "X-Bot-Api-Secret-Token": "not-the-secret" })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.callsOf("sendMessage")).toHaveLength(0);
    expect(app!.logs.text()).not.toContain(SECRET);

    const ok = { "X-Bot-Api-Secret-Token": SECRET };
    expect((await post(bare, ok)).status).toBe(200);
    const wrapped = { ok: true, result: api.textUpdate("Ai ký ban hành kế hoạch?", { userId: "w2" }) };
    expect((await post(wrapped, ok)).status).toBe(200);
    expect(await until(() => api.sent("w1")[0], 20_000, "bare answer")).toContain("30/11");
    expect(await until(() => api.sent("w2")[0], 20_000, "wrapped answer")).toContain("Lê Trọng Yên");
  }, 30_000);

  it("drops a duplicate delivery of the same event", async () => {
    await start(env);
    const update = api.textUpdate("Ai ký ban hành kế hoạch?", { userId: "w3", messageId: "dup-1" });
    const ok = { "X-Bot-Api-Secret-Token": SECRET };
    expect((await post(update, ok)).status).toBe(200);
    expect((await post({ ok: true, result: update }, ok)).status).toBe(200);
    await until(() => api.sent("w3")[0], 20_000, "answer");
    await new Promise((r) => setTimeout(r, 500));
    expect(api.sent("w3")).toHaveLength(1);
  }, 30_000);
});
