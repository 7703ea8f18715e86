// Two replicas in webhook mode behind one database: an update delivered to both is answered once, a follow-up
// whose second turn lands on the other replica is understood, due reminders go out once in total, rate limits
// are shared, and /readyz reports the database and the index version.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { webVisitor } from "../support/web-visitor.js";
import { fixtureCorpus, startReplica, until, type Replica } from "./harness.js";
import { createDatabase } from "./postgres.js";

const TG_TOKEN = "123456789:AAReplicaTestTokenOnly_abcdefgh";
const ZALO_TOKEN = "1459232241454765289:ZaloReplicaTestSecret";
const OPS_TOKEN = "replica-ops-token-0123456789";
const TG_SECRET = "replica-webhook_secret_0123";
const ZALO_SECRET = "zalo-replica-secret-0123";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tg: TelegramApiDouble;
let zalo: ZaloApiDouble;
let corpus: ReturnType<typeof fixtureCorpus>;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  tg = new TelegramApiDouble();
  zalo = new ZaloApiDouble();
  await tg.start();
  await zalo.start();
  corpus = fixtureCorpus(4);
  const env = {
    DATABASE_URL: await createDatabase(inject("pgAdminUrl"), "webhooks"),
    CORPUS_DIR: corpus.dir,
    TZ_OFFSET_MINUTES: String(corpus.tzOffsetMinutes),
    REMINDER_CHECK_INTERVAL_MS: "1000",
    RATE_LIMIT_PER_MINUTE: "8",
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: "12",
    // One key for the web page's visitor cookie on every replica, so a visitor is one person on each.
    WEB_COOKIE_SECRET: "replica-web-cookie-secret-0123456789abcdef",
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_API_ROOT: tg.url,
    TELEGRAM_WEBHOOK_URL: "https://bot.example.org/hook/telegram",
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    ZALO_BOT_TOKEN: ZALO_TOKEN,
    ZALO_API_BASE: zalo.url,
    ZALO_WEBHOOK_URL: "https://bot.example.org/hook/zalo",
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    METRICS_TOKEN: OPS_TOKEN,
  };
  [a, b] = await Promise.all([startReplica("a", env), startReplica("b", env)]);
  await until(() => a.output().includes("zalo started (webhook)") && b.output().includes("zalo started (webhook)"), 30_000, "webhooks set");
});

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await tg?.stop();
  await zalo?.stop();
});

const postTelegram = (r: Replica, update: unknown) =>
  fetch(`${r.url}/hook/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TG_SECRET },
    body: JSON.stringify(update),
  });
const postZalo = (r: Replica, update: unknown) =>
  fetch(`${r.url}/hook/zalo`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET },
    body: JSON.stringify(update),
  });

describe("two replicas, webhooks", () => {
  it("report the shared database and their index version on /readyz", async () => {
    for (const r of [a, b]) {
      const res = await fetch(`${r.url}/readyz`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { ready: boolean; database: { kind: string; ok: boolean }; index: { version: string } };
      expect(body).toMatchObject({ ready: true, database: { kind: "postgres", ok: true } });
      expect(body.index.version).toMatch(/\S/);
    }
  });

  it("answer a Telegram update delivered to both replicas once", async () => {
    const update = tg.textUpdate("Hỗ trợ lắp đặt hệ thống lọc tuần hoàn tối đa bao nhiêu?", { userId: 611 });
    const [ra, rb] = await Promise.all([postTelegram(a, update), postTelegram(b, update)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    await until(() => tg.sent(611).length > 0, 30_000, "telegram answer");
    await sleep(2000); // time for a second answer, were there one
    const answers = tg.sent(611).filter((m) => m.text.includes("150 triệu đồng"));
    expect(answers).toHaveLength(1);
    expect(a.output().includes("duplicate update dropped") || b.output().includes("duplicate update dropped")).toBe(true);
  });

  it("answer a Zalo message delivered to both replicas once", async () => {
    const update = zalo.textUpdate("Mỗi năm mở mấy khóa đào tạo kỹ thuật viên?", { userId: "zr1", messageId: "zalo-dup-1" });
    await Promise.all([postZalo(a, update), postZalo(b, update)]);
    await until(() => zalo.sent("zr1").length > 0, 30_000, "zalo answer");
    await sleep(2000);
    expect(zalo.sent("zr1").filter((t) => t.includes("hai khóa"))).toHaveLength(1);
  });

  it("understand a follow-up whose second turn lands on the other replica", async () => {
    await postZalo(a, zalo.textUpdate("Hỗ trợ lắp đặt hệ thống lọc tuần hoàn tối đa bao nhiêu?", { userId: "zr2" }));
    await until(() => zalo.sent("zr2").length > 0, 30_000, "first turn on A");
    await postZalo(b, zalo.textUpdate("/xem 1", { userId: "zr2" }));
    const shown = await until(() => zalo.sent("zr2")[1], 30_000, "second turn on B");
    // B shows the section A cited (its text from the fixture), not "no earlier answer".
    expect(shown).toContain("Hỗ trợ tối đa 40% chi phí lắp đặt hệ thống lọc tuần hoàn");
  });

  it("read a follow-up question against the turn the other replica answered", async () => {
    const post = async (r: Replica, body: Record<string, unknown>) => {
      const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
      const res = await fetch(`${r.url}/api/ask`, init);
      return (await res.json()) as { conversationId: string; resolvedQuestion?: string; citations: Array<{ quote: string }> };
    };
    const first = await post(a, { question: "Ai báo cáo kết quả thực hiện kế hoạch hằng năm?" });
    // No word of the second turn names the topic ("gửi" is in no list): B measures the readings against A's turn.
    const followup = await post(b, { question: "vậy hạn gửi là ngày nào?", conversationId: first.conversationId });
    expect(followup.conversationId).toBe(first.conversationId);
    expect(followup.resolvedQuestion).toMatch(/hạn gửi là ngày nào/);
    expect(followup.citations[0]?.quote).toContain(corpus.deadline);
    const fresh = await post(b, { question: "hạn khi nào?" });
    expect(fresh.resolvedQuestion).toBeUndefined();
  });

  it("send a due reminder once in total although both replicas run the scheduler", async () => {
    await postTelegram(b, tg.textUpdate("/nhacnho", { userId: 612 }));
    await until(() => tg.sent(612).some((m) => m.text.startsWith("Đã bật nhắc hạn")), 30_000, "subscribed");
    await until(() => tg.sent(612).some((m) => m.text.includes("Nhắc hạn")), 30_000, "reminder");
    await sleep(3500); // several more ticks of both schedulers
    expect(tg.sent(612).filter((m) => m.text.includes("Nhắc hạn"))).toHaveLength(1);
  });

  it("share rate limits: the limit counts questions whichever replica receives them", async () => {
    let replica = a;
    const visitor = webVisitor(() => replica.url);
    const statuses: number[] = [];
    // A browser whose cookie both replicas accept is one person: eight questions, then 429.
    for (let i = 0; i < 9; i++) {
      replica = i % 2 ? b : a;
      statuses.push((await visitor.ask("hỗ trợ trại nuôi")).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    // Three cookieless questions from this address above (the follow-up test) and these nine fill its ceiling of 12.
    const cookieless = await webVisitor(b.url).ask("hỗ trợ trại nuôi");
    expect(cookieless.status).toBe(429);
    expect(((await cookieless.json()) as { error: string }).error).toMatch(/^Có quá nhiều câu hỏi từ cùng một mạng/);
  });
});
