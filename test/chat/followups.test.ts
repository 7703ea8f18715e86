// Follow-ups through the conversation layer on Telegram, Zalo and the web, with the loopback doubles of the
// platform APIs and the real answering core over our own fixture corpus (test/chat/fixtures/corpus).
import { describe, expect, it } from "vitest";
import { until } from "../channels/helpers.js";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { evidenceNumber, OpenAiDouble } from "../doubles/openai-api.js";
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { conversationApps, TELEGRAM_TOKEN, ZALO_TOKEN } from "./helpers.js";

const JSON_HEADERS = { "content-type": "application/json" };

const apps = conversationApps();
const start = apps.start;

describe("follow-ups on Telegram", () => {
  it("carries the topic into 'hạn khi nào?', swaps the agency, and forgets after /moi", async () => {
    const api = await apps.double(new TelegramApiDouble());
    await start({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: api.url });
    const askAndWait = async (text: string, userId: number) => {
      const before = api.sent(userId).length;
      api.push(api.textUpdate(text, { userId }));
      // An answer ends with its buttons (votes); a command reply has none.
      await until(
        () =>
          api
            .sent(userId)
            .slice(before)
            .find((m) => m.buttons.length > 0 || m.text.startsWith("Đã bắt đầu")),
        20_000,
        text,
      );
      return api
        .sent(userId)
        .slice(before)
        .map((m) => m.text)
        .join("\n");
    };

    expect(await askAndWait("Sở Tài chính phải làm gì?", 21)).toContain("4,5 tỷ đồng");
    const deadline = await askAndWait("hạn khi nào?", 21);
    expect(deadline).toContain("trước ngày 15/3/2027");
    expect(deadline).toContain("Câu hỏi được hiểu là: «Sở Tài chính");
    const swapped = await askAndWait("còn Sở Công Thương thì sao?", 21);
    expect(swapped).toContain("trước ngày 20/10 hằng năm");
    expect(swapped).not.toContain("15/3/2027");

    // Another chat has no context: the same words alone are not answered from the plan.
    const alone = await askAndWait("hạn khi nào?", 22);
    expect(alone).not.toContain("15/3/2027");

    expect(await askAndWait("/moi", 21)).toContain("Đã bắt đầu cuộc trò chuyện mới");
    const reset = await askAndWait("hạn khi nào?", 21);
    expect(reset).not.toMatch(/15\/3\/2027|20\/10/);
  }, 90_000);
});

describe("follow-ups in a Telegram group", () => {
  it("keeps one conversation per member: another member's question is not context", async () => {
    const api = await apps.double(new TelegramApiDouble());
    await start({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: api.url });
    const group = -100777;
    const askInGroup = async (text: string, userId: number) => {
      const before = api.sent(group).length;
      api.push(api.textUpdate(`@${api.me.username} ${text}`, { userId, chatId: group, chatType: "group" }));
      await until(
        () =>
          api
            .sent(group)
            .slice(before)
            .find((m) => m.buttons.length > 0),
        20_000,
        text,
      );
      return api
        .sent(group)
        .slice(before)
        .map((m) => m.text)
        .join("\n");
    };
    expect(await askInGroup("Sở Tài chính phải làm gì?", 41)).toContain("4,5 tỷ đồng");
    expect(await askInGroup("hạn khi nào?", 42)).not.toContain("15/3/2027");
    expect(await askInGroup("hạn khi nào?", 41)).toContain("trước ngày 15/3/2027");
  }, 90_000);
});

describe("follow-ups on Zalo", () => {
  it("reads 'còn … thì sao?' with the previous question, and /moi starts over", async () => {
    const api = await apps.double(new ZaloApiDouble());
    await start({ ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_BASE: api.url });
    const askAndWait = async (text: string, userId: string, done: (reply: string) => boolean) => {
      const before = api.sent(userId).length;
      api.push(api.textUpdate(text, { userId }));
      return until(
        () => {
          const reply = api.sent(userId).slice(before).join("\n");
          return done(reply) && reply;
        },
        20_000,
        text,
      );
    };
    const answered = (r: string) => r.includes("/xem 1 —") || r.includes("Xin lỗi");

    expect(await askAndWait("Sở Công Thương phải làm gì?", "z1", answered)).toContain("12 phiên livestream");
    const swapped = await askAndWait("còn Sở Nông nghiệp và Môi trường thì sao?", "z1", answered);
    expect(swapped).toContain("mã số vùng trồng cho 30 hợp tác xã");
    const deadline = await askAndWait("hạn khi nào?", "z1", answered);
    expect(deadline).toContain("quý II/2027");

    await askAndWait("/moi", "z1", (r) => r.includes("cuộc trò chuyện mới"));
    expect(await askAndWait("hạn khi nào?", "z1", answered)).not.toContain("quý II/2027");
  }, 90_000);
});

