// Building an index version for a change: in-process (CLI) or in a worker thread (servers keep answering).
import type { Config } from "../config.js";
import type { Corpus } from "../corpus/load.js";
import { loadCorpus } from "../corpus/load.js";
import { buildVersion, embeddingsId, setCurrentVersion } from "../index/store.js";
import type { Logger } from "../log.js";
import { moduleWorker } from "../process.js";
import { errText } from "./files.js";
import type { Progress } from "./progress.js";

/**
 * Version names are "<UTC second>-<corpus hash>": two builds of the same corpus ending in the same second
 * collide on the final rename. Rare (a build takes seconds); wait for the next second and build again.
 */
async function retryOnSameName(build: () => Promise<string>): Promise<string> {
  try {
    return await build();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST" && !/ENOTEMPTY|EEXIST/.test(errText(err))) throw err;
    await new Promise((r) => setTimeout(r, 1100));
    return build();
  }
}

/** Build in a worker thread so the calling process keeps answering questions at full speed. */
function buildInWorker(config: Config, corpusDir: string, signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  const ts = import.meta.url.endsWith(".ts");
  const worker = moduleWorker(new URL(`./build-worker.${ts ? "ts" : "js"}`, import.meta.url), { config: { ...config, corpusDir } });
  return new Promise((resolve, reject) => {
    worker.once("message", (m: { version?: string; error?: string }) => {
      void worker.terminate();
      if (m.version) resolve(m.version);
      else reject(new Error(m.error));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`index build worker exited with code ${code}`)));
    signal?.addEventListener(
      "abort",
      () => {
        reject(signal.reason);
        void worker.terminate();
      },
      { once: true },
    );
  });
}

/** Build the staged corpus into a new version; a worker that fails falls back to building in-process. */
export async function buildStaged(
  config: Config,
  corpus: Corpus,
  opts: { worker?: boolean; log: Logger; signal?: AbortSignal },
): Promise<string> {
  const inProcess = () => retryOnSameName(() => buildVersion(config, corpus, opts.log));
  if (!opts.worker) return inProcess();
  try {
    return await retryOnSameName(() => buildInWorker(config, corpus.dir, opts.signal));
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    opts.log.warn("index build in a worker failed, building in-process", { err: errText(err) });
    return inProcess();
  }
}

/** No version serves yet (fresh DATA_DIR): index the live corpus first so the change can be rolled back. */
export async function buildBaseline(config: Config, log: Logger, progress: Progress): Promise<void> {
  try {
    progress.phase("Dựng chỉ mục cho kho hiện tại (lần đầu)", 0);
    const version = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)), log);
    setCurrentVersion(config.dataDir, version);
  } catch (err) {
    // A live corpus that does not build (being repaired by this very change) has nothing to roll back to.
    log.warn("no baseline version for the current corpus", { err: errText(err) });
  }
}
