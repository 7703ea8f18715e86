// Reminders end to end: subscribe on Telegram and Zalo (loopback doubles of both Bot APIs), a controllable
// clock, the real scheduler pushing through the chat layer; exactly once per deadline occurrence, also after
// a restart; /huynhac stops them.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDutiesFeature, type DutiesFeature } from "../../src/http/duties.js";
import { startTestApp, testDataDir, until, type TestApp } from "../channels/helpers.js";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { ZaloApiDouble } from "../doubles/zalo-api.js";

const TG_TOKEN = "123456789:AAFakeTokenForRemindersOnly_abcdef";
const ZALO_TOKEN = "1459232241454765289:ZaloReminderSecret";

let now = new Date("2026-11-01T09:00:00+07:00");
let tg: TelegramApiDouble;
let zalo: ZaloApiDouble;
let app: TestApp | undefined;
let feature: DutiesFeature;
let dataDir: string;

beforeAll(async () => {
  dataDir = await testDataDir();
}, 180_000);

async function start() {
  feature = createDutiesFeature({ clock: () => now, autoStart: false });
  app = await startTestApp(
    { TELEGRAM_BOT_TOKEN: TG_TOKEN, TELEGRAM_API_ROOT: tg.url, ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_BASE: zalo.url },
    { dataDir, extensions: [feature.extension] },
  );
}

afterEach(async () => {
  await app?.close();
  app = undefined;
  await tg?.stop();
  await zalo?.stop();
});

const tgTexts = () => tg.sent(501).map((m) => m.text);
const zaloTexts = () => zalo.sent("z1");
const reminders = (texts: string[]) => texts.filter((t) => t.includes("Nhắc hạn"));

describe("deadline reminders on Telegram and Zalo", () => {
  it("arrive 7 days and 1 day before 30/11, once, also after a restart; /huynhac stops them", async () => {
    tg = new TelegramApiDouble();
    zalo = new ZaloApiDouble();
    await tg.start();
    await zalo.start();
    await start();

    tg.push(tg.textUpdate("/nhacnho", { userId: 501 }));
    zalo.push(zalo.textUpdate("/nhacnho", { userId: "z1" }));
    await until(() => tgTexts().some((t) => t.includes("nhắc")) && zaloTexts().some((t) => t.includes("nhắc")), 15_000, "subscribed");
    // Where reminders work, /help and /hanchot offer them (the web page does not: test/duties/web.test.ts).
    tg.push(tg.textUpdate("/help", { userId: 501 }));
    zalo.push(zalo.textUpdate("/hanchot", { userId: "z1" }));
    await until(() => tgTexts().some((t) => t.includes("/nhacnho — Bật nhắc trước hạn chót")), 10_000, "help lists /nhacnho");
    await until(() => zaloTexts().some((t) => t.includes("Gõ /nhacnho để nhận nhắc")), 10_000, "hanchot offers /nhacnho");

    now = new Date("2026-11-23T09:00:00+07:00"); // 7 days before 30/11
    await feature.scheduler!.tick();
    await until(() => reminders(tgTexts()).length === 1 && reminders(zaloTexts()).length === 1, 10_000, "7-day reminders");
    expect(reminders(tgTexts())[0]).toContain("30/11/2026");
    expect(reminders(zaloTexts())[0]).toContain("còn 7 ngày");
    await feature.scheduler!.tick();

    // Restart on the same data directory: nothing is sent again.
    await app!.close();
    await start();
    await feature.scheduler!.tick();
    expect(reminders(tgTexts())).toHaveLength(1);
    expect(reminders(zaloTexts())).toHaveLength(1);

    now = new Date("2026-11-29T09:00:00+07:00"); // 1 day before
    await feature.scheduler!.tick();
    await until(() => reminders(tgTexts()).length === 2 && reminders(zaloTexts()).length === 2, 10_000, "1-day reminders");
    expect(reminders(tgTexts())[1]).toContain("còn 1 ngày");
    await feature.scheduler!.tick();
    expect(reminders(tgTexts())).toHaveLength(2);

    // Unsubscribe on Telegram: next year's reminder reaches Zalo only.
    tg.push(tg.textUpdate("/huynhac", { userId: 501 }));
    await until(() => tgTexts().some((t) => t.includes("Đã tắt nhắc hạn")), 10_000, "unsubscribed");
    now = new Date("2027-11-23T09:00:00+07:00");
    await feature.scheduler!.tick();
    await until(() => reminders(zaloTexts()).length === 3, 10_000, "next year's reminder");
    expect(reminders(zaloTexts())[2]).toContain("30/11/2027");
    expect(reminders(tgTexts())).toHaveLength(2);
  }, 90_000);
});
