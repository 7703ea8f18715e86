// Corpus administration wired into the running app: chat commands and uploads, the /admin router, and a
// watcher that switches this process to versions switched by another process (the CLI).
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { createCorpusAdmin, type CorpusAdmin } from "../corpus/admin.js";
import type { AppExtension } from "../http/server.js";
import { currentVersion, loadVersion, type LoadedIndex } from "../index/store.js";
import { silentLogger, type Logger } from "../log.js";
import { auditFile, openAuditLog, type AuditLog } from "./audit.js";
import { registerAdminChat } from "./chat.js";
import { createAdminRouter, type AdminRouterOptions } from "./http.js";

export { registerAdminChat, type AdminChatOptions } from "./chat.js";
export { createAdminRouter, type AdminRouterOptions } from "./http.js";
export { adminMessages } from "./messages.js";
export { auditedChanges, auditFile, openAuditLog, type Actor, type AuditEntry, type AuditLog } from "./audit.js";

/** The answering core's hot-swap (src/answer Assistant); the chat layer's Assistant type does not show it. */
export interface Swappable {
  index(): LoadedIndex;
  swap(index: LoadedIndex): void;
}

export const isSwappable = (a: unknown): a is Swappable =>
  typeof (a as Swappable | null)?.swap === "function" && typeof (a as Swappable | null)?.index === "function";

/**
 * Follow data/index/CURRENT: when another process (the CLI) switches versions, load the new one and swap it
 * in. Returns a stop function. Questions keep being answered from the loaded version meanwhile.
 */
export function watchCurrentVersion(config: Config, assistant: Swappable, log: Logger = silentLogger, intervalMs = 5000): () => void {
  let busy = false;
  let lastStamp = "";
  const check = async () => {
    if (busy) return;
    const stamp = String(fs.statSync(path.join(config.dataDir, "index", "CURRENT"), { throwIfNoEntry: false })?.mtimeMs ?? "");
    if (stamp === lastStamp) return;
    busy = true;
    try {
      const v = currentVersion(config.dataDir);
      if (v && v !== assistant.index().meta.version) {
        assistant.swap(await loadVersion(config, v));
        log.info("switched to index version set by another process", { version: v });
      }
      lastStamp = stamp;
    } catch (err) {
      log.warn("could not follow the current index version", { err: err instanceof Error ? err.message : String(err) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** What a feature built on corpus administration (the web console) gets, and what it may give back. */
export type AdminFeature = (
  parts: Parameters<AppExtension>[0] & { admin: CorpusAdmin; audit: AuditLog },
) => { reports?: AdminRouterOptions["reports"]; close?: () => void } | void;

export interface AdminExtensionOptions {
  /** Poll CURRENT this often to pick up CLI changes (0: off). */
  watchIntervalMs?: number;
  /** Features mounted with the admin (the web console), before the /admin router. */
  features?: AdminFeature[];
  /** Receives the admin instance (tests, other wiring). */
  onAdmin?: (admin: CorpusAdmin) => void;
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
    const admin = createCorpusAdmin(config, { log, worker: true, onSwitch: (index) => swappable?.swap(index) });
    const audit = openAuditLog(auditFile(config.dataDir));
    registerAdminChat(chat, admin, { maxBytes: config.UPLOAD_MAX_BYTES, log, audit });
    const added = (opts.features ?? []).map((feature) => feature({ ...parts, admin, audit }) ?? {});
    const reports = added.find((f) => f.reports)?.reports;
    app.use("/admin", createAdminRouter({ admin, audit, config, log, reports }));
    const stopWatch = swappable && opts.watchIntervalMs ? watchCurrentVersion(config, swappable, log, opts.watchIntervalMs) : undefined;
    opts.onAdmin?.(admin);
    return () => {
      stopWatch?.();
      for (const f of added) f.close?.();
      audit.close();
    };
  };
}
