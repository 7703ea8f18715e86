// Deadline reminders: on every tick, for each subscriber and each dated deadline, send the reminder of the most
// urgent threshold reached (7 days before, then 1 day before, by default) exactly once per occurrence.
// Everything time-related comes from the injected clock, so tests drive it; sending is injected per channel.
import type { DocumentMeta } from "../types.js";
import { silentLogger, type Logger } from "../log.js";
import type { AgencyRegistry } from "./agencies.js";
import { isoDate, localHour, reminderText, upcomingDeadlines, type UpcomingDeadline } from "./deadlines.js";
import type { ReminderStore, SentKey } from "./store.js";
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

export function createReminderScheduler(opts: ReminderSchedulerOptions): ReminderScheduler {
  const clock = opts.clock ?? (() => new Date());
  const daysBefore = opts.daysBefore?.length ? opts.daysBefore : [7, 1];
  const tz = opts.tzOffsetMinutes ?? 420;
  const intervalMs = opts.intervalMs ?? 60 * 60 * 1000;
  const leaseMs = opts.leaseMs ?? 15 * 60 * 1000;
  const sendFromHour = opts.sendFromHour ?? 7;
  const log = opts.log ?? silentLogger;
  const getDuties = typeof opts.duties === "function" ? opts.duties : () => opts.duties as Duty[];
  const getDocs = typeof opts.docs === "function" ? opts.docs : () => opts.docs as DocumentMeta[] | undefined;

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickResult> | undefined;

  async function runTick(): Promise<TickResult> {
    const result: TickResult = { sent: 0, failed: 0, skipped: 0 };
    const now = clock();
    if (localHour(now, tz) < sendFromHour) return result;
    const due: { item: UpcomingDeadline; threshold: number }[] = [];
    for (const item of upcomingDeadlines(getDuties(), now, tz)) {
      const threshold = dueThreshold(item.daysLeft, daysBefore);
      if (threshold !== null) due.push({ item, threshold });
    }
    if (!due.length) return result;
    for (const sub of opts.store.subscriptions()) {
      for (const { item, threshold } of due) {
        const key: SentKey = {
          channel: sub.channel,
          chatId: sub.chatId,
          dutyKey: item.key,
          occurrence: isoDate(item.date),
          daysBefore: threshold,
        };
        if (!opts.store.claim(key, now, leaseMs)) {
          result.skipped++;
          continue;
        }
        try {
          await opts.send(sub.channel, sub.chatId, reminderText(item, { docs: getDocs(), agencies: typeof opts.agencies === "function" ? opts.agencies() : opts.agencies }));
          opts.store.markSent(key, clock());
          result.sent++;
          log.info("reminder sent", { channel: sub.channel, dutyKey: item.key, occurrence: key.occurrence, daysBefore: threshold });
        } catch (err) {
          opts.store.release(key);
          result.failed++;
          log.warn("reminder send failed; will retry next tick", { channel: sub.channel, dutyKey: item.key, err });
        }
      }
    }
    return result;
  }

  const tick = (): Promise<TickResult> => {
    // One tick at a time in this process; other processes are kept out by the store's claims.
    if (running) return running.then(() => ({ sent: 0, failed: 0, skipped: 0 }));
    running = runTick().finally(() => {
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
