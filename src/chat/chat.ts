// The conversation layer shared by every channel: guards (duplicates, rate limit, length cap), the
// command registry, questions → answers, button actions, and pushing messages out through adapters.
import type { Config } from "../config.js";
import { silentLogger, type Logger } from "../log.js";
import type { Metrics, QuestionOutcome } from "../metrics.js";
import { isInjection } from "../retrieve/query.js";
import type { ChatMemoryStore, RateDecision, RateStore, SeenStore, Turn } from "../store/types.js";
import type { Answer, Citation } from "../types.js";
import type { Conversations } from "./conversation.js";
import type { FeedbackStore } from "./feedback.js";
import {
  exceedsVisibleLength,
  MAX_UNITS_PER_CHARACTER,
  memoryChatMemory,
  memoryRateStore,
  memorySeenStore,
  visibleLength,
  type Clock,
} from "./limits.js";
import { messages } from "./messages.js";
import type {
  ActionContext,
  ActionHandler,
  Assistant,
  ChannelAdapter,
  ChannelName,
  ChatContext,
  CommandHandler,
  HandlerResult,
  IncomingAction,
  IncomingMessage,
  Middleware,
  Reply,
} from "./types.js";

export interface CommandOptions {
  /** Shown by /help; commands without one are hidden there. */
  description?: string;
  adminOnly?: boolean;
  /** The channels where the command works (default: all); /help and command menus elsewhere leave it out. */
  availableOn?: (channel: ChannelName) => boolean;
}

export interface ChatOptions {
  assistant: Assistant;
  config: Pick<Config, "RATE_LIMIT_PER_MINUTE" | "MAX_QUESTION_LENGTH" | "TELEGRAM_ADMIN_IDS" | "ZALO_ADMIN_IDS"> &
    Partial<Pick<Config, "RATE_LIMIT_PER_ADDRESS_PER_MINUTE">>;
  log?: Logger;
  /** Where shown answers and votes are kept; without it there are no source/vote buttons. */
  feedback?: FeedbackStore;
  /** Update ids already handled (default: this process's memory; PostgreSQL shares them across replicas). */
  seen?: SeenStore;
  /** The last turn per chat (default: this process's memory; PostgreSQL shares it across replicas). */
  memory?: ChatMemoryStore;
  /** Rate-limit counters (default: this process's memory; PostgreSQL shares them across replicas). */
  rates?: RateStore;
  /** The question log (staff see what could not be answered); told of every answered question. */
  questions?: QuestionSink;
  /** Follow-up memory per chat; without it every question stands alone. */
  conversations?: Conversations;
  /** Admin user ids per channel (defaults: TELEGRAM_ADMIN_IDS, ZALO_ADMIN_IDS). */
  admins?: Record<ChannelName, readonly string[]>;
  /** How often "typing…" is refreshed while answering (Telegram shows it for about 5 s). */
  typingIntervalMs?: number;
  now?: Clock;
  /** Questions by outcome and answer latency. */
  metrics?: Pick<Metrics, "question" | "answerLatency">;
}

/** Receives every answered question (src/console's question log). */
export interface QuestionSink {
  record(r: { channel: ChannelName; userId: string; answer: Answer; answerId?: number }): void;
}

/** What a chat remembers of its last answer. */
export type LastAnswer = Pick<Answer, "question" | "mode" | "citations" | "more">;

/** One conversation per private chat; in a group, one per member (others' questions are not context). */
export function conversationKey(ctx: Pick<ChatContext, "channel" | "chatId" | "userId" | "isGroup">): string {
  return ctx.isGroup ? `${ctx.channel}:${ctx.chatId}:${ctx.userId}` : `${ctx.channel}:${ctx.chatId}`;
}

export type GuardResult =
  /** `turns`: the conversation's turns, when the rate store read them in the same round trip. */
  | { ok: true; question: string; turns?: Turn[] }
  | {
      ok: false;
      status: 400 | 429;
      message: string;
      /** false: already told once this minute */
      notify: boolean;
      /** With 429: seconds until the user may send again. */
      retryAfterSeconds?: number;
    };

/** The answering core refuses exactly the questions `isInjection` flags (requests for secrets, overrides). */
const outcomeOf = (question: string, a: Answer): QuestionOutcome =>
  !a.abstained ? "answered" : isInjection(question) ? "refused" : "abstained";

