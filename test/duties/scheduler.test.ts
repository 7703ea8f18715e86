import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDutyCommands } from "../../src/duties/commands.js";
import { createReminderScheduler, dueThreshold, type SendFn } from "../../src/duties/scheduler.js";
import { openReminderStore, type ReminderStore } from "../../src/duties/store.js";
import { local, plan } from "./helpers.js";

interface Sent {
  channel: string;
  chatId: string;
  text: string;
}

const dirs: string[] = [];
const stores: ReminderStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "duties-reminders-"));
  dirs.push(d);
  return d;
}

/** One "process": a store on the data dir, a scheduler with the controllable clock, a recording sender. */
function boot(dataDir: string, clock: { now: Date }, sent: Sent[], send?: SendFn) {
  const store = openReminderStore(dataDir);
  stores.push(store);
  const { duties, docs, agencies } = plan();
  const scheduler = createReminderScheduler({
    store,
    duties,
    docs,
    agencies,
    clock: () => clock.now,
    send:
      send ??
      (async (channel, chatId, text) => {
        sent.push({ channel, chatId, text });
      }),
    daysBefore: [7, 1],
    tzOffsetMinutes: 420,
    intervalMs: 60_000,
  });
  const commands = createDutyCommands({ duties, docs, agencies, store, clock: () => clock.now, tzOffsetMinutes: 420 });
  return { store, scheduler, commands };
}

