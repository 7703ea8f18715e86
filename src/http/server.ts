// Composition root shared by `npm start` and the end-to-end tests: assistant, chat layer, channels and
// the HTTP server, with an orderly close.
import type http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Express } from "express";
import { agencySpans, createAssistant } from "../answer/index.js";
import { createQuestionRewriter } from "../answer/llm.js";
import { createChat, openConversations, openFeedbackStore, type Chat } from "../chat/index.js";
import type { Assistant } from "../chat/types.js";
import { channelsFromConfig, type ChannelOverrides, type RunningChannel } from "../channels/index.js";
import type { Config } from "../config.js";
import { openQuestionLog, questionLogFile, type QuestionLog } from "../console/questions.js";
import type { Logger } from "../log.js";
import { createHttpApp, finishHttpApp } from "./app.js";

/** A feature that registers chat commands or mounts routers; it may return its own cleanup for close(). */
export interface AppExtension {
  (parts: { app: Express; chat: Chat; assistant: Assistant; config: Config; log: Logger; questions: QuestionLog }):
    | void
    | (() => void | Promise<void>)
    | Promise<void | (() => void | Promise<void>)>;
}

export interface StartOptions extends ChannelOverrides {
  /** Features that register chat commands or mount routers (run before the server listens). */
  extensions?: AppExtension[];
}

export interface RunningApp {
  app: Express;
  server: http.Server;
  url: string;
  chat: Chat;
  assistant: Assistant;
  channels: RunningChannel[];
  close(): Promise<void>;
}

export async function startApp(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningApp> {
  const assistant = await createAssistant(config, log);
  const feedback = openFeedbackStore(path.join(config.dataDir, "feedback.sqlite"));
  const questions = openQuestionLog(questionLogFile(config.dataDir), log);
  const conversations = openConversations(config, {
    agencies: agencySpans(config.corpusDir, log),
    rewriter: config.ANSWER_MODE === "llm" ? createQuestionRewriter(config, log) : undefined,
    log,
  });
  const chat = createChat({ assistant, config, log, feedback, questions, conversations });
  const app = createHttpApp({ assistant, chat, config, log });
  const channels = channelsFromConfig(chat, config, log, opts);
  for (const ch of channels) if (ch.webhookPath) app.post(ch.webhookPath, ...ch.webhookHandlers());
  const cleanups: (() => void | Promise<void>)[] = [];
  for (const extend of opts.extensions ?? []) {
    const cleanup = await extend({ app, chat, assistant, config, log, questions });
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
      feedback.close();
      questions.close();
      conversations.close();
    })());

  return { app, server, url, chat, assistant, channels, close };
}