export class Chat {
  readonly assistant: Assistant;
  readonly log: Logger;
  readonly feedback?: FeedbackStore;
  private readonly rates: RateStore;
  private readonly seen: SeenStore;
  private readonly rateLimit: number;
  private readonly addressLimit: number;
  private readonly now: Clock;
  readonly questions?: QuestionSink;
  /** Conversation turns read with a message's rate decision, for its question. */
  private readonly prefetched = new WeakMap<ChatContext, Turn[]>();
  readonly conversations?: Conversations;
  private readonly maxLength: number;
  private readonly admins: Record<ChannelName, readonly string[]>;
  private readonly typingIntervalMs: number;
  private readonly commands = new Map<string, { handler: CommandHandler } & CommandOptions>();
  private readonly actions = new Map<string, ActionHandler>();
  private readonly middlewares: Middleware[] = [];
  private readonly adapters = new Map<ChannelName, ChannelAdapter>();
  /** The last answer in each chat, for "/xem <n>" and "/them" on channels without buttons. */
  private readonly memory: ChatMemoryStore;
  private readonly inflight = new Set<Promise<void>>();
  private readonly metrics?: ChatOptions["metrics"];

  constructor(opts: ChatOptions) {
    this.assistant = opts.assistant;
    this.log = opts.log ?? silentLogger;
    this.feedback = opts.feedback;
    this.now = opts.now ?? Date.now;
    this.rates = opts.rates ?? memoryRateStore();
    this.memory = opts.memory ?? memoryChatMemory();
    this.seen = opts.seen ?? memorySeenStore(20_000, 24 * 60 * 60_000, this.now);
    this.rateLimit = opts.config.RATE_LIMIT_PER_MINUTE;
    this.addressLimit = opts.config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE ?? 6 * this.rateLimit;
    this.questions = opts.questions;
    this.conversations = opts.conversations;
    this.maxLength = opts.config.MAX_QUESTION_LENGTH;
    this.admins = opts.admins ?? { telegram: opts.config.TELEGRAM_ADMIN_IDS, zalo: opts.config.ZALO_ADMIN_IDS };
    this.typingIntervalMs = opts.typingIntervalMs ?? 4000;
    this.metrics = opts.metrics;
  }

  // ── registration ────────────────────────────────────────────────────────────────────────────

