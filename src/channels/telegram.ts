// Telegram adapter (telegraf): updates → chat layer, replies → HTML messages with inline buttons.
// Long polling by default; webhook mode (secret header checked) when a webhook URL is configured.
import express, { type RequestHandler } from "express";
import { Telegraf, TelegramError } from "telegraf";
import type { Message, Update } from "telegraf/types";
import { z } from "zod";
import type { Chat } from "../chat/chat.js";
import { answerButtons } from "../chat/commands.js";
import { renderMessages, replyBlocks, type BlockStyle } from "../chat/format.js";
import type { Attachment, Button, ChannelAdapter, Reply } from "../chat/types.js";
import { silentLogger, type Logger } from "../log.js";
import { isNetworkError, withRetry, type RetryOptions, type RetryVerdict } from "./retry.js";
import { secretMatches } from "./secret.js";
import type { ChannelMonitor } from "./supervise.js";

export const TELEGRAM_LIMIT = 4096;
const CALLBACK_DATA_MAX_BYTES = 64;
const SECRET_HEADER = "x-telegram-bot-api-secret-token";

export interface TelegramChannelOptions {
  token: string;
  /** Bot API server root (a self-hosted server, or a test double). */
  apiRoot?: string;
  /** Webhook mode: Telegram posts updates to `url`, sending `secret` in a header. */
  webhook?: { url: string; secret: string };
  retry?: RetryOptions;
  log?: Logger;
  /** Receives API call outcomes (readiness, metrics). */
  monitor?: ChannelMonitor;
}

export interface TelegramChannel extends ChannelAdapter {
  readonly bot: Telegraf;
  /** Path of the webhook URL, where `webhookHandlers` must be mounted (webhook mode only). */
  readonly webhookPath?: string;
  /** Express handlers for the webhook route: secret check, JSON body, 200 at once, processing after. */
  webhookHandlers(): RequestHandler[];
  start(): Promise<void>;
  /** Resolves when long polling ends (webhook mode: when stopped). */
  running(): Promise<void>;
  stop(): Promise<void>;
}

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const tags: Record<BlockStyle, [string, string]> = {
  plain: ["", ""],
  heading: ["<b>", "</b>"],
  quote: ["<blockquote>", "</blockquote>"],
  muted: ["<i>", "</i>"],
};

export function renderHtml(text: string, style: BlockStyle): string {
  const [open, close] = tags[style];
  return open + escapeHtml(text) + close;
}

/**
 * A reply as Telegram HTML messages. Each message's HTML source stays within 4096 characters, so its
 * text after entity parsing (what Telegram counts) does too.
 */
export function telegramMessages(reply: Reply): { texts: string[]; buttons: Button[][] } {
  // With a stored answer its cited sections are buttons: the text does not list them again.
  const sourcesListed = reply.type === "answer" && reply.answerId !== undefined;
  const texts = renderMessages(replyBlocks(reply, { sourceHint: false, sourcesListed }), TELEGRAM_LIMIT, renderHtml);
  const buttons =
    reply.type === "answer"
      ? answerButtons(reply.answer.citations, reply.answerId, !!reply.answer.more)
      : reply.type === "text"
        ? (reply.buttons ?? [])
        : [];
  return { texts, buttons };
}

function classify(err: unknown): RetryVerdict {
  if (err instanceof TelegramError) {
    if (err.code === 429) {
      const after = err.parameters?.retry_after;
      return { retry: true, retryAfterMs: after !== undefined ? after * 1000 : undefined };
    }
    return { retry: err.code >= 500 };
  }
  return { retry: isNetworkError(err) };
}

const updateSchema = z.object({ update_id: z.number().int() }).passthrough();

type Call = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

/** Every Bot API call (ours and telegraf's polling) reports success or failure to the monitor. */
function observeApi(bot: Telegraf, monitor: ChannelMonitor | undefined): void {
  if (!monitor) return;
  const callApi = bot.telegram.callApi.bind(bot.telegram);
  bot.telegram.callApi = (async (...args: Parameters<typeof callApi>) => {
    try {
      const result = await callApi(...args);
      monitor.succeeded();
      return result;
    } catch (err) {
      if ((err as { name?: string }).name !== "AbortError") monitor.failed(err);
      throw err;
    }
  }) as typeof bot.telegram.callApi;
}

