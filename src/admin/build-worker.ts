// Worker-thread entry: build one index version from a staging corpus (see buildInWorker in build.ts).
import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config.js";
import { buildVersion, embeddingsId } from "../index/store.js";
import { loadCorpus } from "../corpus/load.js";

const { config } = workerData as { config: Config };
try {
  const version = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)));
  parentPort!.postMessage({ version });
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
