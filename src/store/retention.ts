// Question-log retention (QUESTION_LOG_DAYS): questions older than the period are deleted at start and then once a
// day, in SQLite and PostgreSQL alike (with replicas every replica runs it; the delete is idempotent).
import type { Logger } from "../log.js";
import type { QuestionLogStore } from "./types.js";

export const DAY_MS = 86_400_000;

/** Deletes the questions asked more than `days` days before `now`; the number deleted. */
export async function pruneQuestionLog(store: Pick<QuestionLogStore, "prune">, days: number, now = Date.now()): Promise<number> {
  return store.prune(new Date(now - days * DAY_MS).toISOString());
}

/** Runs the retention now and every `everyMs` (a day); `days` 0 keeps everything. Returns the stop function. */
export function scheduleQuestionRetention(store: Pick<QuestionLogStore, "prune">, days: number, log: Logger, everyMs = DAY_MS): () => void {
  if (days <= 0) return () => undefined;
  const run = () =>
    pruneQuestionLog(store, days).then(
      (deleted) => deleted && log.info("question log retention applied", { days, deleted }),
      (err: unknown) => log.warn("question log retention failed; retrying at the next run", { days, err }),
    );
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
