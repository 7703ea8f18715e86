// Composition root, shared by `npm start`, the CLIs and the tests: recovery of an interrupted corpus change
// before anything reads the corpus, the assistant, corpus administration wired to the answering core that
// validates its changes, and the server with its features.
import { auditFile, openAuditLog } from "./admin/audit.js";
import { registerAdminChat } from "./admin/chat.js";
import { createCorpusAdmin, type AdminOptions, type CorpusAdmin } from "./admin/corpus-admin.js";
import { isSwappable, watchCurrentVersion } from "./admin/follow.js";
import { createAdminRouter } from "./admin/http.js";
import { recoverCorpus } from "./admin/journal.js";
import type { AnswerChecks } from "./admin/validate.js";
import { answerQuestion, createAssistant, type Assistant } from "./answer/index.js";
import type { Config } from "./config.js";
import { consoleFeature, type AdminFeature } from "./console/index.js";
import { PUBLIC_DIR } from "./http/app.js";
import { createDutiesFeature } from "./http/duties.js";
import { startApp, type AppExtension, type RunningApp, type StartOptions } from "./http/server.js";
import { silentLogger, type Logger } from "./log.js";
import { retrieve } from "./retrieve/hybrid.js";

/** The answering core as corpus validation sees it. */
export const answerChecks: AnswerChecks = {
  answer: (index, question) => answerQuestion(index, question),
  rankDocuments: async (index, text) => (await retrieve(index, text)).ranked.map((r) => r.section.doc),
};

/** Finish or undo a corpus change a killed process left half-committed, then open the serving version. */
export async function openAssistant(config: Config, log: Logger = silentLogger): Promise<Assistant> {
  recoverCorpus(config, log);
  return createAssistant(config, log);
}

export function corpusAdmin(config: Config, opts: Omit<AdminOptions, "checks"> = {}): CorpusAdmin {
  return createCorpusAdmin(config, { checks: answerChecks, ...opts });
}

export interface AdminExtensionOptions {
  /** Poll CURRENT this often to pick up CLI changes (0: off). */
  watchIntervalMs?: number;
  /** Receives the admin instance (tests, other wiring). */
  onAdmin?: (admin: CorpusAdmin) => void;
  /** Features mounted with the admin (the web console), before the /admin router. */
  features?: AdminFeature[];
}

/**
 * For `startApp(config, log, { extensions: [adminExtension()] })`: builds indexes in a worker thread and
 * swaps the assistant to each new version, registers the chat commands/uploads and mounts /admin.
 */
export function adminExtension(opts: AdminExtensionOptions = {}): AppExtension {
  return (parts) => {
    const { app, chat, assistant, config, log } = parts;
    const swappable = isSwappable(assistant) ? assistant : undefined;
    if (!swappable) log.warn("assistant cannot hot-swap indexes; corpus changes apply after a restart");
    const admin = corpusAdmin(config, { log, worker: true, onSwitch: (index) => swappable?.swap(index) });
    const audit = openAuditLog(auditFile(config.dataDir));
    registerAdminChat(chat, admin, { maxBytes: config.UPLOAD_MAX_BYTES, log, audit });
    const added = (opts.features ?? []).map((feature) => feature({ ...parts, admin, audit }) ?? {});
    const reports = added.find((f) => f.reports)?.reports;
    app.use("/admin", createAdminRouter({ admin, audit, config, log, reports }));
    const stopWatching = swappable && opts.watchIntervalMs ? watchCurrentVersion(config, swappable, log, opts.watchIntervalMs) : undefined;
    opts.onAdmin?.(admin);
    return () => {
      stopWatching?.();
      for (const f of added) f.close?.();
      audit.close();
    };
  };
}

/** `npm start`: recovery, then the web chat, channels, duties pages and corpus administration. */
export async function startServer(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningApp> {
  recoverCorpus(config, log);
  // Corpus administration follows versions switched by the CLI (`npm run corpus`) within 5 s.
  const extensions = [
    createDutiesFeature().extension,
    adminExtension({ watchIntervalMs: 5000, features: [consoleFeature({ publicDir: PUBLIC_DIR })] }),
    ...(opts.extensions ?? []),
  ];
  return startApp(config, log, { ...opts, extensions });
}
