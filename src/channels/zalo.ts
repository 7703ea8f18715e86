// Zalo Bot Platform adapter: updates (long polling or webhook) → chat layer, replies → plain text
// messages of at most 2000 characters with numbered citations (the platform has no markup or buttons).
import express, { type RequestHandler } from "express";
import type { Chat } from "../chat/chat.js";
import { plainBlocks, renderMessages } from "../chat/format.js";
import type { ChannelAdapter, Reply } from "../chat/types.js";
import { silentLogger, type Logger } from "../log.js";
import { isNetworkError, sleep, withRetry, type RetryOptions, type RetryVerdict } from "./retry.js";
import { secretMatches } from "./secret.js";
import type { ChannelMonitor } from "./supervise.js";
import { createZaloClient, ZaloApiError, zaloUpdateSchema, type ZaloClient, type ZaloUpdate } from "./zalo-client.js";

export const ZALO_LIMIT = 2000;
const SECRET_HEADER = "x-bot-api-secret-token";

export interface ZaloChannelOptions {
  token: string;
  baseUrl: string;
  /** Webhook mode: Zalo posts updates to `url` with `secret` in a header. */
  webhook?: { url: string; secret: string };
  /** Long-poll wait per getUpdates call (default 30 s). */
  pollTimeoutSeconds?: number;
  retry?: RetryOptions;
  log?: Logger;
  fetch?: typeof fetch;
  /** Receives API call outcomes (readiness, metrics). */
  monitor?: ChannelMonitor;
}

export interface ZaloChannel extends ChannelAdapter {
  readonly client: ZaloClient;
  readonly webhookPath?: string;
  webhookHandlers(): RequestHandler[];
  start(): Promise<void>;
  /** Resolves when polling ends (it only ends when stopped). */
  running(): Promise<void>;
  stop(): Promise<void>;
}

/** A reply as plain-text messages; button hints (e.g. example questions) become text lines. */
export function zaloMessages(reply: Reply): string[] {
  return renderMessages(plainBlocks(reply, { sourceHint: true }), ZALO_LIMIT, (text) => text);
}

function classify(err: unknown): RetryVerdict {
  if (err instanceof ZaloApiError) {
    if (err.code === 429) return { retry: true, retryAfterMs: err.retryAfter !== undefined ? err.retryAfter * 1000 : undefined };
    return { retry: err.code >= 500 };
  }
  return { retry: isNetworkError(err) };
}

/** A Zalo update → the chat layer; in groups only commands and messages naming the bot. */
function receiveUpdate(chat: Chat, update: ZaloUpdate, botName: string): void {
  const m = update.message;
  if (m.from?.is_bot) return;
  const isGroup = !!m.chat.chat_type && m.chat.chat_type.toUpperCase() !== "PRIVATE";
  const raw = update.event_name === "message.text.received" ? (m.text ?? "") : "";
  const mention = botName ? `@${botName}` : "";
  if (isGroup && !raw.startsWith("/") && !(mention && raw.includes(mention))) return;
  void chat.handleMessage({
    channel: "zalo",
    updateId: `${update.event_name}:${m.message_id}`,
    userId: m.from?.id ?? m.chat.id,
    chatId: m.chat.id,
    text: mention ? raw.split(mention).join("").trim() : raw,
    userName: m.from?.display_name ?? m.from?.first_name ?? m.from?.name,
    isGroup,
  });
}

/** Long polling until aborted; failures back off (capped) and never end the loop. */
async function pollLoop(
  client: ZaloClient,
  opts: ZaloChannelOptions,
  receive: (u: ZaloUpdate) => void,
  signal: AbortSignal,
): Promise<void> {
  const log = opts.log ?? silentLogger;
  const base = opts.retry?.baseDelayMs ?? 1000;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const update = await client.getUpdates(opts.pollTimeoutSeconds ?? 30, signal);
      failures = 0;
      if (update) receive(update);
    } catch (err) {
      if (signal.aborted) break;
      failures++;
      const retryAfter = err instanceof ZaloApiError && err.retryAfter ? err.retryAfter * 1000 : 0;
      const delay = Math.max(retryAfter, Math.min(30_000, base * 2 ** Math.min(failures - 1, 10)));
      log.warn("zalo polling failed", { err, delayMs: delay });
      opts.monitor?.retried();
      await sleep(delay, signal);
    }
  }
}

/** Express handlers for the webhook route: secret check, JSON body, 200 at once. */
function webhookHandlersFor(secret: string, receive: (u: ZaloUpdate) => void, log: Logger): RequestHandler[] {
  const checkSecret: RequestHandler = (req, res, next) => {
    if (secretMatches(secret, req.get(SECRET_HEADER))) return next();
    log.warn("zalo webhook rejected: missing or wrong secret token");
    res.status(401).json({ ok: false });
  };
  const handle: RequestHandler = (req, res) => {
    // Both shapes are delivered: a bare update, or one wrapped as {"ok":true,"result":{…}}.
    const body = req.body as { ok?: unknown; result?: unknown } | undefined;
    const parsed = zaloUpdateSchema.safeParse(body?.ok === true && body.result ? body.result : body);
    // 200 either way: an event we do not model should not be re-delivered.
    res.status(200).json({ ok: true });
    if (parsed.success) receive(parsed.data);
    else log.debug("zalo webhook: ignored event without a message");
  };
  return [checkSecret, express.json({ limit: "1mb" }), handle];
}

export function createZaloChannel(chat: Chat, opts: ZaloChannelOptions): ZaloChannel {
  const log = opts.log ?? silentLogger;
  const client = createZaloClient({ token: opts.token, baseUrl: opts.baseUrl, fetch: opts.fetch, observer: opts.monitor });
  const lifetime = new AbortController();
  const retry = { ...opts.retry, signal: lifetime.signal, onRetry: () => opts.monitor?.retried() };
  const call = <T>(what: string, fn: () => Promise<T>) => withRetry(`zalo.${what}`, fn, classify, retry, log);
  let botName = "";
  let loop: Promise<void> | undefined;
  const receive = (update: ZaloUpdate) => receiveUpdate(chat, update, botName);

  async function start(): Promise<void> {
    const me = await call("getMe", () => client.getMe());
    botName = me.account_name ?? me.display_name ?? "";
    if (opts.webhook) {
      const { url, secret } = opts.webhook;
      if (secret.length < 8 || secret.length > 256) throw new Error("ZALO_WEBHOOK_SECRET must be 8-256 characters");
      await call("setWebhook", () => client.setWebhook(url, secret));
      log.info("zalo started (webhook)", { bot: botName, path: new URL(url).pathname });
      return;
    }
    // getUpdates does not work while a webhook is set.
    await call("deleteWebhook", () => client.deleteWebhook()).catch((err: unknown) => log.warn("zalo deleteWebhook failed", { err }));
    loop = pollLoop(client, opts, receive, lifetime.signal);
    log.info("zalo started (long polling)", { bot: botName });
  }

  return {
    name: "zalo",
    client,
    webhookPath: opts.webhook ? new URL(opts.webhook.url).pathname : undefined,
    async send(chatId, reply) {
      for (const text of zaloMessages(reply)) await call("sendMessage", () => client.sendMessage(chatId, text));
    },
    async typing(chatId) {
      await client.sendChatAction(chatId, "typing");
    },
    webhookHandlers: () => webhookHandlersFor(opts.webhook?.secret ?? "", receive, log),
    start,
    running: () => loop ?? new Promise<void>((resolve) => lifetime.signal.addEventListener("abort", () => resolve(), { once: true })),
    async stop() {
      lifetime.abort();
      await loop;
      loop = undefined;
    },
  };
}
