// Answering needs no database. With PostgreSQL down, the per-answer calls to the shared store must not turn a
// question into a 500: rate limits and duplicate checks fall back to this process's memory, follow-up turns and
// the last answer are read as absent, and the writes of an answer (turn, last answer, question log row) are
// skipped. Each fallback is counted (`onSkip`) so operators see what was lost; /readyz reports the database.
import { memoryChatMemory, memoryRateStore, memorySeenStore } from "./memory.js";
import type { Awaitable, ConversationStore, Stores } from "./types.js";

/** What was skipped or served locally while the database failed. */
export type SkippedOperation = "rate" | "seen" | "memory_read" | "memory_write" | "turns_read" | "turns_write" | "question_log";

export type OnSkip = (operation: SkippedOperation, err: unknown) => void;

/** `call`, or `fallback` (counted) when it fails. */
async function orElse<T>(operation: SkippedOperation, onSkip: OnSkip, call: () => Awaitable<T>, fallback: () => Awaitable<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    onSkip(operation, err);
    return fallback();
  }
}

function degradableConversations(store: ConversationStore, onSkip: OnSkip): ConversationStore {
  return {
    get: (id) =>
      orElse(
        "turns_read",
        onSkip,
        () => store.get(id),
        () => [],
      ),
    append: (id, turn) =>
      orElse(
        "turns_write",
        onSkip,
        () => store.append(id, turn),
        () => undefined,
      ),
    reset: (id) =>
      orElse(
        "turns_write",
        onSkip,
        () => store.reset(id),
        () => undefined,
      ),
    close: () => store.close(),
  };
}

/** The stores with the per-answer calls made to survive a database outage (the others are unchanged). */
export function degradable(stores: Stores, onSkip: OnSkip): Stores {
  const { rates, seen, memory, questions, conversations } = stores;
  const localRates = memoryRateStore();
  const localSeen = memorySeenStore();
  const localMemory = memoryChatMemory();
  return {
    ...stores,
    close: () => stores.close(),
    ping: () => stores.ping(),
    rates: {
      take: (key, limit, windowMs, nowMs) =>
        orElse(
          "rate",
          onSkip,
          () => rates.take(key, limit, windowMs, nowMs),
          () => localRates.take(key, limit, windowMs, nowMs),
        ),
      ...(rates.takeAndRead && {
        takeAndRead: (key, limit, windowMs, nowMs, conversation) =>
          orElse(
            "rate",
            onSkip,
            () => rates.takeAndRead!(key, limit, windowMs, nowMs, conversation),
            () => localRates.take(key, limit, windowMs, nowMs),
          ),
      }),
    },
    seen: {
      firstSeen: (key) =>
        orElse(
          "seen",
          onSkip,
          () => seen.firstSeen(key),
          () => localSeen.firstSeen(key),
        ),
    },
    memory: {
      remember: (key, value) =>
        orElse(
          "memory_write",
          onSkip,
          () => memory.remember(key, value),
          () => localMemory.remember(key, value),
        ),
      recall: (key) =>
        orElse(
          "memory_read",
          onSkip,
          () => memory.recall(key),
          () => localMemory.recall(key),
        ),
    },
    questions: {
      ...questions,
      insert: (row) =>
        orElse(
          "question_log",
          onSkip,
          () => questions.insert(row),
          () => undefined,
        ),
    },
    ...(conversations && { conversations: degradableConversations(conversations, onSkip) }),
  };
}