/** Sends one HTML message (buttons on it); falls back to plain text if Telegram cannot parse the HTML. */
function createSender(bot: Telegraf, call: Call, log: Logger) {
  return async function sendChunk(chatId: string, html: string, keyboard: Button[][]): Promise<void> {
    const rows = keyboard
      .map((row) => row.filter((b) => Buffer.byteLength(b.action) <= CALLBACK_DATA_MAX_BYTES))
      .filter((row) => row.length > 0)
      .map((row) => row.map((b) => ({ text: b.text, callback_data: b.action })));
    const extra = {
      parse_mode: "HTML" as const,
      link_preview_options: { is_disabled: true },
      ...(rows.length ? { reply_markup: { inline_keyboard: rows } } : {}),
    };
    try {
      await call("sendMessage", () => bot.telegram.sendMessage(chatId, html, extra));
    } catch (err) {
      // Should never happen (every dynamic string is escaped), but an answer in plain text beats none.
      if (!(err instanceof TelegramError && err.code === 400 && /parse entities/i.test(err.description))) throw err;
      log.warn("telegram rejected HTML, resending as plain text", { err: err.message });
      const plain = html
        .replace(/<[^>]+>/g, "")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&");
      const { parse_mode: _drop, ...rest } = extra;
      await call("sendMessage", () => bot.telegram.sendMessage(chatId, plain, rest));
    }
  };
}

function attachmentsOf(msg: Message, bot: Telegraf, call: Call): Attachment[] {
  if (!("document" in msg) || !msg.document) return [];
  const doc = msg.document;
  return [
    {
      fileName: doc.file_name ?? "tai-lieu",
      mimeType: doc.mime_type,
      size: doc.file_size,
      async download() {
        // The file URL embeds the token: report failures without it.
        const url = await call("getFileLink", () => bot.telegram.getFileLink(doc.file_id));
        const res = await fetch(url).catch(() => undefined);
        if (!res?.ok) throw new Error(`telegram file download failed (${res?.status ?? "network error"})`);
        return Buffer.from(await res.arrayBuffer());
      },
    },
  ];
}

/** The text meant for the bot, or null when a group message is not addressed to it. */
function addressedText(bot: Telegraf, msg: Message, text: string): string | null {
  const username = bot.botInfo?.username ?? "";
  const mention = new RegExp(`@${username}\\b`, "gi");
  if (msg.chat.type === "private") return text.replace(mention, "").trim() || text;
  const command = /^\/[A-Za-z0-9_]+(?:@(\w+))?/.exec(text);
  if (command) return !command[1] || command[1].toLowerCase() === username.toLowerCase() ? text.replace(mention, "") : null;
  const replied = "reply_to_message" in msg && msg.reply_to_message?.from?.id === bot.botInfo?.id;
  const mentioned = username !== "" && mention.test(text);
  return replied || mentioned ? text.replace(mention, "").trim() : null;
}

/** Messages and button presses → the chat layer (never awaited: telegraf goes on with the next update). */
function routeUpdates(bot: Telegraf, chat: Chat, call: Call, log: Logger): void {
  bot.on("message", (ctx) => {
    const msg = ctx.message;
    const raw = "text" in msg ? msg.text : "caption" in msg ? (msg.caption ?? "") : "";
    const isGroup = msg.chat.type !== "private";
    const text = addressedText(bot, msg, raw);
    // Groups: silence unless addressed; a bare file in a group is not for us either.
    if (text === null || (isGroup && !raw)) return;
    void chat.handleMessage({
      channel: "telegram",
      updateId: String(ctx.update.update_id),
      userId: String(msg.from?.id ?? msg.chat.id),
      chatId: String(msg.chat.id),
      text,
      userName: msg.from?.first_name,
      isGroup,
      attachments: attachmentsOf(msg, bot, call),
    });
  });

  bot.on("callback_query", (ctx) => {
    const q = ctx.callbackQuery;
    const ack = (toast?: string) => call("answerCbQuery", () => bot.telegram.answerCbQuery(q.id, toast)).then(() => undefined);
    if (!("data" in q)) return void ack().catch(() => undefined);
    void chat.handleAction({
      channel: "telegram",
      updateId: String(ctx.update.update_id),
      userId: String(q.from.id),
      chatId: String(q.message?.chat.id ?? q.from.id),
      data: q.data,
      isGroup: q.message ? q.message.chat.type !== "private" : false,
      ack,
    });
  });

  bot.catch((err) => log.error("telegram update failed", { err }));
}