describe("follow-ups on the web", () => {
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(`${apps.url()}/api/ask`, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });
    return { status: res.status, data: (await res.json()) as Record<string, unknown> };
  };

  it("keeps a conversation by its id: a condition, then another kind of business; a new id starts over", async () => {
    await start({});
    const first = await post({ question: "Hợp tác xã được hỗ trợ bao nhiêu khi mở gian hàng?" });
    expect(first.data.answer).toContain("tối đa 20 triệu đồng");
    const id = first.data.conversationId as string;
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

    const condition = await post({ question: "điều kiện là gì?", conversationId: id });
    expect(condition.data.conversationId).toBe(id);
    expect(condition.data.resolvedQuestion).toMatch(/^Hợp tác xã/);
    const firstQuote = (r: { data: Record<string, unknown> }) => (r.data.citations as Array<{ quote: string }>)[0]?.quote ?? "";
    expect(firstQuote(condition)).toContain("hợp tác xã có ít nhất 7 thành viên");

    const other = await post({ question: "thế còn doanh nghiệp nhỏ?", conversationId: id });
    expect(firstQuote(other)).toContain("doanh nghiệp nhỏ có doanh thu từ nông sản của tỉnh chiếm trên 60% tổng doanh thu");

    // Without the id (a new conversation) the same follow-up is read on its own.
    const fresh = await post({ question: "điều kiện là gì?" });
    expect(fresh.data.conversationId).not.toBe(id);
    expect(fresh.data.resolvedQuestion).toBeUndefined();

    // "/moi" forgets the conversation.
    const reset = await post({ question: "/moi", conversationId: id });
    expect(reset.data.answer).toContain("cuộc trò chuyện mới");
    expect((await post({ question: "điều kiện là gì?", conversationId: id })).data.resolvedQuestion).toBeUndefined();

    const bad = await post({ question: "điều kiện là gì?", conversationId: "../../etc" });
    expect(bad.status).toBe(400);
    expect(bad.data.error).toBe("Mã cuộc trò chuyện không hợp lệ. Hãy bỏ trống để bắt đầu cuộc trò chuyện mới.");
  }, 60_000);
});

describe("follow-ups read by the model (ANSWER_MODE=llm)", () => {
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(`${apps.url()}/api/ask`, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });
    return (await res.json()) as { conversationId: string; resolvedQuestion?: string; mode: string; citations: Array<{ quote: string }> };
  };

  it("asks the model for the stand-alone question, and falls back to the rules when it fails", async () => {
    const model = await apps.double(new OpenAiDouble());
    const rewritten = "Điều kiện để doanh nghiệp nhỏ được hỗ trợ quảng cáo trực tuyến là gì?";
    let rewriting = true;
    model.respond = (prompt) => {
      if (prompt.includes("Câu hỏi mới:")) return rewriting ? { content: rewritten } : { status: 500 };
      const n = evidenceNumber(prompt, "60%");
      return { content: `Doanh nghiệp nhỏ cần có doanh thu từ nông sản của tỉnh chiếm trên 60% tổng doanh thu [${n}].` };
    };
    await start({ ANSWER_MODE: "llm", LLM_BASE_URL: model.url, LLM_MODEL: "fake" });

    const first = await post({ question: "Doanh nghiệp nhỏ được hỗ trợ quảng cáo trực tuyến bao nhiêu?" });
    expect(model.requests.some((r) => r.prompt.includes("Câu hỏi mới:"))).toBe(false); // nothing to read it with yet
    const followup = await post({ question: "điều kiện là gì?", conversationId: first.conversationId });
    const request = model.requests.find((r) => r.prompt.includes("Câu hỏi mới: điều kiện là gì?"))!;
    expect(request.prompt).toContain("1. Doanh nghiệp nhỏ được hỗ trợ quảng cáo trực tuyến bao nhiêu?");
    expect(followup.resolvedQuestion).toBe(rewritten);
    expect(followup.mode).toBe("llm");
    expect(followup.citations[0]!.quote).toContain("chiếm trên 60% tổng doanh thu");

    rewriting = false;
    const byRules = await post({ question: "hạn mức tối đa bao nhiêu?", conversationId: first.conversationId });
    // A failing model does not fail the turn: it is answered in the same conversation by the measured readings.
    expect(model.requests.some((r) => r.prompt.includes("Câu hỏi mới: hạn mức tối đa bao nhiêu?"))).toBe(true);
    expect(byRules.conversationId).toBe(first.conversationId);

    // A long question names its own topic: the model is not asked to read it.
    rewriting = true;
    const requests = model.requests.length;
    const long = "Hợp tác xã được hỗ trợ bao nhiêu khi mở gian hàng trên sàn thương mại điện tử?";
    expect((await post({ question: long, conversationId: first.conversationId })).resolvedQuestion).toBeUndefined();
    expect(model.requests.slice(requests).some((r) => r.prompt.includes("Câu hỏi mới:"))).toBe(false);
  }, 60_000);
});
