// The staff web console as a feature of corpus administration: mounts /quan-tri and gives /admin its reports.
import type { AuditLog } from "../admin/audit.js";
import type { CorpusAdmin } from "../admin/corpus-admin.js";
import type { AdminRouterOptions } from "../admin/http.js";
import { agenciesFor } from "../duties/load.js";
import type { Express } from "express";
import type { Chat } from "../chat/chat.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { Stores } from "../store/index.js";
import type { QuestionLog } from "./questions.js";
import { consoleMessages } from "./messages.js";
import { reportsOf } from "./reports.js";
import { OA_REAUTHORIZE_VI } from "../channels/zalo-oa-tokens.js";
import { createConsoleRouter } from "./router.js";

export { openQuestionLog, questionLogFile, type QuestionLog, type UnansweredGroup, type UsageStats } from "./questions.js";

/** A feature built on corpus administration: gets the admin and the audit log, may give /admin its reports. */
export type AdminFeature = (parts: {
  app: Express;
  chat: Chat;
  config: Config;
  log: Logger;
  questions: QuestionLog;
  admin: CorpusAdmin;
  audit: AuditLog;
  stores: Stores;
}) => { reports?: AdminRouterOptions["reports"]; close?: () => void } | void;

/** `publicDir`: where quan-tri.html is (the web page's static directory). */
export function consoleFeature(opts: { publicDir: string }): AdminFeature {
  return ({ app, chat, config, log, admin, audit, questions, stores }) => {
    // The agency table is read per request: staff may edit corpus/agencies.json while the server runs.
    const agencies = () => agenciesFor(config.corpusDir);
    const deps = {
      admin,
      audit,
      questions,
      feedback: chat.feedback,
      agencies,
      config,
      log,
      publicDir: opts.publicDir,
      sessions: stores.sessions,
      alerts: () => channelAlerts(config, stores),
    };
    app.use("/quan-tri", createConsoleRouter(deps));
    return { reports: reportsOf(deps) };
  };
}

/** The Zalo OA's refresh token was rejected: staff must have the app re-authorised (shared by replicas with PostgreSQL). */
async function channelAlerts(config: Config, stores: Stores): Promise<string[]> {
  const tokens = config.ZALO_OA_APP_ID ? await stores.oaTokens.get(config.ZALO_OA_APP_ID) : undefined;
  return tokens?.rejected ? [consoleMessages.zaloOaReauthorize(OA_REAUTHORIZE_VI)] : [];
}
