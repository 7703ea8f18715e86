// Every messaging channel whose token is configured, built from the Config.
import type { Chat } from "../chat/chat.js";
import type { ChannelAdapter } from "../chat/types.js";
import { secretsOf, type Config } from "../config.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { pollLeaseName, withPollingLease, type LeaseOptions } from "./lease.js";
import type { RetryOptions } from "./retry.js";
import { ChannelMonitor, superviseChannel } from "./supervise.js";
import { createTelegramChannel } from "./telegram.js";
import { createZaloChannel } from "./zalo.js";
import { createZaloOaChannel } from "./zalo-oa.js";
import { createZaloOaClient } from "./zalo-oa-client.js";
import { createOaTokenSource } from "./zalo-oa-tokens.js";
import type { OaTokenStore } from "../store/types.js";

export { createTelegramChannel, escapeHtml, telegramMessages, TELEGRAM_LIMIT, type TelegramChannel } from "./telegram.js";
export { createZaloChannel, zaloMessages, ZALO_LIMIT, type ZaloChannel } from "./zalo.js";
export { createZaloClient, ZaloApiError, type ZaloClient, type ZaloUpdate } from "./zalo-client.js";
export { createZaloOaChannel, ZALO_OA_CHANNEL, ZALO_OA_WEBHOOK_PATH, type ZaloOaChannel } from "./zalo-oa.js";
export { OA_REAUTHORIZE_VI, OaReauthorizationNeeded } from "./zalo-oa-tokens.js";
export { withRetry, type RetryOptions } from "./retry.js";
export { ChannelMonitor, superviseChannel, type ChannelHealth, type ChannelState } from "./supervise.js";

/** A channel the server runs: an adapter plus its lifecycle and optional webhook route. */
export interface RunningChannel extends ChannelAdapter {
  readonly webhookPath?: string;
  webhookHandlers(): import("express").RequestHandler[];
  start(): Promise<void>;
  /** Resolves when the started channel stops receiving updates (the supervisor then restarts it). */
  running(): Promise<void>;
  stop(): Promise<void>;
  /** API outcomes and start-up state, for /readyz. */
  readonly monitor: ChannelMonitor;
}

export interface ChannelOverrides {
  retry?: RetryOptions;
  zaloPollTimeoutSeconds?: number;
  /** With several replicas: poll each bot only while holding its lease in the shared store. */
  pollLease?: Omit<LeaseOptions, "log">;
  /** Where the Zalo OA's rotated tokens are kept (required for the OA channel). */
  oaTokens?: OaTokenStore;
  /** This replica's id (Zalo OA token renewal lease). */
  holder?: string;
}

/** Builds the enabled channels and registers them with the chat; logs how to enable the others. */
export function channelsFromConfig(
  chat: Chat,
  config: Config,
  log: Logger,
  overrides: ChannelOverrides = {},
  metrics?: Pick<Metrics, "apiError" | "apiRetry">,
): RunningChannel[] {
  const retry = overrides.retry ?? { attempts: config.API_RETRY_ATTEMPTS, baseDelayMs: config.API_RETRY_BASE_MS };
  const secrets = secretsOf(config);
  const channels: RunningChannel[] = [];

  if (config.TELEGRAM_BOT_TOKEN) {
    const monitor = new ChannelMonitor("telegram", metrics, secrets);
    channels.push(
      withMonitor(
        monitor,
        createTelegramChannel(chat, {
          monitor,
          token: config.TELEGRAM_BOT_TOKEN,
          apiRoot: config.TELEGRAM_API_ROOT,
          webhook: config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! } : undefined,
          retry,
          log,
        }),
      ),
    );
  } else log.info("telegram channel disabled: set TELEGRAM_BOT_TOKEN to enable it");

  if (config.ZALO_BOT_TOKEN) {
    const monitor = new ChannelMonitor("zalo", metrics, secrets);
    channels.push(
      withMonitor(
        monitor,
        createZaloChannel(chat, {
          monitor,
          token: config.ZALO_BOT_TOKEN,
          baseUrl: config.ZALO_API_BASE,
          webhook: config.ZALO_WEBHOOK_URL ? { url: config.ZALO_WEBHOOK_URL, secret: config.ZALO_WEBHOOK_SECRET! } : undefined,
          pollTimeoutSeconds: overrides.zaloPollTimeoutSeconds,
          retry,
          log,
        }),
      ),
    );
  } else log.info("zalo channel disabled: set ZALO_BOT_TOKEN to enable it");

  const oa = zaloOaFromConfig(chat, config, log, { ...overrides, retry }, secrets, metrics);
  if (oa) channels.push(oa);

  for (const ch of channels) chat.addChannel(ch);
  return channels.map((ch) => leased(ch, config, log, overrides.pollLease));
}