  /** Register `/name` (case-insensitive). A later registration replaces an earlier one. */
  command(name: string, handler: CommandHandler, opts: CommandOptions = {}): this {
    this.commands.set(name.replace(/^\//, "").toLowerCase(), { handler, ...opts });
    return this;
  }

  /** Handle button presses whose data is "prefix:payload". */
  action(prefix: string, handler: ActionHandler): this {
    if (prefix.includes(":")) throw new Error("action prefix must not contain ':'");
    this.actions.set(prefix, handler);
    return this;
  }

  /** Runs before command dispatch, in registration order (e.g. document uploads). */
  use(middleware: Middleware): this {
    this.middlewares.push(middleware);
    return this;
  }

  addChannel(adapter: ChannelAdapter): this {
    this.adapters.set(adapter.name, adapter);
    return this;
  }

  channels(): ChannelName[] {
    return [...this.adapters.keys()];
  }

  /** Commands with a description, for /help and platform command menus (of `channel`: those that work there). */
  commandList(isAdmin = false, channel?: ChannelName): Array<{ name: string; description: string }> {
    return [...this.commands]
      .filter(([, c]) => c.description && (!c.adminOnly || isAdmin) && (!channel || !c.availableOn || c.availableOn(channel)))
      .map(([name, c]) => ({ name, description: c.description! }));
  }

  isAdmin(channel: ChannelName, userId: string): boolean {
    return this.admins[channel]?.includes(userId) ?? false;
  }

  // ── outgoing ────────────────────────────────────────────────────────────────────────────────

  /** Push a message to a chat on a channel (reminders, notices). Throws when the channel is not running. */
  async sendTo(channel: ChannelName, chatId: string, reply: string | Reply): Promise<void> {
    const adapter = this.adapters.get(channel);
    if (!adapter) throw new Error(`channel ${channel} is not enabled`);
    await adapter.send(chatId, typeof reply === "string" ? { type: "text", text: reply } : reply);
  }

  // ── guards ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Per-user rate limit for any message (questions, commands, button presses, uploads): one count each. With
   * `address` (the web page, whose users are cookie ids) the message also counts against that address's ceiling.
   */
  async guardRate(channel: ChannelName, userId: string, conversation?: string, address?: string): Promise<GuardResult> {
    const key = `${channel}:${userId}`;
    const now = this.now();
    // With a shared store, the conversation's turns come with the rate decision (one round trip before answering);
    // the address is counted at the same time, not after.
    const [rate, ceiling] = await Promise.all([
      conversation !== undefined && this.conversations && this.rates.takeAndRead
        ? this.rates.takeAndRead(key, this.rateLimit, 60_000, now, conversation)
        : Promise.resolve<RateDecision & { turns?: Turn[] }>(this.rates.take(key, this.rateLimit, 60_000, now)),
      address === undefined ? undefined : this.rates.take(`address:${channel}:${address}`, this.addressLimit, 60_000, now),
    ]);
    if (!rate.allowed) return this.refuse(channel, rate, (seconds) => messages.rateLimited(this.rateLimit, seconds));
    if (ceiling && !ceiling.allowed) return this.refuse(channel, ceiling, (seconds) => messages.addressRateLimited(seconds));
    return { ok: true, question: "", ...(rate.turns ? { turns: rate.turns } : {}) };
  }

  /** A 429 that says when to come back; `notify` false when the sender was already told in this window. */
  private refuse(channel: ChannelName, rate: RateDecision, message: (seconds: number) => string): GuardResult {
    const seconds = Math.max(1, Math.ceil(rate.retryInMs / 1000));
    this.metrics?.question(channel, "rate_limited");
    return { ok: false, status: 429, message: message(seconds), notify: rate.firstRefusal, retryAfterSeconds: seconds };
  }

  /**
   * Empty question and length cap, counted in characters as users see them (an emoji is one). The cost is bounded
   * by the cap, not by the text (exceedsVisibleLength): an oversized paste is refused by its length alone.
   */
  guardLength(text: string): GuardResult {
    const question = text.trim();
    if (!question) return { ok: false, status: 400, message: messages.empty, notify: true };
    if (exceedsVisibleLength(question, this.maxLength)) return this.tooLong(question);
    return { ok: true, question };
  }

  /** The refusal of an oversized question: its exact length when it is cheap to count, else "over the cap". */
  private tooLong(text: string): GuardResult {
    const cheap = text.length <= this.maxLength * MAX_UNITS_PER_CHARACTER;
    const message = cheap ? messages.tooLong(visibleLength(text), this.maxLength) : messages.tooLongOver(this.maxLength);
    return { ok: false, status: 400, message, notify: true };
  }

  /**
   * Per-user rate limit, then the length cap, for one question (and the turns of `conversation`, when read with
   * the rate); `address`: also counted against its ceiling (see guardRate). The rate comes first: a client sending
   * oversized questions is throttled like any other.
   */
  async guardQuestion(channel: ChannelName, userId: string, text: string, conversation?: string, address?: string): Promise<GuardResult> {
    const rate = await this.guardRate(channel, userId, conversation, address);
    if (!rate.ok) return rate;
    const length = this.guardLength(text);
    return length.ok ? { ...length, turns: rate.turns } : length;
  }

  /**
   * Answer a question (in a conversation, when given; `turns`: its turns when already read), counting its outcome
   * and latency per channel.
   */
  async answer(channel: ChannelName, question: string, conversation?: string, turns?: Turn[]): Promise<Answer> {
    const started = performance.now();
    const answer = conversation !== undefined ? await this.answerIn(conversation, question, turns) : await this.assistant.ask(question);
    this.metrics?.answerLatency(channel, (performance.now() - started) / 1000);
    this.metrics?.question(channel, outcomeOf(question, answer));
    return answer;
  }

  // ── incoming ────────────────────────────────────────────────────────────────────────────────

  /** Handle one message. Never throws: a failure is logged and the user gets an apology. */
  handleMessage(msg: IncomingMessage): Promise<void> {
    return this.track(async () => {
      if (await this.isDuplicate(msg.channel, msg.updateId)) return;
      const ctx = this.context(msg);
      // A question (plain text): its conversation's turns are read with the rate decision when the store can.
      const conversation = ctx.command ? undefined : conversationKey(ctx);
      if (!(await this.withinRate(ctx.channel, ctx.userId, ctx.reply, conversation, ctx))) return;
      try {
        await this.runMiddlewares(ctx, 0);
      } catch (err) {
        await this.fail(ctx.channel, ctx.chatId, err);
      }
    });
  }

  /**
   * Run one message through middlewares and commands, returning the replies instead of sending them
   * (for request/response channels such as the web page). Errors propagate to the caller.
   */
  async collect(msg: IncomingMessage): Promise<Reply[]> {
    const replies: Reply[] = [];
    await this.runMiddlewares(
      this.context(msg, (r) => replies.push(r)),
      0,
    );
    return replies;
  }

  /** Handle one button press. Never throws. */
  handleAction(act: IncomingAction): Promise<void> {
    return this.track(async () => {
      let acked = false;
      const ack = async (toast?: string) => {
        if (acked) return;
        acked = true;
        await act.ack(toast).catch((err) => this.log.warn("action ack failed", { channel: act.channel, err }));
      };
      if (await this.isDuplicate(act.channel, act.updateId)) return ack();
      if (!(await this.withinRate(act.channel, act.userId, (text) => this.sendTo(act.channel, act.chatId, text)))) return ack();
      const sep = act.data.indexOf(":");
      const prefix = sep < 0 ? act.data : act.data.slice(0, sep);
      const handler = this.actions.get(prefix);
      const msgCtx = this.context({ channel: act.channel, userId: act.userId, chatId: act.chatId, text: "", isGroup: act.isGroup });
      const ctx: ActionContext = {
        channel: act.channel,
        userId: act.userId,
        chatId: act.chatId,
        payload: sep < 0 ? "" : act.data.slice(sep + 1),
        isAdmin: msgCtx.isAdmin,
        reply: msgCtx.reply,
        // Close the button's spinner before a slow answer.
        ask: async (q) => {
          await ack();
          await msgCtx.ask(q);
        },
      };
      try {
        if (!handler) {
          this.log.warn("unknown action", { channel: act.channel, prefix });
          return ack();
        }
        await ack((await handler(ctx)) || undefined);
      } catch (err) {
        await ack();
        await this.fail(act.channel, act.chatId, err);
      }
    });
  }

  /** Resolves when every message being handled now is done (for graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  private track(work: () => Promise<void>): Promise<void> {
    const p = work().catch((err) => this.log.error("chat handler crashed", { err }));
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  /** Counts a message against its sender's rate; false (the sender told once per window) when over it. */
  private async withinRate(
    channel: ChannelName,
    userId: string,
    reply: (text: string) => Promise<void>,
    conversation?: string,
    ctx?: ChatContext,
  ): Promise<boolean> {
    const guard = await this.guardRate(channel, userId, conversation);
    if (guard.ok && guard.turns && ctx) this.prefetched.set(ctx, guard.turns);
    if (guard.ok) return true;
    this.log.info("question refused", { channel, status: 429 });
    if (guard.notify) await reply(guard.message).catch((err) => this.log.warn("rate-limit notice failed", { channel, err }));
    return false;
  }

  private async isDuplicate(channel: ChannelName, updateId: string | undefined): Promise<boolean> {
    if (updateId === undefined || (await this.seen.firstSeen(`${channel}:${updateId}`))) return false;
    this.log.info("duplicate update dropped", { channel, updateId });
    return true;
  }

  private context(msg: IncomingMessage, deliver?: (r: Reply) => void): ChatContext {
    const parsed = /^\/([\p{L}\p{N}_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/u.exec(msg.text.trim());
    const reply = async (r: string | Reply) => {
      const out: Reply = typeof r === "string" ? { type: "text", text: r } : r;
      return deliver ? deliver(out) : this.sendTo(msg.channel, msg.chatId, out);
    };
    const ctx: ChatContext = {
      channel: msg.channel,
      userId: msg.userId,
      chatId: msg.chatId,
      text: msg.text,
      command: parsed?.[1]?.toLowerCase(),
      args: (parsed ? (parsed[2] ?? "") : msg.text).trim(),
      isAdmin: this.isAdmin(msg.channel, msg.userId),
      isGroup: msg.isGroup ?? false,
      userName: msg.userName,
      attachments: msg.attachments ?? [],
      reply,
      ask: (question) => this.ask(ctx, question),
    };
    return ctx;
  }

  private async runMiddlewares(ctx: ChatContext, i: number): Promise<void> {
    const mw = this.middlewares[i];
    if (mw) return mw(ctx, () => this.runMiddlewares(ctx, i + 1));
    return this.dispatch(ctx);
  }

  private async dispatch(ctx: ChatContext): Promise<void> {
    if (!ctx.command) {
      if (!ctx.text.trim()) return ctx.isGroup ? undefined : ctx.reply(messages.textOnly);
      return ctx.ask(ctx.text);
    }
    const cmd = this.commands.get(ctx.command);
    if (!cmd) return ctx.reply(messages.unknownCommand(ctx.command));
    if (cmd.adminOnly && !ctx.isAdmin) return ctx.reply(messages.adminOnly);
    const result: HandlerResult = await cmd.handler(ctx);
    if (result) await ctx.reply(result);
  }

  /** The question flow: length guard (the rate was counted with the message), typing indicator, answer, reply. */
  private async ask(ctx: ChatContext, text: string): Promise<void> {
    const guard = this.guardLength(text);
    if (!guard.ok) {
      this.log.info("question refused", { channel: ctx.channel, status: guard.status });
      this.metrics?.question(ctx.channel, "refused");
      await ctx.reply(guard.message);
      return;
    }
    const stopTyping = this.startTyping(ctx.channel, ctx.chatId);
    let answer: Answer;
    try {
      // Turns read with the rate decision serve the first question of the message only.
      const turns = this.prefetched.get(ctx);
      this.prefetched.delete(ctx);
      answer = await this.answer(ctx.channel, guard.question, conversationKey(ctx), turns);
    } finally {
      stopTyping();
    }
    const answerId = await this.recordShownAnswer(ctx.channel, answer);
    this.questions?.record({ channel: ctx.channel, userId: ctx.userId, answer, answerId });
    await this.rememberAnswer(ctx.channel, ctx.chatId, answer);
    this.log.info("question answered", {
      channel: ctx.channel,
      abstained: answer.abstained,
      citations: answer.citations.length,
    });
    await ctx.reply({ type: "answer", answer, answerId });
  }

  /** Stores an answer about to be shown, for its buttons (undefined without a feedback store). */
  async recordShownAnswer(channel: ChannelName, answer: Answer): Promise<number | undefined> {
    try {
      return await this.feedback?.recordAnswer(channel, answer);
    } catch (err) {
      // Feedback is a nicety: answer without buttons rather than not at all.
      this.log.error("feedback store failed", { err });
      return undefined;
    }
  }

  /** Answer a question read in a conversation (its follow-up context), or on its own without conversations. */
  async answerIn(conversation: string, question: string, turns?: Turn[]): Promise<Answer> {
    if (!this.conversations) return this.assistant.ask(question);
    return this.conversations.answer(conversation, question, this.assistant, turns);
  }

  /** The answer "/xem <n>" and "/them" refer to in a chat (shared by replicas with PostgreSQL). */
  async rememberAnswer(channel: ChannelName, chatId: string, answer: Answer): Promise<void> {
    // Only what "/xem" and "/them" need: thousands of chats stay small.
    const last: LastAnswer = { question: answer.question, mode: answer.mode, citations: answer.citations, more: answer.more };
    try {
      await this.memory.remember(`${channel}:${chatId}`, last);
    } catch (err) {
      // A follow-up that cannot be resolved later is a lesser harm than not answering now.
      this.log.error("chat memory store failed", { err });
    }
  }

  /** Citations of the last answer given in a chat (empty when none). */
  async lastAnswerCitations(channel: ChannelName, chatId: string): Promise<Citation[]> {
    return (await this.lastAnswer(channel, chatId))?.citations ?? [];
  }

  /** The last answer given in a chat, if any (for "/them"). */
  async lastAnswer(channel: ChannelName, chatId: string): Promise<LastAnswer | undefined> {
    return (await this.memory.recall(`${channel}:${chatId}`)) as LastAnswer | undefined;
  }

  private startTyping(channel: ChannelName, chatId: string): () => void {
    const adapter = this.adapters.get(channel);
    if (!adapter?.typing) return () => {};
    const tick = () => void adapter.typing!(chatId).catch((err) => this.log.debug("typing failed", { channel, err }));
    tick();
    const timer = setInterval(tick, this.typingIntervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async fail(channel: ChannelName, chatId: string, err: unknown): Promise<void> {
    this.log.error("message handling failed", { channel, err });
    try {
      await this.sendTo(channel, chatId, messages.failed);
    } catch (err2) {
      this.log.error("could not send failure notice", { channel, err: err2 });
    }
  }
}
