// A watcher that switches this process to index versions switched by another process (the CLI).
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { currentVersion, loadVersion, type LoadedIndex } from "../index/store.js";
import { silentLogger, type Logger } from "../log.js";

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
