// One small storage interface per kind of shared state. Two implementations: SQLite under DATA_DIR plus
// in-process memory (one process, the default) and PostgreSQL (DATABASE_URL, shared by every replica).
// Methods may answer synchronously (SQLite) or with a promise (PostgreSQL): callers always await.
import type { Answer, Citation, MoreAnswer } from "../types.js";

export type Awaitable<T> = T | Promise<T>;

// ── reminders ─────────────────────────────────────────────────────────────────────────────────

export interface SentKey {
  channel: string;
  chatId: string;
  dutyKey: string;
  /** Local date of the deadline occurrence, "2026-11-30". */
  occurrence: string;
  daysBefore: number;
}

export interface Subscription {
  channel: string;
  chatId: string;
  /** ISO timestamp. */
  created: string;
}

export interface SentRow extends SentKey {
  status: "claimed" | "sent";
  claimedAt: string;
  sentAt: string | null;
}

/** Reminder subscriptions and the sent-log whose claims two processes cannot both win. */
export interface ReminderStore {
  /** True when newly subscribed, false when it already was. */
  subscribe(channel: string, chatId: string, now?: Date): Awaitable<boolean>;
  /** True when a subscription was removed. */
  unsubscribe(channel: string, chatId: string): Awaitable<boolean>;
  isSubscribed(channel: string, chatId: string): Awaitable<boolean>;
  subscriptions(): Awaitable<Subscription[]>;
  /** Take the right to send this reminder; false when another tick/process has it or it was already sent. */
  claim(key: SentKey, now: Date, leaseMs: number): Awaitable<boolean>;
  markSent(key: SentKey, now: Date): Awaitable<void>;
  /** Give a claim back after a failed send, so a later tick retries. */
  release(key: SentKey): Awaitable<void>;
  sentLog(): Awaitable<SentRow[]>;
  close(): Awaitable<void>;
}

// ── feedback ──────────────────────────────────────────────────────────────────────────────────

export interface StoredAnswer {
  id: number;
  channel: string;
  question: string;
  abstained: boolean;
  citations: Citation[];
  /** What "Xem thêm" shows for this answer. */
  more: MoreAnswer | null;
  createdAt: string;
}

export interface VoteRow {
  answerId: number;
  value: 1 | -1;
  question: string;
  citations: Citation[];
  votedAt: string;
}

/** Answers shown with buttons, and the 👍/👎 votes on them. */
export interface FeedbackStore {
  /** Records an answer shown on a channel; the id goes into its buttons. */
  recordAnswer(channel: string, answer: Answer): Awaitable<number>;
  getAnswer(id: number): Awaitable<StoredAnswer | undefined>;
  /** One vote per user and answer; voting again replaces it. False when the answer is unknown. */
  vote(answerId: number, channel: string, userId: string, value: 1 | -1): Awaitable<boolean>;
  /** Votes joined with their question and citations, newest first (for reports and tests). */
  votes(limit?: number): Awaitable<VoteRow[]>;
  close(): Awaitable<void>;
}

// ── guards ────────────────────────────────────────────────────────────────────────────────────

/** Update de-duplication (Telegram update_id, Zalo message ids) across restarts or replicas. */
export interface SeenStore {
  /** True the first time `key` is offered within the retention period, false for every repeat. */
  firstSeen(key: string): Awaitable<boolean>;
}

export interface RateDecision {
  allowed: boolean;
  /** Milliseconds until the oldest counted event leaves the window (when not allowed). */
  retryInMs: number;
  /** True for the first refusal in a window, so the user is told once rather than on every message. */
  firstRefusal: boolean;
  /** Events counted in the window, this one included when allowed (1: the first of a burst). */
  count: number;
}

/** Sliding-window rate-limit counters: at most `limit` events per `windowMs` per key. */
export interface RateStore {
  take(key: string, limit: number, windowMs: number, nowMs: number): Awaitable<RateDecision>;
}

// ── conversation memory ───────────────────────────────────────────────────────────────────────

/** What a chat's next turn needs from its last one (e.g. the citations "/xem 2" points at), as JSON. */
export interface ChatMemoryStore {
  remember(chatKey: string, value: unknown): Awaitable<void>;
  /** The last value remembered for the chat within the retention period. */
  recall(chatKey: string): Awaitable<unknown>;
}

/** One answered question, as later follow-ups need it. */
export interface Turn {
  /** As the user typed it. */
  question: string;
  /** The stand-alone question actually answered (equal to `question` when it needed no context). */
  standalone: string;
  /** The topic phrase of the stand-alone question (its subject, without question words). */
  topic: string;
  /** Agency the question was about, as named in it. */
  agency?: string;
  /** Cited documents, best first. */
  docs: string[];
  /** The quotes of the reply in order (what "cái thứ 2" points at): the start of each. */
  items: string[];
}

/** Short-term memory of a chat for follow-up questions: the last few turns, forgotten after a while. */
export interface ConversationStore {
  /** The unexpired turns of a conversation, oldest first. */
  get(id: string): Promise<Turn[]>;
  /** Adds a turn; the oldest turns beyond the limit are dropped. */
  append(id: string, turn: Turn): Promise<void>;
  /** Forgets a conversation ("/moi", "Câu hỏi mới"). */
  reset(id: string): Promise<void>;
  close(): void;
}

// ── leases ────────────────────────────────────────────────────────────────────────────────────

/** Named leases with an expiry ("one poller per bot"); expiry is judged by the store's clock. */
export interface LeaseStore {
  /** Take or renew `name` for `holder` for `ttlMs`; false while another holder's lease is unexpired. */
  acquire(name: string, holder: string, ttlMs: number): Awaitable<boolean>;
  /** Give the lease up (only when `holder` has it), so another replica takes over at once. */
  release(name: string, holder: string): Awaitable<void>;
}

// ── corpus and index versions ─────────────────────────────────────────────────────────────────

/** Files of a directory: relative path → base64 content. */
export type FileBundle = Record<string, string>;

/** The corpus and its built index per version, and the version every replica serves (PostgreSQL only). */
export interface CorpusVersionStore {
  current(): Promise<string | undefined>;
  /** Stores a version's corpus files and index artefacts and makes it current, in one transaction. */
  publish(version: string, corpus: FileBundle, artefacts: FileBundle): Promise<void>;
  fetch(version: string): Promise<{ corpus: FileBundle; artefacts: FileBundle } | undefined>;
  /** Runs `work` holding the cluster-wide build lock, so one replica builds while the others wait. */
  withBuildLock<T>(work: () => Promise<T>): Promise<T>;
}

// ── all of them ───────────────────────────────────────────────────────────────────────────────

export interface Stores {
  readonly kind: "sqlite" | "postgres";
  readonly reminders: ReminderStore;
  readonly feedback: FeedbackStore;
  readonly seen: SeenStore;
  readonly rates: RateStore;
  readonly memory: ChatMemoryStore;
  /** Absent with SQLite: one process, nothing to share. */
  readonly leases?: LeaseStore;
  /** Follow-up memory shared by replicas; absent with SQLite (the chat layer keeps conversations.sqlite). */
  readonly conversations?: ConversationStore;
  /** Absent with SQLite: the corpus and index live in CORPUS_DIR and DATA_DIR only. */
  readonly versions?: CorpusVersionStore;
  /** Resolves when the database answers (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