/** The Zalo OA channel when ZALO_OA_APP_ID is set (its tokens renewed under the replicas' shared lease). */
function zaloOaFromConfig(
  chat: Chat,
  config: Config,
  log: Logger,
  overrides: ChannelOverrides & { retry: RetryOptions },
  secrets: string[],
  metrics?: Pick<Metrics, "apiError" | "apiRetry">,
): RunningChannel | undefined {
  const appId = config.ZALO_OA_APP_ID;
  if (!appId || !overrides.oaTokens) {
    log.info("zalo-oa channel disabled: set ZALO_OA_APP_ID, ZALO_OA_APP_SECRET, ZALO_OA_SECRET_KEY and ZALO_OA_REFRESH_TOKEN to enable it");
    return undefined;
  }
  const monitor = new ChannelMonitor("zalo-oa", metrics, secrets);
  const client = createZaloOaClient({
    appId,
    appSecret: config.ZALO_OA_APP_SECRET!,
    apiBase: config.ZALO_OA_API_BASE,
    oauthBase: config.ZALO_OA_OAUTH_BASE,
    // Well inside the renewal lease (30 s): a renewal never outlives the lease another replica would then take.
    timeoutMs: 15_000,
    observer: monitor,
  });
  const tokens = createOaTokenSource({
    appId,
    envRefreshToken: config.ZALO_OA_REFRESH_TOKEN,
    store: overrides.oaTokens,
    leases: overrides.pollLease?.leases,
    holder: overrides.pollLease?.holder ?? overrides.holder ?? `pid-${process.pid}`,
    client,
    log,
  });
  const channel = createZaloOaChannel(chat, {
    appId,
    secretKey: config.ZALO_OA_SECRET_KEY!,
    client,
    tokens,
    retry: overrides.retry,
    log,
    monitor,
  });
  return withMonitor(monitor, channel);
}

function leased(ch: RunningChannel, config: Config, log: Logger, lease: ChannelOverrides["pollLease"]): RunningChannel {
  const token = ch.name === "telegram" ? config.TELEGRAM_BOT_TOKEN : config.ZALO_BOT_TOKEN;
  if (!lease || ch.webhookPath || !token) return ch;
  return withPollingLease(ch, pollLeaseName(ch.name, token), { ...lease, log });
}

const withMonitor = <T extends Omit<RunningChannel, "monitor">>(monitor: ChannelMonitor, channel: T): T & { monitor: ChannelMonitor } =>
  Object.assign(channel, { monitor });

export interface ChannelSupervision {
  /** Each channel's state, last error and last successful call. */
  health(): Record<string, ReturnType<ChannelMonitor["snapshot"]>>;
  /** Starts every channel on its own (none waits for another); resolves once each has tried once. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Keeps each channel up, retrying with capped backoff, from start() until stop(). */
export function superviseChannels(
  channels: RunningChannel[],
  config: Pick<Config, "API_RETRY_BASE_MS" | "CHANNEL_RETRY_MAX_MS">,
  log: Logger,
): ChannelSupervision {
  let running: Array<ReturnType<typeof superviseChannel>> = [];
  const options = (ch: RunningChannel) => ({
    log,
    monitor: ch.monitor,
    baseDelayMs: config.API_RETRY_BASE_MS,
    maxDelayMs: config.CHANNEL_RETRY_MAX_MS,
  });
  return {
    health: () => Object.fromEntries(channels.map((ch) => [ch.name, ch.monitor.snapshot()])),
    async start() {
      running = channels.map((ch) => superviseChannel(ch, options(ch)));
      await Promise.all(running.map((r) => r.firstAttempt));
    },
    stop: async () => void (await Promise.allSettled(running.map((r) => r.stop()))),
  };
}