/** Express handlers for the webhook route: secret check, JSON body, 200 at once, processing after. */
function webhookHandlersFor(bot: Telegraf, secret: string, log: Logger): RequestHandler[] {
  const checkSecret: RequestHandler = (req, res, next) => {
    if (secretMatches(secret, req.get(SECRET_HEADER))) return next();
    log.warn("telegram webhook rejected: missing or wrong secret token");
    res.status(401).json({ ok: false });
  };
  const receive: RequestHandler = (req, res) => {
    const parsed = updateSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ ok: false });
      return;
    }
    // Acknowledge first: Telegram re-sends updates that take too long (duplicates are dropped later).
    res.status(200).json({ ok: true });
    bot.handleUpdate(parsed.data as unknown as Update).catch((err: unknown) => log.error("telegram webhook update failed", { err }));
  };
  return [checkSecret, express.json({ limit: "1mb" }), receive];
}

const ALLOWED_UPDATES: Array<"message" | "callback_query"> = ["message", "callback_query"];

/** getMe, the command menu, then the webhook or long polling; resolves with the polling loop (if any). */
async function launch(
  bot: Telegraf,
  chat: Chat,
  call: Call,
  opts: TelegramChannelOptions,
  log: Logger,
): Promise<{ polling?: Promise<void> }> {
  bot.botInfo = await call("getMe", () => bot.telegram.getMe());
  const commands = chat.commandList(false, "telegram").map((c) => ({ command: c.name, description: c.description }));
  await call("setMyCommands", () => bot.telegram.setMyCommands(commands)).catch((err: unknown) =>
    log.warn("telegram setMyCommands failed", { err }),
  );
  if (opts.webhook) {
    const { url, secret } = opts.webhook;
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(secret))
      throw new Error("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, '_' and '-'");
    await call("setWebhook", () => bot.telegram.setWebhook(url, { secret_token: secret, allowed_updates: ALLOWED_UPDATES }));
    log.info("telegram started (webhook)", { bot: bot.botInfo.username, path: new URL(url).pathname });
    return {};
  }
  const polling = bot.launch({ allowedUpdates: ALLOWED_UPDATES }).catch((err: unknown) => {
    log.error("telegram polling stopped", { err });
  });
  log.info("telegram started (long polling)", { bot: bot.botInfo.username });
  return { polling };
}

/**
 * Ends long polling. telegraf's launch() starts polling only after its own deleteWebhook call, and stop() before
 * that point throws ("Bot is not running!") and leaves polling to start later: keep stopping until it has ended.
 */
async function stopPolling(bot: Telegraf, polling: Promise<void>): Promise<void> {
  let ended = false;
  void polling.then(() => (ended = true));
  while (!ended) {
    try {
      bot.stop("shutdown");
    } catch {
      // not polling yet (or already stopped)
    }
    await Promise.race([polling, new Promise((r) => setTimeout(r, 50))]);
  }
}

export function createTelegramChannel(chat: Chat, opts: TelegramChannelOptions): TelegramChannel {
  const log = opts.log ?? silentLogger;
  const bot = new Telegraf(opts.token, { telegram: { apiRoot: opts.apiRoot, webhookReply: false } });
  observeApi(bot, opts.monitor);
  const lifetime = new AbortController();
  const retry = { ...opts.retry, signal: lifetime.signal, onRetry: () => opts.monitor?.retried() };
  const call: Call = (what, fn) => withRetry(`telegram.${what}`, fn, classify, retry, log);
  const sendChunk = createSender(bot, call, log);
  let polling: Promise<void> | undefined;
  routeUpdates(bot, chat, call, log);

  return {
    name: "telegram",
    bot,
    webhookPath: opts.webhook ? new URL(opts.webhook.url).pathname : undefined,
    async send(chatId, reply) {
      const { texts, buttons } = telegramMessages(reply);
      for (const [i, html] of texts.entries()) await sendChunk(chatId, html, i === texts.length - 1 ? buttons : []);
    },
    async typing(chatId) {
      await bot.telegram.sendChatAction(chatId, "typing");
    },
    webhookHandlers: () => webhookHandlersFor(bot, opts.webhook?.secret ?? "", log),
    async start() {
      ({ polling } = await launch(bot, chat, call, opts, log));
    },
    running: () => polling ?? new Promise<void>((resolve) => lifetime.signal.addEventListener("abort", () => resolve(), { once: true })),
    async stop() {
      lifetime.abort();
      if (!polling) return;
      await stopPolling(bot, polling);
      polling = undefined;
    },
  };
}
