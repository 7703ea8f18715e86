// Deadline reminders: on every tick, for each subscriber and each dated deadline, send the reminder of the most
// urgent threshold reached (7 days before, then 1 day before, by default) exactly once per occurrence.
// Everything time-related comes from the injected clock, so tests drive it; sending is injected per channel.
import type { DocumentMeta } from "../types.js";
import { silentLogger, type Logger } from "../log.js";
import type { AgencyRegistry } from "./agencies.js";
import { isoDate, localHour, reminderText, upcomingDeadlines, type UpcomingDeadline } from "./deadlines.js";
import type { ReminderStore, SentKey, Subscription } from "./store.js";
import type { Duty } from "./types.js";

export type SendFn = (channel: string, chatId: string, text: string) => Promise<void>;

export interface ReminderSchedulerOptions {
  store: ReminderStore;
  /** The duties, or a getter so a re-index is picked up without restarting the scheduler. */
  duties: Duty[] | (() => Duty[]);
  clock?: () => Date;
  /** Delivers one message on one channel ("telegram", "zalo", "web" …); must reject when delivery fails. */
  send: SendFn;
  /** Thresholds in days before the deadline (config REMINDER_DAYS_BEFORE, default [7, 1]). */
  daysBefore?: number[];
  /** Minutes east of UTC (config TZ_OFFSET_MINUTES, default 420 = Asia/Ho_Chi_Minh). */
  tzOffsetMinutes?: number;
  /** Tick period (config REMINDER_CHECK_INTERVAL_MS, default 1 hour). */
  intervalMs?: number;
  log?: Logger;
  /** After this long an unfinished claim (crashed sender) may be taken over. Default 15 minutes. */
  leaseMs?: number;
  /** No reminders before this local hour (no 00:05 wake-ups); 0 disables. Default 7. */
  sendFromHour?: number;
  docs?: DocumentMeta[] | (() => DocumentMeta[]);
  /** The agency table, or a getter (it follows the index version). */
  agencies: AgencyRegistry | (() => AgencyRegistry);
}

export interface TickResult {
  sent: number;
  failed: number;
  /** Reminders another tick/process had already claimed or sent. */
  skipped: number;
}

export interface ReminderScheduler {
  tick(): Promise<TickResult>;
  start(): void;
  /** Stops the timer and waits for a running tick. */
  stop(): Promise<void>;
}

/** The threshold a reminder belongs to: the smallest d ≥ daysLeft (a late start still sends one catch-up). */
export function dueThreshold(daysLeft: number, daysBefore: number[]): number | null {
  const due = daysBefore.filter((d) => daysLeft <= d);
  return due.length ? Math.min(...due) : null;
}

/** The scheduler's options with their defaults applied. */
function settingsOf(opts: ReminderSchedulerOptions) {
  return {
    opts,
    clock: opts.clock ?? (() => new Date()),
    daysBefore: opts.daysBefore?.length ? opts.daysBefore : [7, 1],
    tz: opts.tzOffsetMinutes ?? 420,
    leaseMs: opts.leaseMs ?? 15 * 60 * 1000,
    sendFromHour: opts.sendFromHour ?? 7,
    log: opts.log ?? silentLogger,
    getDuties: typeof opts.duties === "function" ? opts.duties : () => opts.duties as Duty[],
    getDocs: typeof opts.docs === "function" ? opts.docs : () => opts.docs as DocumentMeta[] | undefined,
  };
}
type Settings = ReturnType<typeof settingsOf>;

/** Deadlines with a reminder threshold reached now. */
function dueNow(s: Settings, now: Date): { item: UpcomingDeadline; threshold: number }[] {
  const due: { item: UpcomingDeadline; threshold: number }[] = [];
  for (const item of upcomingDeadlines(s.getDuties(), now, s.tz)) {
    const threshold = dueThreshold(item.daysLeft, s.daysBefore);
    if (threshold !== null) due.push({ item, threshold });
  }
  return due;
}

/** Claim, send and record one reminder; a failed send releases the claim for the next tick. */
async function sendOne(s: Settings, sub: Subscription, due: { item: UpcomingDeadline; threshold: number }, now: Date, result: TickResult) {
  const { item, threshold } = due;
  const key: SentKey = {
    channel: sub.channel,
    chatId: sub.chatId,
    dutyKey: item.key,
    occurrence: isoDate(item.date),
    daysBefore: threshold,
  };
  if (!(await s.opts.store.claim(key, now, s.leaseMs))) {
    result.skipped++;
    return;
  }
  try {
    const agencies = typeof s.opts.agencies === "function" ? s.opts.agencies() : s.opts.agencies;
    await s.opts.send(sub.channel, sub.chatId, reminderText(item, { docs: s.getDocs(), agencies }));
    await s.opts.store.markSent(key, s.clock());
    result.sent++;
    s.log.info("reminder sent", { channel: sub.channel, dutyKey: item.key, occurrence: key.occurrence, daysBefore: threshold });
  } catch (err) {
    await s.opts.store.release(key);
    result.failed++;
    s.log.warn("reminder send failed; will retry next tick", { channel: sub.channel, dutyKey: item.key, err });
  }
}

async function runTick(s: Settings): Promise<TickResult> {
  const result: TickResult = { sent: 0, failed: 0, skipped: 0 };
  const now = s.clock();
  if (localHour(now, s.tz) < s.sendFromHour) return result;
  const due = dueNow(s, now);
  if (!due.length) return result;
  for (const sub of await s.opts.store.subscriptions()) for (const d of due) await sendOne(s, sub, d, now, result);
  return result;
}

export function createReminderScheduler(opts: ReminderSchedulerOptions): ReminderScheduler {
  const settings = settingsOf(opts);
  const { log } = settings;
  const intervalMs = opts.intervalMs ?? 60 * 60 * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickResult> | undefined;

  const tick = (): Promise<TickResult> => {
    // One tick at a time in this process; other processes are kept out by the store's claims.
    if (running) return running.then(() => ({ sent: 0, failed: 0, skipped: 0 }));
    running = runTick(settings).finally(() => {
      running = undefined;
    });
    return running;
  };

  const safeTick = () =>
    void tick().catch((err: unknown) => log.error("reminder tick failed", { err: err instanceof Error ? err : String(err) }));

  return {
    tick,
    start() {
      if (timer) return;
      safeTick();
      timer = setInterval(safeTick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
