// Composition root shared by `npm start` and the end-to-end tests: assistant, chat layer, channels and
// the HTTP server, with an orderly close.
import crypto from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import type { Express, RequestHandler } from "express";
import { agencySpans, createAssistant, type Assistant as AnsweringCore } from "../answer/index.js";
import { createQuestionRewriter } from "../answer/llm.js";
import { createChat, openConversations, type Chat } from "../chat/index.js";
import type { Assistant } from "../chat/types.js";
import { channelsFromConfig, type ChannelOverrides, type RunningChannel } from "../channels/index.js";
import type { Config } from "../config.js";
import { openQuestionLog, questionLogFile, type QuestionLog } from "../console/questions.js";
import type { Logger } from "../log.js";
import { openStores, type Stores } from "../store/index.js";
import { createHttpApp, finishHttpApp } from "./app.js";

/** A feature that registers chat commands or mounts routers; it may return its own cleanup for close(). */
export interface AppExtension {
  (parts: { app: Express; chat: Chat; assistant: Assistant; config: Config; log: Logger; questions: QuestionLog; stores: Stores }):
    | void
    | (() => void | Promise<void>)
    | Promise<void | (() => void | Promise<void>)>;
}

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
  stores: Stores;
  close(): Promise<void>;
}

/** This process among the replicas (lease holder). */
const replicaId = () => `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;
const guardsOf = ({ seen, rates, memory }: Stores) => ({ seen, rates, memory });

export async function startApp(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningApp> {
  const stores = opts.stores ?? (await openStores(config));
  log.info("state store opened", { kind: stores.kind });
  const assistant = await createAssistant(config, log);
  const questions = openQuestionLog(questionLogFile(config.dataDir), log);
  const conversations = openConversations(config, {
    agencies: agencySpans(config.corpusDir, log),
    rewriter: config.ANSWER_MODE === "llm" ? createQuestionRewriter(config, log) : undefined,
    store: stores.conversations,
    log,
  });
  const chat = createChat({ assistant, config, log, feedback: stores.feedback, questions, conversations, ...guardsOf(stores) });
  const app = createHttpApp({ assistant, chat, config, log });
  app.get("/readyz", readiness(stores, assistant, log));
  const pollLease = stores.leases ? { leases: stores.leases, holder: replicaId() } : undefined;
  const channels = channelsFromConfig(chat, config, log, { pollLease, ...opts });
  for (const ch of channels) if (ch.webhookPath) app.post(ch.webhookPath, ...ch.webhookHandlers());
  const cleanups: (() => void | Promise<void>)[] = [];
  for (const extend of opts.extensions ?? []) {
    const cleanup = await extend({ app, chat, assistant, config, log, questions, stores });
    if (cleanup) cleanups.push(cleanup);
  }
  finishHttpApp(app, log);

  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${port}`;
  log.info("http server listening", { host: config.HOST, port });

  // A channel that cannot start (bad token, API down) is logged; the web page keeps working.
  const started: RunningChannel[] = [];
  for (const ch of channels) {
    try {
      await ch.start();
      started.push(ch);
    } catch (err) {
      log.error(`${ch.name} channel failed to start`, { err });
    }
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await Promise.allSettled(started.map((ch) => ch.stop()));
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      await chat.drain();
      await serverClosed;
      clearTimeout(force);
      for (const cleanup of cleanups.reverse()) await cleanup();
      questions.close();
      conversations.close();
      await stores.close();
    })());

  return { app, server, url, chat, assistant, channels, stores, close };
}

/** GET /readyz: 200 when the state store answers and an index version is loaded (its version), 503 otherwise. */
function readiness(stores: Stores, assistant: AnsweringCore, log: Logger): RequestHandler {
  return async (_req, res) => {
    const version = assistant.index().meta.version;
    try {
      await stores.ping();
      res.json({ ready: true, database: { kind: stores.kind, ok: true }, index: { version } });
    } catch (err) {
      log.warn("readiness check: state store unreachable", { err });
      res.status(503).json({ ready: false, database: { kind: stores.kind, ok: false }, index: { version } });
    }
  };
}
