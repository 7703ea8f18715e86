// Transactional corpus changes. One change at a time (lock.ts; with replicas also cluster-wide, `cluster`):
//   1. copy the corpus (manifest, glossary, documents) to a staging directory and apply the change there (stage.ts);
//   2. build a new index version from the staging copy (build.ts) and validate it (validate.ts);
//   3. move the staging copy into the version directory as its corpus snapshot (what `rollback` restores);
//   4. commit through the journal (journal.ts).
// A failure before the commit point changes nothing live; a kill during the commit is finished or undone
// from the journal by `recoverCorpus` (run before every change and at start-up).
import fs from "node:fs";
import type { Config } from "../config.js";
import { noSpaceRefusal } from "../corpus/ingest/errors.js";
import { loadCorpus } from "../corpus/load.js";
import { parseDocument } from "../index/segment.js";
import { currentVersion, embeddingsId, loadVersion, pruneVersions, type LoadedIndex } from "../index/store.js";
import { silentLogger, type Logger } from "../log.js";
import { collectWhenUnreachable } from "../process.js";
import { buildBaseline, buildStaged } from "./build.js";
import { type DocDiff, diffVersions, docsOfIndex, servingDocs } from "./diff.js";
import { errText, snapshotDir, versionDir } from "./files.js";
import { commitCorpus, maybeKill, recoverUnlocked } from "./journal.js";
import { acquireLock } from "./lock.js";
import { noProgress, type Progress } from "./progress.js";
import { snapshotCurrent } from "./snapshot.js";
import { openStage, sealStage, type Stage } from "./stage.js";
import { invalid, readSmokeQuestions, validateIndex, type AnswerChecks } from "./validate.js";

export type { Stage } from "./stage.js";

export interface ChangeOptions {
  /** The answering core, to validate a new version before it serves. */
  checks: AnswerChecks;
  log?: Logger;
  progress?: Progress;
  /** Called with the new version once it serves (e.g. `assistant.swap`). */
  onSwitch?: (index: LoadedIndex) => void | Promise<void>;
  /** Build the index in a worker thread (servers keep answering); the CLI builds in-process. */
  worker?: boolean;
  /** Test hook: SIGKILL this process at a step. */
  killAt?: string;
  /** With replicas: the cluster-wide change lock, taken after the local one (shared-versions.ts). */
  cluster?: ClusterChange;
}

/** One change at a time across replicas and the CLI, each starting from the shared current version. */
export interface ClusterChange {
  /**
   * Takes the cluster-wide lock, or throws CorpusError("busy"); then brings this process to the shared current
   * version, so the change applies to what every replica serves. Resolves to the release function. `onLost` is
   * called (with the refusal to report) if the lock is lost midway: the change must stop and change nothing.
   */
  begin(action: string, onLost?: (reason: Error) => void): Promise<() => Promise<void>>;
}

export interface ChangeResult {
  action: string;
  version: string;
  previous: string | null;
  diff: DocDiff[];
  index: LoadedIndex;
  ms: number;
}

/** A document that yields nothing, refused in Vietnamese (from the parse or from the build that parses it). */
function unparsable(err: unknown): unknown {
  const english = errText(err);
  const why = english
    .replace(/^Document (\S+) is empty$/, "văn bản $1 rỗng.")
    .replace(/^Document (\S+) produced no section with text$/, "văn bản $1 không tách được mục nào có nội dung.");
  return why === english ? err : invalid(why, english);
}

/**
 * The staged corpus, with the documents the change added or edited parsed first so a document that yields
 * nothing is refused before any build; the others are parsed only if their segment must be built again.
 */
export function parseStaged(config: Config, stage: Pick<Stage, "dir" | "touched">) {
  const corpus = loadCorpus(stage.dir, embeddingsId(config));
  try {
    for (const d of corpus.documents) if (stage.touched.has(d.meta.id)) parseDocument(d.meta, d.read());
  } catch (err) {
    throw unparsable(err);
  }
  return corpus;
}

