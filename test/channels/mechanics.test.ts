// Channel mechanics over the real telegraf and the real Zalo client, with an in-test answering core that
// echoes questions and can produce a very long answer or fail: splitting, escaping, failure isolation.
import { afterEach, describe, expect, it } from "vitest";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { fakeAssistant, LONG_PARAGRAPHS } from "./fake-assistant.js";
import { startTestApp, until, type TestApp } from "./helpers.js";

const TG_TOKEN = "987654321:AAMechanicsToken_zyxwvutsrqponm";
const ZALO_TOKEN = "1459232241454765289:ZaloSecretPartForTests";

let app: TestApp | undefined;
let tg: TelegramApiDouble;
let zalo: ZaloApiDouble;

async function start(env: Record<string, string> = {}) {
  tg = new TelegramApiDouble();
  zalo = new ZaloApiDouble();
  await Promise.all([tg.start(), zalo.start()]);
  const assistant = fakeAssistant();
  app = await startTestApp(
    { TELEGRAM_BOT_TOKEN: TG_TOKEN, TELEGRAM_API_ROOT: tg.url, ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_BASE: zalo.url, ...env },
    { assistant },
  );
  return assistant;
}

afterEach(async () => {
  await app?.close();
  app = undefined;
  await Promise.all([tg?.stop(), zalo?.stop()]);
});

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

describe("long answers", () => {
  it("Telegram: split on paragraph boundaries, each message within 4096, buttons on the last", async () => {
    await start();
    tg.push(tg.textUpdate("Cho tôi câu trả lời thật dài", { userId: 7 }));
    await until(() => tg.sent(7).some((m) => m.buttons.length > 0), 10_000, "last part");
    const sent = tg.sent(7);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(tg.callsOf("sendMessage").every((c) => c.status === 200)).toBe(true);
    for (const m of sent) {
      expect(m.text.length).toBeLessThanOrEqual(4096);
      expect(m.raw.length).toBeLessThanOrEqual(4096);
    }
    // Every normal paragraph arrives whole inside one message.
    for (const p of LONG_PARAGRAPHS.slice(0, -1)) expect(sent.filter((m) => m.text.includes(p))).toHaveLength(1);
    // Nothing lost or reordered (the citation list follows the answer text).
    expect(squash(sent.map((m) => m.text).join(" ")).startsWith(squash(LONG_PARAGRAPHS.join(" ")))).toBe(true);
    expect(sent.slice(0, -1).every((m) => m.buttons.length === 0)).toBe(true);
    expect(sent.at(-1)!.buttons.flat().some((b) => b.text.startsWith("👍"))).toBe(true);
  });

  it("Zalo: plain text split within 2000 characters, numbered citation and /xem hint included", async () => {
    await start();
    zalo.push(zalo.textUpdate("Cho tôi câu trả lời thật dài", { userId: "z7" }));
    const sent = await until(() => zalo.sent("z7").some((t) => t.includes("/xem 1 —")) && zalo.sent("z7"), 10_000, "all parts");
    expect(sent.length).toBeGreaterThanOrEqual(6);
    expect(zalo.callsOf("sendMessage").every((c) => c.status === 200)).toBe(true);
    for (const t of sent) expect(t.length).toBeLessThanOrEqual(2000);
    for (const p of LONG_PARAGRAPHS.slice(0, -1)) expect(sent.filter((t) => t.includes(p))).toHaveLength(1);
    const all = sent.join("\n");
    // The quote was not in the text, so the citation is listed with its title and quote, then numbered for /xem.
    expect(all).toContain("Nguồn trích dẫn:\n\nKế hoạch KH&CN <thử> — Mục III.1\n«Sở Khoa học và Công nghệ (Sở KH&CN) chủ trì");
    expect(all).toContain("Xem toàn văn mục được trích dẫn (gõ lệnh):\n/xem 1 — Kế hoạch KH&CN <thử> — Mục III.1");
  });
});

