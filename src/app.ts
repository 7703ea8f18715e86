// Composition root, shared by `npm start`, the CLIs and the tests: recovery of an interrupted corpus change
// before anything reads the corpus, the assistant, corpus administration wired to the answering core that
// validates its changes, and the server with its features.
import { registerAdminChat } from "./admin/chat.js";
import { createCorpusAdmin, type AdminOptions, type CorpusAdmin } from "./admin/corpus-admin.js";
import { isSwappable, watchCurrentVersion, type Swappable } from "./admin/follow.js";
import { createAdminRouter } from "./admin/http.js";
import { recoverCorpus } from "./admin/journal.js";
import { auditFile, openAuditLog, type AuditLog } from "./admin/audit.js";
import { clusterChange, followSharedVersions, joinSharedVersions, publishVersion, syncToShared } from "./admin/shared-versions.js";
import type { AnswerChecks } from "./admin/validate.js";
import { answerQuestion, createAssistant, type Assistant } from "./answer/index.js";
import type { Config } from "./config.js";
import { consoleFeature, type AdminFeature } from "./console/index.js";
import { PUBLIC_DIR } from "./http/app.js";
import { createDutiesFeature } from "./http/duties.js";
import { startApp, type AppExtension, type RunningApp, type StartOptions } from "./http/server.js";
import { silentLogger, type Logger } from "./log.js";
import type { LoadedIndex } from "./index/store.js";
import { retrieve } from "./retrieve/hybrid.js";
import { openStores, type CorpusVersionStore } from "./store/index.js";

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

/**
 * The CLI's corpus administration and audit log: local files alone, or with DATABASE_URL through the shared
 * store like a replica (the cluster-wide change lock, starting from the shared current version, publishing the
 * version it makes), so running replicas switch to it.
 */
export async function openCliAdmin(
  config: Config,
  opts: Omit<AdminOptions, "checks"> = {},
): Promise<{ admin: CorpusAdmin; audit: AuditLog; close(): Promise<void> }> {
  if (!config.DATABASE_URL) {
    const audit = openAuditLog(auditFile(config.dataDir));
    return { admin: corpusAdmin(config, opts), audit, close: async () => void (await audit.close()) };
  }
  const log = opts.log ?? silentLogger;
  const stores = await openStores(config);
  const versions = stores.versions!;
  try {
    await joinSharedVersions(config, versions, log);
  } catch (err) {
    await stores.close();
    throw err;
  }
  const onSwitch = async (index: LoadedIndex) => {
    await publishVersion(config, versions, index);
    log.info("index version published", { version: index.meta.version });
  };
  const cluster = clusterChange(versions, () => syncToShared(config, versions), log);
  const admin = corpusAdmin(config, { ...opts, onSwitch, cluster, originals: stores.originals });
  return { admin, audit: stores.audit, close: () => stores.close() };
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
    const { app, chat, assistant, config, log, stores } = parts;
    const swappable = isSwappable(assistant) ? assistant : undefined;
    if (!swappable) log.warn("assistant cannot hot-swap indexes; corpus changes apply after a restart");
    const shared = swappable && stores.versions ? shareVersions(config, stores.versions, swappable, log) : undefined;
    const onSwitch = async (index: LoadedIndex) => {
      swappable?.swap(index);
      await shared?.publish(index);
    };
    const cluster = shared && stores.versions ? clusterChange(stores.versions, shared.follower.sync, log) : undefined;
    const admin = corpusAdmin(config, { log, worker: true, onSwitch, cluster, originals: stores.originals });
    const audit = stores.audit;
    registerAdminChat(chat, admin, { maxBytes: config.UPLOAD_MAX_BYTES, log, audit });
    const added = (opts.features ?? []).map((feature) => feature({ ...parts, admin, audit }) ?? {});
    const reports = added.find((f) => f.reports)?.reports;
    app.use("/admin", createAdminRouter({ admin, audit, config, log, reports }));
    const stopWatching = swappable && opts.watchIntervalMs ? watchCurrentVersion(config, swappable, log, opts.watchIntervalMs) : undefined;
    opts.onAdmin?.(admin);
    return async () => {
      stopWatching?.();
      await shared?.follower.stop();
      for (const f of added) f.close?.();
    };
  };
}

/** With replicas: follow the shared version, and publish each version this replica switches to. */
function shareVersions(config: Config, store: CorpusVersionStore, swappable: Swappable, log: Logger) {
  const follower = followSharedVersions(config, store, swappable, log, { initial: swappable.index().meta.version });
  const publish = async (index: LoadedIndex) => {
    try {
      follower.published(index.meta.version);
      await publishVersion(config, store, index);
      log.info("index version published", { version: index.meta.version });
    } catch (err) {
      // The other replicas keep the shared version; so does this one, at the follower's next check.
      follower.published("");
      log.error("publishing the index version failed; returning to the shared version", { err });
    }
  };
  return { follower, publish };
}

/** `npm start`: recovery, then the web chat, channels, duties pages and corpus administration. */
export async function startServer(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningApp> {
  recoverCorpus(config, log);
  // A replica started while PostgreSQL is down (or still starting) waits for it rather than exiting.
  const onRetry = (attempt: number, delayMs: number, err: unknown) =>
    log.warn("database unavailable at start; retrying", { attempt, delayMs, err });
  const stores = opts.stores ?? (await openStores(config, { onRetry }));
  // With replicas, serve the shared version (or build and share the first one) before loading the assistant.
  if (stores.versions) await joinSharedVersions(config, stores.versions, log);
  // Corpus administration follows versions switched by the CLI (`npm run corpus`) within 5 s.
  const extensions = [
    createDutiesFeature().extension,
    adminExtension({ watchIntervalMs: 5000, features: [consoleFeature({ publicDir: PUBLIC_DIR })] }),
    ...(opts.extensions ?? []),
  ];
  return startApp(config, log, { ...opts, stores, extensions });
}
