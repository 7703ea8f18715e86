// Reminder subscriptions and the sent-log in SQLite (`${dataDir}/reminders.sqlite`, WAL).
// The sent-log's UNIQUE (channel, chat_id, duty_key, occurrence_date, days_before) is what makes a reminder go out
// once per deadline occurrence even across restarts and several processes: a sender first *claims* the row
// (INSERT … ON CONFLICT DO NOTHING — only one claimant can win), sends, then marks it sent. A failed send deletes
// the claim so a later tick retries. A claim left by a crashed process (neither sent nor released) may be taken over
// after a lease; that is the only case in which a duplicate is possible (crash after the send but before the mark),
// which we prefer to silently losing a reminder.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { ReminderStore, SentKey, SentRow, Subscription } from "../types.js";

/** The SQLite store answers synchronously; it satisfies the shared (awaitable) interface. */
export interface SqliteReminderStore extends ReminderStore {
  readonly file: string;
  subscribe(channel: string, chatId: string, now?: Date): boolean;
  unsubscribe(channel: string, chatId: string): boolean;
  isSubscribed(channel: string, chatId: string): boolean;
  subscriptions(): Subscription[];
  claim(key: SentKey, now: Date, leaseMs: number): boolean;
  markSent(key: SentKey, now: Date): void;
  release(key: SentKey): void;
  sentLog(): SentRow[];
  close(): void;
}

export const REMINDER_DB_FILE = "reminders.sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS subscriptions (
  channel TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY (channel, chat_id)
);
CREATE TABLE IF NOT EXISTS reminders_sent (
  channel TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  duty_key TEXT NOT NULL,
  occurrence_date TEXT NOT NULL,
  days_before INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('claimed', 'sent')),
  claimed_at TEXT NOT NULL,
  sent_at TEXT,
  UNIQUE (channel, chat_id, duty_key, occurrence_date, days_before)
);`;

/** Open (and create) the store in `dataDir`, or at an explicit file path. */
export function openReminderStore(dataDir: string, opts: { file?: string } = {}): SqliteReminderStore {
  const file = opts.file ?? path.join(dataDir, REMINDER_DB_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000"); // a second process waits for the write lock instead of failing
  db.exec(SCHEMA);

  const where =
    "channel = @channel AND chat_id = @chatId AND duty_key = @dutyKey AND occurrence_date = @occurrence AND days_before = @daysBefore";
  const q = {
    subscribe: db.prepare(
      "INSERT INTO subscriptions (channel, chat_id, created) VALUES (?, ?, ?) ON CONFLICT (channel, chat_id) DO NOTHING",
    ),
    unsubscribe: db.prepare("DELETE FROM subscriptions WHERE channel = ? AND chat_id = ?"),
    isSubscribed: db.prepare("SELECT 1 FROM subscriptions WHERE channel = ? AND chat_id = ?"),
    subscriptions: db.prepare("SELECT channel, chat_id AS chatId, created FROM subscriptions ORDER BY created, channel, chat_id"),
    claim: db.prepare(
      `INSERT INTO reminders_sent (channel, chat_id, duty_key, occurrence_date, days_before, status, claimed_at)
       VALUES (@channel, @chatId, @dutyKey, @occurrence, @daysBefore, 'claimed', @now)
       ON CONFLICT (channel, chat_id, duty_key, occurrence_date, days_before) DO NOTHING`,
    ),
    takeOver: db.prepare(`UPDATE reminders_sent SET claimed_at = @now WHERE ${where} AND status = 'claimed' AND claimed_at < @staleBefore`),
    markSent: db.prepare(`UPDATE reminders_sent SET status = 'sent', sent_at = @now WHERE ${where}`),
    release: db.prepare(`DELETE FROM reminders_sent WHERE ${where} AND status = 'claimed'`),
    sentLog: db.prepare(
      `SELECT channel, chat_id AS chatId, duty_key AS dutyKey, occurrence_date AS occurrence, days_before AS daysBefore,
              status, claimed_at AS claimedAt, sent_at AS sentAt
       FROM reminders_sent ORDER BY claimed_at, channel, chat_id`,
    ),
  };

  return {
    file,
    subscribe: (channel, chatId, now = new Date()) => q.subscribe.run(channel, chatId, now.toISOString()).changes === 1,
    unsubscribe: (channel, chatId) => q.unsubscribe.run(channel, chatId).changes > 0,
    isSubscribed: (channel, chatId) => q.isSubscribed.get(channel, chatId) !== undefined,
    subscriptions: () => q.subscriptions.all() as Subscription[],
    claim(key, now, leaseMs) {
      if (q.claim.run({ ...key, now: now.toISOString() }).changes === 1) return true;
      const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
      return q.takeOver.run({ ...key, now: now.toISOString(), staleBefore }).changes === 1;
    },
    markSent: (key, now) => void q.markSent.run({ ...key, now: now.toISOString() }),
    release: (key) => void q.release.run(key),
    sentLog: () => q.sentLog.all() as SentRow[],
    close: () => db.close(),
  };
}