/** Build the staged corpus; a document that yields nothing is refused in Vietnamese. */
export async function buildChecked(...args: Parameters<typeof buildStaged>): Promise<string> {
  try {
    return await buildStaged(...args);
  } catch (err) {
    throw unparsable(err);
  }
}

/** Build and validate a version from the applied stage; returns it loaded. The caller deletes it on failure. */
async function buildAndValidate(
  config: Config,
  stage: Stage,
  opts: ChangeOptions,
  log: Logger,
  progress: Progress,
  onBuilt: (v: string) => void,
) {
  progress.phase("Đọc và tách mục các văn bản", 0.08);
  const corpus = parseStaged(config, stage);
  progress.phase("Dựng chỉ mục mới", 0.15);
  const built = await buildChecked(config, corpus, { worker: opts.worker, log, signal: stage.signal });
  onBuilt(built);
  stage.signal?.throwIfAborted();
  maybeKill("build", opts.killAt);
  progress.phase("Kiểm tra chỉ mục mới bằng câu hỏi thử", 0.8);
  const index = await loadVersion(config, built);
  try {
    await validateIndex(index, stage.touched, opts.checks, readSmokeQuestions(config.corpusDir));
    stage.signal?.throwIfAborted();
  } catch (err) {
    void collectWhenUnreachable(index); // a refused candidate's arrays go back to the system, not kept till later
    throw err;
  }
  return index;
}

/** Apply `apply` to a staging copy of the corpus, build, validate and commit it; nothing changes on failure. */
export async function runChange(
  config: Config,
  action: string,
  apply: (stage: Stage) => void | Promise<void>,
  opts: ChangeOptions,
): Promise<ChangeResult> {
  const log = opts.log ?? silentLogger;
  const progress = opts.progress ?? noProgress;
  const started = Date.now();
  const release = acquireLock(config.dataDir, action);
  let releaseCluster: (() => Promise<void>) | undefined;
  let stagingRoot: string | undefined;
  let built: string | undefined;
  let committed = false;
  // Called off when the cluster-wide lock is lost midway: the conversion child and build worker stop on it.
  const aborter = new AbortController();
  try {
    releaseCluster = await opts.cluster?.begin(action, (reason) => aborter.abort(reason));
    recoverUnlocked(config, log);
    if (!currentVersion(config.dataDir)) await buildBaseline(config, log, progress);
    snapshotCurrent(config, log);
    const previous = currentVersion(config.dataDir);
    const before = servingDocs(config);

    progress.phase("Sao chép kho văn bản sang vùng tạm", 0.02);
    const staging = openStage(config.corpusDir, config.dataDir);
    stagingRoot = staging.root;
    staging.stage.signal = aborter.signal;
    await apply(staging.stage);
    aborter.signal.throwIfAborted();
    sealStage(staging);
    const index = await buildAndValidate(config, staging.stage, opts, log, progress, (v) => (built = v));
    const version = built!;

    progress.phase("Chuyển sang phiên bản mới", 0.92);
    fs.renameSync(staging.stage.dir, snapshotDir(config.dataDir, version));
    const diff = diffVersions(before, docsOfIndex(config.dataDir, index));
    aborter.signal.throwIfAborted(); // past this point the change is committed: only with the lock still held
    committed = true; // from here on, failures are undone by the journal, not by deleting the version
    commitCorpus(config, snapshotDir(config.dataDir, version), version, true, log, opts.killAt);
    pruneVersions(config.dataDir, config.INDEX_KEEP_VERSIONS);
    await opts.onSwitch?.(index);
    progress.phase("Xong", 1);
    log.info("corpus change committed", { action, version, previous, ms: Date.now() - started });
    return { action, version, previous, diff, index, ms: Date.now() - started };
  } catch (err) {
    if (built && !committed) fs.rmSync(versionDir(config.dataDir, built), { recursive: true, force: true });
    log.warn("corpus change refused", { action, err: errText(err) });
    throw noSpaceRefusal(err);
  } finally {
    if (stagingRoot) fs.rmSync(stagingRoot, { recursive: true, force: true });
    progress.done();
    await releaseCluster?.();
    release();
  }
}
