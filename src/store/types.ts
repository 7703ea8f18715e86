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
  /** Where the vote was cast. */
  channel: string;
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
  /**
   * Optional (PostgreSQL): `take`, and when allowed the unexpired turns of `conversation` as
   * `ConversationStore.get` returns them, in one round trip (the first of an answer).
   */
  takeAndRead?(
    key: string,
    limit: number,
    windowMs: number,
    nowMs: number,
    conversation: string,
  ): Promise<RateDecision & { turns?: Turn[] }>;
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
  /** Cited sections as "doc#section", best first. */
  sections?: string[];
  /** What the turn asked of its topic (the answering core's intent: "deadline", "support", …). */
  aspect?: string;
  /** The quotes of the reply in order (what "cái thứ 2" points at): the start of each. */
  items: string[];
  /**
   * Not answered (declined or refused): kept so that a correction can find what it corrects ("ý em là ở nước ngoài
   * chứ không phải trong nước" after a refusal), never the context a follow-up is read in.
   */
  unanswered?: boolean;
}

/** Short-term memory of a chat for follow-up questions: the last few turns, forgotten after a while. */
export interface ConversationStore {
  /** The unexpired turns of a conversation, oldest first. */
  get(id: string): Promise<Turn[]>;
  /**
   * Adds a turn; the oldest turns beyond the limit are dropped. The write is queued when called: every write of
   * the same store handle called later (`ChatMemoryStore.remember`, `QuestionLogStore.insert`) resolves only after
   * it is stored, so awaiting the last write of an answer is enough.
   */
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

// ── Zalo OA tokens ────────────────────────────────────────────────────────────────────────────

/** The tokens of one Zalo OA app: the access token and the single-use refresh token that renews it. */
export interface OaTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (epoch milliseconds). */
  expiresAt: number;
  /** Hash of the ZALO_OA_REFRESH_TOKEN these tokens descend from: a different one in the environment is a new grant. */
  seed: string;
  /** Set when Zalo rejected the refresh token: why (English, no token). A person must re-authorise the app. */
  rejected?: string;
  /** ISO timestamp of the last write. */
  updatedAt: string;
}

/** Where rotated OA tokens live, so a restart or another replica continues with the newest refresh token. */
export interface OaTokenStore {
  get(appId: string): Awaitable<OaTokens | undefined>;
  /**
   * Stores access and refresh token together in one write. With `ifRefreshToken`, only when the stored refresh token
   * is still that one (another process may have rotated it meanwhile): true when written.
   */
  save(appId: string, tokens: OaTokens, ifRefreshToken?: string): Awaitable<boolean>;
}

// ── corpus and index versions ─────────────────────────────────────────────────────────────────

/** Files of a directory: relative path → base64 content. */
export type FileBundle = Record<string, string>;

/** The corpus and its built index per version, and the version every replica serves (PostgreSQL only). */
export interface CorpusVersionStore {
  /**
   * Takes the cluster-wide corpus-change lock without waiting: the release function, or null while another
   * process (any replica, or the CLI) holds it. Held on a connection of its own: a killed holder loses it.
   * `onLost` is called when that connection drops while the lock is held (the lock is gone: stop the change).
   */
  tryChangeLock(onLost?: (err: Error) => void): Promise<(() => Promise<void>) | null>;
  /**
   * Calls `onVersion` when a version is made current (LISTEN corpus_version); `onState` says whether the
   * notification connection is up (the caller polls more often while it is not). Returns a stop function.
   */
  listen(onVersion: (version: string) => void, onState: (up: boolean) => void): () => Promise<void>;
  current(): Promise<string | undefined>;
  /** Stores a version's corpus files and index artefacts and makes it current, in one transaction. */
  publish(version: string, corpus: FileBundle, artefacts: FileBundle): Promise<void>;
  fetch(version: string): Promise<{ corpus: FileBundle; artefacts: FileBundle } | undefined>;
  /** Runs `work` holding the cluster-wide build lock, so one replica builds while the others wait. */
  withBuildLock<T>(work: () => Promise<T>): Promise<T>;
}

// ── question log (staff console) ──────────────────────────────────────────────────────────────

