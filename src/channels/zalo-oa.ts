// Zalo Official Account adapter (OA Open API v3): signed webhook events → chat layer, replies → consultation text
// messages of at most 2,000 characters, laid out like the Zalo Bot Platform's (plain text, numbered citations,
// "/them" for "Xem thêm"). Access tokens come from the token source (zalo-oa-tokens.ts), renewed on -216.
import express, { type RequestHandler } from "express";
import type { Chat } from "../chat/chat.js";
import type { ChannelAdapter } from "../chat/types.js";
import { silentLogger, type Logger } from "../log.js";
import { isNetworkError, withRetry, type RetryOptions, type RetryVerdict } from "./retry.js";
import type { ChannelMonitor } from "./supervise.js";
import { zaloMessages } from "./zalo.js";
import { OA_TOKEN_INVALID, oaEventSchema, oaSignatureValid, ZaloOaApiError, type OaEvent, type ZaloOaClient } from "./zalo-oa-client.js";
import { OaReauthorizationNeeded, type OaTokenSource } from "./zalo-oa-tokens.js";

export const ZALO_OA_CHANNEL = "zalo-oa";
export const ZALO_OA_WEBHOOK_PATH = "/zalo-oa/webhook";
const SIGNATURE_HEADER = "x-zevent-signature";

export interface ZaloOaChannelOptions {
  appId: string;
  /** The OA secret key (signs webhook events; not the app secret). */
  secretKey: string;
  client: ZaloOaClient;
  tokens: OaTokenSource;
  retry?: RetryOptions;
  log?: Logger;
  monitor?: ChannelMonitor;
  /** How often the token is checked for renewal ahead of expiry (default 10 min). */
  renewCheckMs?: number;
}

export interface ZaloOaChannel extends ChannelAdapter {
  readonly webhookPath: string;
  webhookHandlers(): RequestHandler[];
  start(): Promise<void>;
  /** Resolves when the channel cannot send any more (the refresh token was rejected): the supervisor then reports it. */
  running(): Promise<void>;
  stop(): Promise<void>;
}

function classify(err: unknown): RetryVerdict {
  if (err instanceof ZaloOaApiError) return { retry: err.httpStatus >= 500 || err.httpStatus === 429 };
  return { retry: isNetworkError(err) };
}

/** The user an event is from: `sender` for messages, `follower` for follow/unfollow. */
const userOf = (e: OaEvent) => e.sender?.id ?? e.follower?.id;

/** An event → the chat layer: text is a question or command, `follow` gets the greeting, other messages a hint to type. */
export function receiveOaEvent(chat: Chat, event: OaEvent, log: Logger): void {
  const userId = userOf(event);
  const name = event.event_name;
  // Only a follower's own messages are answered: group messages, echoes of our replies (oa_send_*), reads, unfollow… are not.
  const isMessage = name.startsWith("user_send_") && !name.startsWith("user_send_group");
  if (!userId || (!isMessage && name !== "follow")) {
    log.debug("zalo-oa event ignored", { event: name });
    return;
  }
  const text = name === "follow" ? "/start" : name === "user_send_text" ? (event.message?.text ?? "") : "";
  const updateId = event.message?.msg_id ?? `${name}:${userId}:${event.timestamp ?? ""}`;
  void chat.handleMessage({ channel: ZALO_OA_CHANNEL, updateId, userId, chatId: userId, text });
}

/** Raw body, signature check (401 and nothing answered otherwise), then 200 before any answering. */
function webhookHandlersFor(opts: ZaloOaChannelOptions, receive: (e: OaEvent) => void, log: Logger): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit: "1mb" });
  const verify: RequestHandler = (req, res, next) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (oaSignatureValid(body, req.get(SIGNATURE_HEADER), opts.secretKey)) return next();
    log.warn("zalo-oa webhook rejected: missing or wrong signature");
    res.status(401).json({ error: "invalid signature" });
  };
  const handle: RequestHandler = (req, res) => {
    const parsed = oaEventSchema.safeParse(JSON.parse((req.body as Buffer).toString("utf8")));
    if (parsed.success && parsed.data.app_id !== undefined && parsed.data.app_id !== opts.appId) {
      log.warn("zalo-oa webhook rejected: event of another app");
      res.status(401).json({ error: "unknown app" });
      return;
    }
    // 200 either way (Zalo expects it within about 2 s): an event we do not model should not be redelivered.
    res.status(200).json({ ok: true });
    if (parsed.success) receive(parsed.data);
    else log.debug("zalo-oa webhook: ignored event of an unknown shape");
  };
  return [raw, verify, handle];
}

export function createZaloOaChannel(chat: Chat, opts: ZaloOaChannelOptions): ZaloOaChannel {
  const log = opts.log ?? silentLogger;
  const lifetime = new AbortController();
  const retry = { ...opts.retry, signal: lifetime.signal, onRetry: () => opts.monitor?.retried() };
  let timer: NodeJS.Timeout | undefined;
  let broken: (() => void) | undefined;
  let stopped = new Promise<void>((resolve) => (broken = resolve));

  /** A token, or (when renewal was refused for good) the channel reports itself down. */
  const token = async (refused?: string) => {
    try {
      return await opts.tokens.accessToken(refused);
    } catch (err) {
      if (err instanceof OaReauthorizationNeeded) broken?.();
      throw err;
    }
  };
  const sendOnce = (accessToken: string, userId: string, text: string) =>
    withRetry("zalo-oa.message/cs", () => opts.client.sendText(accessToken, userId, text), classify, retry, log);

  /** One message; an access token Zalo refuses (-216) is renewed and the send retried once. */
  async function sendText(userId: string, text: string): Promise<void> {
    const accessToken = await token();
    try {
      await sendOnce(accessToken, userId, text);
    } catch (err) {
      if (!(err instanceof ZaloOaApiError && err.code === OA_TOKEN_INVALID)) throw err;
      log.warn("zalo-oa access token refused (-216), renewing it");
      await sendOnce(await token(accessToken), userId, text);
    }
  }

  const renewAhead = () => void token().catch((err: unknown) => log.warn("zalo-oa token renewal check failed", { err }));

  return {
    name: ZALO_OA_CHANNEL,
    webhookPath: ZALO_OA_WEBHOOK_PATH,
    async send(chatId, reply) {
      for (const text of zaloMessages(reply)) await sendText(chatId, text);
    },
    webhookHandlers: () => webhookHandlersFor(opts, (e) => receiveOaEvent(chat, e, log), log),
    async start() {
      // Ready means able to reply: a usable access token (renewed now if needed).
      await token();
      stopped = new Promise<void>((resolve) => (broken = resolve));
      clearInterval(timer);
      timer = setInterval(renewAhead, opts.renewCheckMs ?? 10 * 60_000);
      timer.unref();
      log.info("zalo-oa started (webhook)", { path: ZALO_OA_WEBHOOK_PATH });
    },
    running: () => stopped,
    async stop() {
      clearInterval(timer);
      lifetime.abort();
      broken?.();
    },
  };
}