describe("reminder scheduler", () => {
  it("sends 7 days and 1 day before 30/11 on every channel, once, also after restarts; unsubscribe stops it", async () => {
    const dir = tmpDir();
    const clock = { now: local("2026-11-10T09:00:00") };
    const sent: Sent[] = [];
    let app = boot(dir, clock, sent);

    expect(app.commands.nhacnho("telegram", "111")).toMatch(/^Đã bật nhắc hạn/);
    expect(app.commands.nhacnho("zalo", "222")).toMatch(/^Đã bật nhắc hạn/);
    expect(app.commands.nhacnho("zalo", "222")).toMatch(/đã đăng ký/);
    expect(app.store.subscriptions()).toHaveLength(2);

    await app.scheduler.tick(); // 20 days before: nothing yet
    clock.now = local("2026-11-22T20:00:00");
    await app.scheduler.tick(); // 8 days before
    expect(sent).toEqual([]);

    clock.now = local("2026-11-23T09:00:00");
    expect(await app.scheduler.tick()).toEqual({ sent: 2, failed: 0, skipped: 0 });
    expect(sent.map((s) => `${s.channel}:${s.chatId}`).sort()).toEqual(["telegram:111", "zalo:222"]);
    expect(sent[0]!.text).toContain("30/11/2026 — còn 7 ngày");
    expect(sent[0]!.text).toContain("Mục IV.2");

    // Same day, the next days, and after a restart on the same database: nothing again.
    clock.now = local("2026-11-23T15:00:00");
    await app.scheduler.tick();
    clock.now = local("2026-11-25T09:00:00");
    await app.scheduler.tick();
    app.store.close();
    app = boot(dir, clock, sent);
    expect(await app.scheduler.tick()).toMatchObject({ sent: 0 });
    expect(sent).toHaveLength(2);

    clock.now = local("2026-11-29T09:00:00");
    expect(await app.scheduler.tick()).toMatchObject({ sent: 2 });
    expect(sent.slice(2).every((s) => s.text.includes("30/11/2026 — còn 1 ngày"))).toBe(true);

    app.store.close();
    app = boot(dir, clock, sent);
    clock.now = local("2026-11-29T18:00:00");
    await app.scheduler.tick();
    clock.now = local("2026-11-30T09:00:00");
    await app.scheduler.tick();
    expect(sent).toHaveLength(4);
    expect(app.store.sentLog().every((r) => r.status === "sent")).toBe(true);

    // Unsubscribe Zalo: next year's reminders reach Telegram only.
    expect(app.commands.huynhac("zalo", "222")).toMatch(/^Đã tắt nhắc hạn/);
    expect(app.commands.huynhac("zalo", "222")).toMatch(/chưa đăng ký/);
    clock.now = local("2027-11-23T09:00:00");
    await app.scheduler.tick();
    expect(sent.slice(4).map((s) => s.channel)).toEqual(["telegram"]);
    expect(sent[4]!.text).toContain("30/11/2027 — còn 7 ngày");
  });

  it("sends one catch-up reminder when started late, and none before 07:00 local", async () => {
    const clock = { now: local("2026-11-26T06:30:00") };
    const sent: Sent[] = [];
    const app = boot(tmpDir(), clock, sent);
    app.store.subscribe("telegram", "1", clock.now);
    await app.scheduler.tick();
    expect(sent).toEqual([]);
    clock.now = local("2026-11-26T07:30:00");
    await app.scheduler.tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("còn 4 ngày");
    clock.now = local("2026-11-28T09:00:00");
    await app.scheduler.tick();
    expect(sent).toHaveLength(1);
  });

  it("retries a failed send on the next tick, and records only successful sends", async () => {
    const clock = { now: local("2026-11-23T09:00:00") };
    const sent: Sent[] = [];
    let fail = true;
    const app = boot(tmpDir(), clock, sent, async (channel, chatId, text) => {
      if (fail) throw new Error("telegram down");
      sent.push({ channel, chatId, text });
    });
    app.store.subscribe("telegram", "1", clock.now);
    expect(await app.scheduler.tick()).toEqual({ sent: 0, failed: 1, skipped: 0 });
    expect(app.store.sentLog()).toEqual([]);
    fail = false;
    expect(await app.scheduler.tick()).toEqual({ sent: 1, failed: 0, skipped: 0 });
    expect(await app.scheduler.tick()).toEqual({ sent: 0, failed: 0, skipped: 1 });
  });

  it("two processes ticking at once on one database send each reminder once", async () => {
    const dir = tmpDir();
    const clock = { now: local("2026-11-23T09:00:00") };
    const sent: Sent[] = [];
    const slowSend: SendFn = async (channel, chatId, text) => {
      await new Promise((r) => setTimeout(r, 20));
      sent.push({ channel, chatId, text });
    };
    const a = boot(dir, clock, sent, slowSend);
    const b = boot(dir, clock, sent, slowSend);
    a.store.subscribe("telegram", "1", clock.now);
    a.store.subscribe("zalo", "2", clock.now);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick()]);
    expect(sent.map((s) => s.channel).sort()).toEqual(["telegram", "zalo"]);
  });

  it("start() ticks at once and stop() leaves no timer running", async () => {
    const clock = { now: local("2026-11-23T09:00:00") };
    const sent: Sent[] = [];
    const app = boot(tmpDir(), clock, sent);
    app.store.subscribe("web", "x", clock.now);
    app.scheduler.start();
    await app.scheduler.stop();
    expect(sent.map((s) => s.channel)).toEqual(["web"]);
  });
});

describe("store claims", () => {
  it("lets one claimant win and takes over a claim abandoned longer than the lease", () => {
    const store = openReminderStore(tmpDir());
    stores.push(store);
    const key = { channel: "telegram", chatId: "1", dutyKey: "k", occurrence: "2026-11-30", daysBefore: 7 };
    const t0 = new Date("2026-11-23T02:00:00Z");
    expect(store.claim(key, t0, 60_000)).toBe(true);
    expect(store.claim(key, new Date(t0.getTime() + 30_000), 60_000)).toBe(false);
    expect(store.claim(key, new Date(t0.getTime() + 120_000), 60_000)).toBe(true); // the first claimant crashed
    store.markSent(key, t0);
    expect(store.claim(key, new Date(t0.getTime() + 10 * 3_600_000), 60_000)).toBe(false);
    expect(fs.existsSync(store.file)).toBe(true);
  });

  it("picks the most urgent threshold reached", () => {
    expect(dueThreshold(8, [7, 1])).toBeNull();
    expect(dueThreshold(7, [7, 1])).toBe(7);
    expect(dueThreshold(3, [7, 1])).toBe(7);
    expect(dueThreshold(1, [7, 1])).toBe(1);
    expect(dueThreshold(0, [7, 1])).toBe(1);
  });
});
