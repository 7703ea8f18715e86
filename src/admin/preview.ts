// A change staged for preview (the web console): applied to a copy of the corpus and built into a private
// index version that nothing serves, so staff can read and question it before committing or discarding it.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { CorpusError, noSpaceRefusal } from "../corpus/ingest/errors.js";
import { segmentsDir } from "../index/segment.js";
import { currentVersion, loadVersion, setCurrentVersion, type LoadedIndex } from "../index/store.js";
import { silentLogger } from "../log.js";
import { collectWhenUnreachable } from "../process.js";
import { buildChecked, parseStaged, type ChangeOptions, type Stage } from "./change.js";
import { type DocDiff, diffVersions, docsOfIndex, servingDocs } from "./diff.js";
import { errText, versionDir } from "./files.js";
import { acquireLock } from "./lock.js";
import { openStage, sealStage } from "./stage.js";
import { readSmokeQuestions, validateIndex } from "./validate.js";

/**
 * The private version reads and writes segments in the serving store (a link): segments are content-addressed
 * and written by rename, so unchanged documents are not built again (a preview of one upload to a corpus of
 * thousands builds one segment), and the commit that follows reuses the new one. Unreferenced segments are
 * pruned only after an hour (pruneVersions), longer than a preview lives.
 */
function shareSegmentStore(dataDir: string, privateDataDir: string): void {
  const store = segmentsDir(dataDir);
  fs.mkdirSync(store, { recursive: true });
  fs.mkdirSync(path.dirname(segmentsDir(privateDataDir)), { recursive: true });
  fs.symlinkSync(store, segmentsDir(privateDataDir), "dir");
  // The serving version too, as the private store's current one: its postings are merged with the changed
  // documents' instead of merging every segment again.
  const serving = currentVersion(dataDir);
  if (!serving) return;
  fs.mkdirSync(path.dirname(versionDir(privateDataDir, serving)), { recursive: true });
  fs.symlinkSync(versionDir(dataDir, serving), versionDir(privateDataDir, serving), "dir");
  setCurrentVersion(privateDataDir, serving);
}

export interface StagedChange {
  action: string;
  /** The staged index (documents, sections, search) as users would get it after the commit. */
  index: LoadedIndex;
  /** What the change would do to each document, compared with the live corpus. */
  diff: DocDiff[];
  /** Validation problems (the checks of a commit): committing this change as it is would be refused. */
  problems: string[];
  discard(): void;
}

/**
 * Stage a change for preview: apply it to a copy of the corpus and build an index version in a private
 * directory (inside the staging directory under DATA_DIR/corpus-work), without commit or switch. The lock is
 * held only while the live corpus is copied, so an open preview blocks no other change; committing re-runs the
 * change through `runChange`, which validates it again against the corpus as it is then.
 */
export async function stageChange(
  config: Config,
  action: string,
  apply: (stage: Stage) => void | Promise<void>,
  opts: Pick<ChangeOptions, "checks" | "log" | "worker">,
): Promise<StagedChange> {
  const log = opts.log ?? silentLogger;
  const release = acquireLock(config.dataDir, `preview ${action}`);
  let staging: ReturnType<typeof openStage>;
  try {
    staging = openStage(config.corpusDir, config.dataDir);
  } catch (err) {
    throw noSpaceRefusal(err);
  } finally {
    release();
  }
  const discard = () => fs.rmSync(staging.root, { recursive: true, force: true });
  try {
    await apply(staging.stage);
    sealStage(staging);
    const privateConfig = { ...config, dataDir: path.join(staging.root, "data") };
    shareSegmentStore(config.dataDir, privateConfig.dataDir);
    const version = await buildChecked(privateConfig, parseStaged(config, staging.stage), { worker: opts.worker, log });
    const index = await loadVersion(privateConfig, version);
    const problems: string[] = [];
    await validateIndex(index, staging.stage.touched, opts.checks, readSmokeQuestions(config.corpusDir)).catch((err: unknown) =>
      problems.push(err instanceof CorpusError ? err.vi : errText(err)),
    );
    log.info("corpus change staged for preview", { action, version });
    const release = () => {
      discard();
      void collectWhenUnreachable(index); // the staged version's arrays, once the console lets go of it
    };
    return {
      action,
      index,
      diff: diffVersions(servingDocs(config), docsOfIndex(privateConfig.dataDir, index)),
      problems,
      discard: release,
    };
  } catch (err) {
    discard();
    throw noSpaceRefusal(err);
  }
}
