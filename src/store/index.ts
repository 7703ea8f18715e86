// The shared state of the app, from DATABASE_URL: unset = SQLite files under DATA_DIR plus in-process guards
// (one process, nothing to install); postgres://… = PostgreSQL, shared by every replica.
import path from "node:path";
import type { Config } from "../config.js";
import { directoryOriginals, memorySessions } from "./local.js";
import { memoryChatMemory, memoryRateStore, memorySeenStore } from "./memory.js";
import { openPgStores, type PgStoreOptions } from "./pg/index.js";
import { AUDIT_DB_FILE, openSqliteAuditLog } from "./sqlite/audit.js";
import { openFeedbackStore } from "./sqlite/feedback.js";
import { openSqliteQuestionLog, QUESTIONS_DB_FILE } from "./sqlite/questions.js";
import { OA_TOKENS_DB_FILE, openSqliteOaTokens } from "./sqlite/oa-tokens.js";
import { openReminderStore } from "./sqlite/reminders.js";
import type { AuditLog, OaTokenStore, QuestionLogStore, Stores } from "./types.js";

export type * from "./types.js";
export { memoryChatMemory, memoryRateStore, memorySeenStore } from "./memory.js";
export { pruneQuestionLog, scheduleQuestionRetention } from "./retention.js";
export { degradable, type OnSkip, type SkippedOperation } from "./degraded.js";
export { directoryOriginals, memorySessions } from "./local.js";
export { AUDIT_DB_FILE, openSqliteAuditLog } from "./sqlite/audit.js";
export { openSqliteQuestionLog, QUESTIONS_DB_FILE } from "./sqlite/questions.js";
export { OA_TOKENS_DB_FILE } from "./sqlite/oa-tokens.js";

export const FEEDBACK_DB_FILE = "feedback.sqlite";
export const ORIGINALS_DIR = "originals";

/** An object whose methods open `open()` on first use (files appear only where a feature uses them). */
function lazy<T extends { close(): unknown }>(open: () => T, methods: (keyof T)[]): { value: T; opened(): boolean } {
  let real: T | undefined;
  const proxy = {} as Record<keyof T, unknown>;
  for (const m of methods) proxy[m] = (...args: unknown[]) => ((real ??= open())[m] as (...a: unknown[]) => unknown)(...args);
  return { value: proxy as T, opened: () => real !== undefined };
}

export function openSqliteStores(dataDir: string): Stores {
  const reminders = openReminderStore(dataDir);
  const feedback = openFeedbackStore(path.join(dataDir, FEEDBACK_DB_FILE));
  const questions = lazy<QuestionLogStore>(
    () => openSqliteQuestionLog(path.join(dataDir, QUESTIONS_DB_FILE)),
    ["insert", "candidates", "since", "handled", "markHandled", "prune", "close"],
  );
  const audit = lazy<AuditLog>(() => openSqliteAuditLog(path.join(dataDir, AUDIT_DB_FILE)), ["record", "list", "close"]);
  const oaTokens = lazy<OaTokenStore & { close(): void }>(
    () => openSqliteOaTokens(path.join(dataDir, OA_TOKENS_DB_FILE)),
    ["get", "save", "close"],
  );
  return {
    kind: "sqlite",
    reminders,
    feedback,
    seen: memorySeenStore(),
    rates: memoryRateStore(),
    memory: memoryChatMemory(),
    questions: questions.value,
    audit: audit.value,
    oaTokens: oaTokens.value,
    sessions: memorySessions(),
    originals: directoryOriginals(path.join(dataDir, ORIGINALS_DIR)),
    ping: async () => undefined,
    async close() {
      reminders.close();
      feedback.close();
      if (questions.opened()) await questions.value.close();
      if (audit.opened()) await audit.value.close();
      if (oaTokens.opened()) oaTokens.value.close();
    },
  };
}

/** `onRetry` (servers): wait for a PostgreSQL that is down at start instead of failing (see PgStoreOptions). */
export async function openStores(
  config: Pick<Config, "DATABASE_URL" | "dataDir" | "CONVERSATION_TTL_MINUTES" | "CONVERSATION_MAX_TURNS">,
  opts: Pick<PgStoreOptions, "onRetry"> = {},
): Promise<Stores> {
  if (!config.DATABASE_URL) return openSqliteStores(config.dataDir);
  const conversations = { ttlMs: config.CONVERSATION_TTL_MINUTES * 60_000, maxTurns: config.CONVERSATION_MAX_TURNS };
  return openPgStores(config.DATABASE_URL, { conversations, ...opts });
}
