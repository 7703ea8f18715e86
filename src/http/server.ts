// Composition root shared by `npm start` and the end-to-end tests: assistant, chat layer, channels and
// the HTTP server, with an orderly close.
import crypto from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import type { Express } from "express";
import { agencySpans, createAssistant } from "../answer/index.js";
import { createQuestionRewriter } from "../answer/llm.js";
import { createChat, openConversations, type Chat } from "../chat/index.js";
import type { Assistant } from "../chat/types.js";
import { channelsFromConfig, superviseChannels, type ChannelOverrides, type RunningChannel } from "../channels/index.js";
import type { Config } from "../config.js";
import { questionLog, type QuestionLog } from "../console/questions.js";
import type { Logger } from "../log.js";
import { createMetrics, type IndexInfo, type Metrics } from "../metrics.js";
import { degradable, openStores, scheduleQuestionRetention, type OnSkip, type Stores } from "../store/index.js";
import { createHttpApp, finishHttpApp } from "./app.js";
import { mountOps } from "./ops.js";

/** A feature that registers chat commands or mounts routers; it may return its own cleanup for close(). */
export type AppExtension = (parts: {
  app: Express;
  chat: Chat;
  assistant: Assistant;
  config: Config;
  log: Logger;
  questions: QuestionLog;
  metrics: Metrics;
  stores: Stores;
}) => void | (() => void | Promise<void>) | Promise<void | (() => void | Promise<void>)>;

export interface StartOptions extends ChannelOverrides {
  /** Features that register chat commands or mount routers (run before the server listens). */
  extensions?: AppExtension[];
  /** Shared state already opened by the caller (closed with the app); default: opened from DATABASE_URL. */
  stores?: Stores;
}

export interface RunningApp {
  app: Express;
  server: http.Server;
  url: string;
  chat: Chat;
  assistant: Assistant;
  channels: RunningChannel[];
  metrics: Metrics;
  stores: Stores;
  /** Resolves once every channel has made its first start attempt (successful or not; retries go on). */
  channelsStarted: Promise<void>;
  close(): Promise<void>;
}

/** The serving index version, when the assistant exposes it (the answering core does). */
function indexInfoOf(assistant: Assistant): () => IndexInfo | undefined {
  const withIndex = assistant as Assistant & { index?: () => { meta: IndexInfo; health?: { list(): IndexInfo["damaged"] } } };
  return () => {
    const index = typeof withIndex.index === "function" ? withIndex.index() : undefined;
    return index && { ...index.meta, damaged: index.health?.list() ?? [] };
  };
}

async function listen(
  app: Express,
  config: Pick<Config, "PORT" | "HOST" | "PUBLIC_BASE_URL">,
  log: Logger,
): Promise<{ server: http.Server; url: string }> {
  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${port}`;
  log.info("http server listening", { host: config.HOST, port });
  const local = ["0.0.0.0", "::", "127.0.0.1", "localhost"].includes(config.HOST) ? "localhost" : config.HOST;
  log.info("web chat ready: open this address in a browser", { url: config.PUBLIC_BASE_URL ?? `http://${local}:${port}` });
  return { server, url };
}

/** This process among the replicas (lease holder). */
const replicaId = () => `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;
const guardsOf = ({ seen, rates, memory }: Stores) => ({ seen, rates, memory });

/** The conversation layer's stores: the question log, conversations (shared ones when the Stores have them). */
function openChatStores(config: Config, stores: Stores, log: Logger) {
  const questions = questionLog(stores.questions, log);
  const conversations = openConversations(config, {
    agencies: agencySpans(config.corpusDir, log),
    rewriter: config.ANSWER_MODE === "llm" ? createQuestionRewriter(config, log) : undefined,
    store: stores.conversations,
    log,
  });
  // The question log closes with the stores.
  const close = () => conversations.close();
  return { questions, conversations, close };
}

/** Skipped database calls: counted each time, warned about at most once per operation every WARN_EVERY_MS. */
const WARN_EVERY_MS = 30_000;
function skipReporter(metrics: Metrics, log: Logger): OnSkip {
  const last = new Map<string, { at: number; since: number }>();
  return (operation, err) => {
    metrics.databaseSkip(operation);
    const seen = last.get(operation) ?? { at: 0, since: 0 };
    seen.since++;
    last.set(operation, seen);
    if (Date.now() - seen.at < WARN_EVERY_MS) return;
    log.warn(`database unavailable: ${operation} skipped`, { operation, count: seen.since, err });
    last.set(operation, { at: Date.now(), since: 0 });
  };
}

export async function startApp(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningApp> {
  const opened = opts.stores ?? (await openStores(config));
  log.info("state store opened", { kind: opened.kind });
  const metrics = createMetrics();
  // Answering needs no database: with PostgreSQL down, questions are answered and what needs it is skipped.
  const stores = opened.kind === "postgres" ? degradable(opened, skipReporter(metrics, log)) : opened;
  const assistant = await createAssistant(config, log);
  const indexInfo = indexInfoOf(assistant);
  metrics.trackIndex(indexInfo);
  const local = openChatStores(config, stores, log);
  const { questions, conversations } = local;
  const chat = createChat({ assistant, config, log, feedback: stores.feedback, questions, conversations, metrics, ...guardsOf(stores) });
  const app = createHttpApp({ assistant, chat, config, log });
  const pollLease = stores.leases ? { leases: stores.leases, holder: replicaId() } : undefined;
  const channels = channelsFromConfig(chat, config, log, { pollLease, oaTokens: stores.oaTokens, ...opts }, metrics);
  for (const ch of channels) if (ch.webhookPath) app.post(ch.webhookPath, ...ch.webhookHandlers());
  const supervision = superviseChannels(channels, config, log);
  mountOps(app, { channels: supervision, metrics, indexInfo, config, log, database: stores });
  const cleanups: (() => void | Promise<void>)[] = [scheduleQuestionRetention(stores.questions, config.QUESTION_LOG_DAYS, log)];
  for (const extend of opts.extensions ?? []) {
    const cleanup = await extend({ app, chat, assistant, config, log, questions, metrics, stores });
    if (cleanup) cleanups.push(cleanup);
  }
  finishHttpApp(app, log);
  const { server, url } = await listen(app, config, log);
  // A channel whose API is down keeps retrying in the background; the web page works meanwhile.
  const channelsStarted = supervision.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await supervision.stop();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      await chat.drain();
      await serverClosed;
      clearTimeout(force);
      for (const cleanup of cleanups.reverse()) await cleanup();
      local.close();
      await stores.close();
    })());

  return { app, server, url, chat, assistant, channels, metrics, stores, channelsStarted, close };
}