describe("escaping", () => {
  it("Telegram: a question with <script> and names like Sở KH&CN are escaped, buttons show the source", async () => {
    await start();
    tg.push(tg.textUpdate("<script>alert('x')</script> Sở KH&CN làm gì?", { userId: 8 }));
    const [msg] = await until(() => tg.sent(8).length > 0 && tg.sent(8), 10_000, "answer");
    expect(msg!.text).toContain("Bạn hỏi: <script>alert('x')</script> Sở KH&CN làm gì?");
    expect(msg!.raw).toContain("Bạn hỏi: &lt;script&gt;alert('x')&lt;/script&gt; Sở KH&amp;CN làm gì?");
    expect(msg!.raw).not.toContain("<script>");
    const source = msg!.buttons.flat().find((b) => b.callback_data.startsWith("s:"))!;
    expect(source.text).toBe("📄 Mục III.1 · Kế hoạch KH&CN <thử>");
    tg.push(tg.buttonUpdate(source.callback_data, { userId: 8 }));
    const full = await until(() => tg.sent(8)[1], 10_000, "source");
    expect(full.raw).toContain("<blockquote>1. Sở Khoa học và Công nghệ (Sở KH&amp;CN) chủ trì theo dõi, đôn đốc &lt;việc&gt; thực hiện.</blockquote>");
    expect(full.text).toContain("Kế hoạch KH&CN <thử> — Mục III.1");
  });

  it("Zalo: the same text goes out verbatim as plain text", async () => {
    await start();
    zalo.push(zalo.textUpdate("<script>alert('x')</script> Sở KH&CN làm gì?", { userId: "z8" }));
    const [text] = await until(() => zalo.sent("z8").length > 0 && zalo.sent("z8"), 10_000, "answer");
    expect(text).toContain("Bạn hỏi: <script>alert('x')</script> Sở KH&CN làm gì?");
    expect(text).not.toContain("&amp;");
  });
});

describe("failure isolation", () => {
  it("a failing answer gets an apology and the bot keeps answering", async () => {
    const assistant = await start();
    tg.push(tg.textUpdate("Câu này gây lỗi", { userId: 9 }));
    const apology = await until(() => tg.sent(9)[0], 10_000, "apology");
    expect(apology.text).toBe("Xin lỗi, hệ thống đang gặp sự cố nên chưa trả lời được. Vui lòng thử lại sau ít phút.");
    tg.push(tg.textUpdate("Câu hỏi bình thường", { userId: 9 }));
    await until(() => tg.sent(9)[1], 10_000, "next answer");
    expect(assistant.asked).toEqual(["Câu này gây lỗi", "Câu hỏi bình thường"]);
    expect(app!.logs.text()).toContain("core failure for this question");
  });

  it("a message the API keeps rejecting does not stop the next one", async () => {
    await start();
    // Telegram refuses every message to a chat the bot was removed from.
    tg.failNext(
      "sendMessage",
      { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } },
      { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } },
    );
    tg.push(tg.textUpdate("Câu hỏi một", { userId: 10 }));
    await until(() => tg.callsOf("sendMessage").filter((c) => c.status === 403).length === 2, 10_000, "refusals");
    tg.push(tg.textUpdate("Câu hỏi hai", { userId: 10 }));
    const ok = await until(() => tg.sent(10)[0], 10_000, "second answer");
    expect(ok.text).toContain("Câu hỏi hai");
    expect(app!.logs.text()).toContain("could not send failure notice");
  });

  it("Zalo: 429 with retry_after and 500 are retried; the token never reaches the logs", async () => {
    await start();
    zalo.failNext(
      "sendMessage",
      { status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: 1 } } },
      { status: 500, body: { ok: false, error_code: 500, description: "Internal Server Error" } },
    );
    zalo.push(zalo.textUpdate("Câu hỏi thử", { userId: "z9" }));
    const [text] = await until(() => zalo.sent("z9").length > 0 && zalo.sent("z9"), 10_000, "answer");
    expect(text).toContain("Câu hỏi thử");
    const attempts = zalo.callsOf("sendMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 500, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    const logs = app!.logs.text();
    expect(logs).toContain("zalo.sendMessage");
    expect(logs).not.toContain(ZALO_TOKEN);
    expect(logs).not.toContain("ZaloSecretPartForTests");
  });
});
