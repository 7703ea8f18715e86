// Reminder subscriptions and the sent-log in PostgreSQL: the same claims as the SQLite store, so a reminder
// goes out once in total however many replicas run the scheduler.
import type pg from "pg";
import type { ReminderStore, SentKey, SentRow, Subscription } from "../types.js";

const KEY_COLUMNS = "channel, chat_id, duty_key, occurrence_date, days_before";
const WHERE_KEY = "channel = $1 AND chat_id = $2 AND duty_key = $3 AND occurrence_date = $4 AND days_before = $5";
const keyParams = (k: SentKey) => [k.channel, k.chatId, k.dutyKey, k.occurrence, k.daysBefore];

export function pgReminderStore(pool: pg.Pool): ReminderStore {
  return {
    async subscribe(channel, chatId, now = new Date()) {
      const r = await pool.query(
        "INSERT INTO subscriptions (channel, chat_id, created) VALUES ($1, $2, $3) ON CONFLICT (channel, chat_id) DO NOTHING",
        [channel, chatId, now.toISOString()],
      );
      return r.rowCount === 1;
    },
    async unsubscribe(channel, chatId) {
      const r = await pool.query("DELETE FROM subscriptions WHERE channel = $1 AND chat_id = $2", [channel, chatId]);
      return (r.rowCount ?? 0) > 0;
    },
    async isSubscribed(channel, chatId) {
      const r = await pool.query("SELECT 1 FROM subscriptions WHERE channel = $1 AND chat_id = $2", [channel, chatId]);
      return r.rowCount === 1;
    },
    async subscriptions() {
      const r = await pool.query<Subscription>(
        `SELECT channel, chat_id AS "chatId", created FROM subscriptions ORDER BY created, channel, chat_id`,
      );
      return r.rows;
    },
    async claim(key, now, leaseMs) {
      const at = now.toISOString();
      const inserted = await pool.query(
        `INSERT INTO reminders_sent (${KEY_COLUMNS}, status, claimed_at) VALUES ($1, $2, $3, $4, $5, 'claimed', $6)
         ON CONFLICT (${KEY_COLUMNS}) DO NOTHING`,
        [...keyParams(key), at],
      );
      if (inserted.rowCount === 1) return true;
      // A claim left by a crashed sender may be taken over after the lease; the UPDATE's row lock picks one winner.
      const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
      const taken = await pool.query(
        `UPDATE reminders_sent SET claimed_at = $6 WHERE ${WHERE_KEY} AND status = 'claimed' AND claimed_at < $7`,
        [...keyParams(key), at, staleBefore],
      );
      return taken.rowCount === 1;
    },
    async markSent(key, now) {
      const sent = `UPDATE reminders_sent SET status = 'sent', sent_at = $6 WHERE ${WHERE_KEY}`;
      await pool.query(sent, [...keyParams(key), now.toISOString()]);
    },
    async release(key) {
      await pool.query(`DELETE FROM reminders_sent WHERE ${WHERE_KEY} AND status = 'claimed'`, keyParams(key));
    },
    async sentLog() {
      const r = await pool.query<SentRow>(
        `SELECT channel, chat_id AS "chatId", duty_key AS "dutyKey", occurrence_date AS occurrence, days_before AS "daysBefore",
                status, claimed_at AS "claimedAt", sent_at AS "sentAt"
         FROM reminders_sent ORDER BY claimed_at, channel, chat_id`,
      );
      return r.rows;
    },
    close: () => undefined, // the pool is closed with the Stores
  };
}
