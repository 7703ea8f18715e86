// Corpus snapshots kept inside index versions: what `rollback` restores along with the answers.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { loadCorpus } from "../corpus/load.js";
import { currentVersion, embeddingsId, type IndexMeta } from "../index/store.js";
import type { Logger } from "../log.js";
import { copyCorpusFiles, errText, hasSnapshot, readRawManifest, snapshotDir, versionDir } from "./files.js";

/** Give the serving version a corpus snapshot when it has none (built at start-up), so it can be restored. */
export function snapshotCurrent(config: Config, log: Logger): void {
  const current = currentVersion(config.dataDir);
  if (!current || hasSnapshot(config.dataDir, current)) return;
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(versionDir(config.dataDir, current), "meta.json"), "utf8")) as IndexMeta;
    if (loadCorpus(config.corpusDir, embeddingsId(config)).hash !== meta.hash) return;
    const tmp = `${snapshotDir(config.dataDir, current)}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    copyCorpusFiles(config.corpusDir, tmp, readRawManifest(config.corpusDir));
    fs.renameSync(tmp, snapshotDir(config.dataDir, current));
  } catch (err) {
    log.warn("could not snapshot the serving corpus", { version: current, err: errText(err) });
  }
}
