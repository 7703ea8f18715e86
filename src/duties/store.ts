// Reminder storage lives in src/store (SQLite and PostgreSQL); re-exported here for the duties feature.
export { openReminderStore, REMINDER_DB_FILE, type SqliteReminderStore } from "../store/sqlite/reminders.js";
export type { ReminderStore, SentKey, SentRow, Subscription } from "../store/types.js";