export interface QuestionRow {
  id: number;
  channel: string;
  /** Hash of channel and user id: nothing stored identifies a person. */
  userHash: string;
  question: string;
  abstained: boolean;
  answer: string;
  topDoc: string | null;
  /** The feedback store's id of the answer (what 👍/👎 votes refer to). */
  answerId: number | null;
  /** ISO timestamp. */
  createdAt: string;
}

/** Every answered question, for the console's "not answered" groups and usage statistics. */
export interface QuestionLogStore {
  insert(row: Omit<QuestionRow, "id">): Awaitable<void>;
  /** Abstained questions and those whose answer id is in `answerIds`, oldest first. */
  candidates(answerIds: number[]): Awaitable<QuestionRow[]>;
  /** Questions asked at or after `iso`, oldest first. */
  since(iso: string): Awaitable<QuestionRow[]>;
  /** Question groups marked handled (by their word key), with when. */
  handled(): Awaitable<{ key: string; at: string }[]>;
  markHandled(key: string, at: string, by: string): Awaitable<void>;
  /** Retention: deletes the questions asked before `iso`; the number deleted. */
  prune(iso: string): Awaitable<number>;
  close(): Awaitable<void>;
}

// ── audit log of corpus changes ───────────────────────────────────────────────────────────────

/** Where a change came from. */
export type AuditChannel = "console" | "cli" | "chat" | "http";

/** What changed per document, as the versions page shows it. */
export interface AuditDocChange {
  id: string;
  shortTitle: string;
  kind: "added" | "removed" | "changed";
  sections: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  who: string;
  channel: AuditChannel;
  /** The change: add, remove, status, update, reindex, rollback. */
  action: string;
  /** The document or version it concerns. */
  target: string | null;
  outcome: "ok" | "refused" | "failed";
  /** The index version the change produced (null when refused). */
  version: string | null;
  previous: string | null;
  changes: AuditDocChange[];
  /** Vietnamese reason of a refusal. */
  detail: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, "id" | "at" | "changes" | "detail" | "version" | "previous"> &
  Partial<Pick<AuditEntry, "changes" | "detail" | "version" | "previous">>;

export interface AuditLog {
  record(entry: NewAuditEntry): Awaitable<void>;
  /** Newest first. */
  list(limit?: number): Awaitable<AuditEntry[]>;
  close(): Awaitable<void>;
}

// ── staff-console sessions ────────────────────────────────────────────────────────────────────

export interface ConsoleSession {
  id: string;
  who: string;
  csrf: string;
  /** Epoch milliseconds. */
  expires: number;
}

/** Signed-in console sessions (in memory with one process; shared by replicas with PostgreSQL). */
export interface SessionBackend {
  put(session: ConsoleSession): Awaitable<void>;
  /** The session, unless unknown or expired at `nowMs`. */
  get(id: string, nowMs: number): Awaitable<ConsoleSession | undefined>;
  delete(id: string): Awaitable<void>;
  /** Forget sessions expired at `nowMs`. */
  prune(nowMs: number): Awaitable<void>;
}

// ── originals (uploaded source files) ─────────────────────────────────────────────────────────

/** Uploaded files as received, by content-addressed name ("<id>-<sha256 prefix>.docx"). */
export interface OriginalsStore {
  /** Stores `bytes` under `name`; false when it was there already. */
  keep(name: string, bytes: Buffer): Awaitable<boolean>;
  get(name: string): Awaitable<Buffer | undefined>;
  remove(name: string): Awaitable<void>;
  list(): Awaitable<string[]>;
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
  /** DATA_DIR/zalo-oa.sqlite, or a shared table. */
  readonly oaTokens: OaTokenStore;
  /** Follow-up memory shared by replicas; absent with SQLite (the chat layer keeps conversations.sqlite). */
  readonly conversations?: ConversationStore;
  /** Absent with SQLite: the corpus and index live in CORPUS_DIR and DATA_DIR only. */
  readonly versions?: CorpusVersionStore;
  /** DATA_DIR/questions.sqlite, or a shared table. */
  readonly questions: QuestionLogStore;
  /** DATA_DIR/audit.sqlite, or a shared table. */
  readonly audit: AuditLog;
  /** In memory (a restart signs everyone out), or a shared table. */
  readonly sessions: SessionBackend;
  /** DATA_DIR/originals, or a shared table. */
  readonly originals: OriginalsStore;
  /** Resolves when the database answers (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
