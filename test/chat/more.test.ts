// "Xem thêm" on request: a Telegram button, a Zalo command, and "more" in the web JSON, through the real
// conversation layer and answering core over our own fixture corpus, with loopback doubles of the platforms.
import { describe, expect, it } from "vitest";
import { until } from "../channels/helpers.js";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { conversationApps, TELEGRAM_TOKEN, ZALO_TOKEN } from "./helpers.js";

// The reply quotes the regulation; the plan's purpose (fixture text) is one tap away.
const QUESTION = "hỗ trợ bán hàng trực tuyến";
const IN_MORE = "Đưa nông sản của các hợp tác xã lên sàn thương mại điện tử";

const apps = conversationApps();
const start = apps.start;

describe("Xem thêm", () => {
  it("Telegram: a 'Xem thêm' button shows the rest with its own source buttons; each source has one button", async () => {
    const api = await apps.double(new TelegramApiDouble());
    await start({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: api.url });
    api.push(api.textUpdate(QUESTION, { userId: 31 }));
    const reply = await until(() => api.sent(31).find((m) => m.buttons.length > 0), 20_000, "answer");
    expect(
      api
        .sent(31)
        .map((m) => m.text)
        .join("\n"),
    ).not.toContain(IN_MORE);
    const buttons = reply.buttons.flat();
    expect(buttons[0]).toMatchObject({ text: "➕ Xem thêm", callback_data: expect.stringMatching(/^m:\d+$/) });
    const sources = buttons.filter((b) => b.text.startsWith("📄")).map((b) => b.text);
    expect(new Set(sources).size).toBe(sources.length);

    const before = api.sent(31).length;
    api.push(api.buttonUpdate(buttons[0]!.callback_data, { userId: 31 }));
    const more = await until(() => api.sent(31)[before], 10_000, "more");
    expect(more.raw.startsWith("<b>Xem thêm</b>\n\n")).toBe(true);
    expect(more.text).toContain(IN_MORE);
    expect(more.buttons.flat().some((b) => b.text.startsWith("📄 Mục I.1"))).toBe(true);
    await api.waitFor((c) => c.method === "answerCallbackQuery");
  }, 60_000);

  it("Zalo: the reply announces /them; /them and /xemthem show the rest, /xem then opens its sections", async () => {
    const api = await apps.double(new ZaloApiDouble());
    await start({ ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_BASE: api.url });
    const send = async (text: string, done: (reply: string) => boolean) => {
      const before = api.sent("m1").length;
      api.push(api.textUpdate(text, { userId: "m1" }));
      return until(
        () => {
          const reply = api.sent("m1").slice(before).join("\n");
          return done(reply) && reply;
        },
        20_000,
        text,
      );
    };
    const reply = await send(QUESTION, (r) => r.includes("/xem 1 —"));
    expect(reply).not.toContain(IN_MORE);
    expect(reply.trimEnd().endsWith("Gõ /them để xem thêm các nội dung liên quan khác.")).toBe(true);
    // Each cited section is numbered once.
    const numbered = reply.split("\n").filter((l) => l.startsWith("/xem "));
    expect(new Set(numbered.map((l) => l.replace(/^\/xem \d+ — /, ""))).size).toBe(numbered.length);

    const more = await send("/them", (r) => r.includes(IN_MORE));
    expect(more.startsWith("Xem thêm\n")).toBe(true);
    expect(more).toContain("/xem 1 — Kế hoạch TMĐT nông sản (giả lập) — Mục I.1");
    expect(await send("/xem 1", (r) => r.includes("Toàn văn"))).toContain("tăng doanh thu bán hàng trực tuyến của nông dân");
    expect(await send("/xemthem", (r) => r.length > 0)).toBe("Câu trả lời gần nhất không có nội dung bổ sung. Hãy đặt câu hỏi trước.");

    // Asked in words, too.
    await send(QUESTION, (r) => r.includes("/xem 1 —"));
    expect(await send("còn gì nữa không?", (r) => r.includes(IN_MORE))).toMatch(/^Xem thêm\n/);
  }, 60_000);

  it("web: 'more' in the JSON holds the rest with its citations", async () => {
    await start({});
    const res = await fetch(`${apps.url()}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: QUESTION }),
    });
    type Reply = { answer: string; conversationId: string; more: { text: string; citations: Array<{ doc: string; section: string }> } };
    const data = (await res.json()) as Reply;
    expect(data.answer).not.toContain(IN_MORE);
    expect(data.more.text).toContain(IN_MORE);
    expect(data.more.citations).toContainEqual(expect.objectContaining({ doc: "kh-tmdt-binh-son", section: "I.1" }));

    // Asked in words in the same conversation: the rest as the reply.
    const again = await fetch(`${apps.url()}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "còn gì nữa không?", conversationId: data.conversationId }),
    });
    const rest = (await again.json()) as { answer: string; more: unknown };
    expect(rest.answer).toContain(IN_MORE);
    expect(rest.more).toBeNull();
  }, 60_000);
});
