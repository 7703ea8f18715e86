// Every messaging channel whose token is configured, built from the Config.
import type { Chat } from "../chat/chat.js";
import type { ChannelAdapter } from "../chat/types.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { pollLeaseName, withPollingLease, type LeaseOptions } from "./lease.js";
import type { RetryOptions } from "./retry.js";
import { createTelegramChannel } from "./telegram.js";
import { createZaloChannel } from "./zalo.js";

export { createTelegramChannel, escapeHtml, telegramMessages, TELEGRAM_LIMIT, type TelegramChannel } from "./telegram.js";
export { createZaloChannel, zaloMessages, ZALO_LIMIT, type ZaloChannel } from "./zalo.js";
export { createZaloClient, ZaloApiError, type ZaloClient, type ZaloUpdate } from "./zalo-client.js";
export { withRetry, type RetryOptions } from "./retry.js";

/** A channel the server runs: an adapter plus its lifecycle and optional webhook route. */
export interface RunningChannel extends ChannelAdapter {
  readonly webhookPath?: string;
  webhookHandlers(): import("express").RequestHandler[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChannelOverrides {
  retry?: RetryOptions;
  zaloPollTimeoutSeconds?: number;
  /** With several replicas: poll each bot only while holding its lease in the shared store. */
  pollLease?: Omit<LeaseOptions, "log">;
}

/** Builds the enabled channels and registers them with the chat; logs how to enable the others. */
export function channelsFromConfig(chat: Chat, config: Config, log: Logger, overrides: ChannelOverrides = {}): RunningChannel[] {
  const retry = overrides.retry ?? { attempts: config.API_RETRY_ATTEMPTS, baseDelayMs: config.API_RETRY_BASE_MS };
  const channels: RunningChannel[] = [];

  if (config.TELEGRAM_BOT_TOKEN) {
    channels.push(
      createTelegramChannel(chat, {
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        webhook: config.TELEGRAM_WEBHOOK_URL
          ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! }
          : undefined,
        retry,
        log,
      }),
    );
  } else log.info("telegram channel disabled: set TELEGRAM_BOT_TOKEN to enable it");

  if (config.ZALO_BOT_TOKEN) {
    channels.push(
      createZaloChannel(chat, {
        token: config.ZALO_BOT_TOKEN,
        baseUrl: config.ZALO_API_BASE,
        webhook: config.ZALO_WEBHOOK_URL ? { url: config.ZALO_WEBHOOK_URL, secret: config.ZALO_WEBHOOK_SECRET! } : undefined,
        pollTimeoutSeconds: overrides.zaloPollTimeoutSeconds,
        retry,
        log,
      }),
    );
  } else log.info("zalo channel disabled: set ZALO_BOT_TOKEN to enable it");

  for (const ch of channels) chat.addChannel(ch);
  return channels.map((ch) => leased(ch, config, log, overrides.pollLease));
}

function leased(ch: RunningChannel, config: Config, log: Logger, lease: ChannelOverrides["pollLease"]): RunningChannel {
  const token = ch.name === "telegram" ? config.TELEGRAM_BOT_TOKEN : config.ZALO_BOT_TOKEN;
  if (!lease || ch.webhookPath || !token) return ch;
  return withPollingLease(ch, pollLeaseName(ch.name, token), { ...lease, log });
}
