// The shared state of the app, from DATABASE_URL: unset = SQLite files under DATA_DIR plus in-process guards
// (one process, nothing to install); postgres://… = PostgreSQL, shared by every replica.
import path from "node:path";
import type { Config } from "../config.js";
import { memoryChatMemory, memoryRateStore, memorySeenStore } from "./memory.js";
import { openPgStores } from "./pg/index.js";
import { openFeedbackStore } from "./sqlite/feedback.js";
import { openReminderStore } from "./sqlite/reminders.js";
import type { Stores } from "./types.js";

export type * from "./types.js";
export { memoryChatMemory, memoryRateStore, memorySeenStore } from "./memory.js";

export const FEEDBACK_DB_FILE = "feedback.sqlite";

export function openSqliteStores(dataDir: string): Stores {
  const reminders = openReminderStore(dataDir);
  const feedback = openFeedbackStore(path.join(dataDir, FEEDBACK_DB_FILE));
  return {
    kind: "sqlite",
    reminders,
    feedback,
    seen: memorySeenStore(),
    rates: memoryRateStore(),
    memory: memoryChatMemory(),
    ping: async () => undefined,
    async close() {
      reminders.close();
      feedback.close();
    },
  };
}

export async function openStores(
  config: Pick<Config, "DATABASE_URL" | "dataDir" | "CONVERSATION_TTL_MINUTES" | "CONVERSATION_MAX_TURNS">,
): Promise<Stores> {
  if (!config.DATABASE_URL) return openSqliteStores(config.dataDir);
  const conversations = { ttlMs: config.CONVERSATION_TTL_MINUTES * 60_000, maxTurns: config.CONVERSATION_MAX_TURNS };
  return openPgStores(config.DATABASE_URL, { conversations });
}
