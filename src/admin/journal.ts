// The commit of a corpus change, journaled: back up the live files to be replaced, write a journal, write the
// new document files, then rename the manifest (the commit point), switch CURRENT and delete documents no
// longer listed. A kill during the commit is finished or undone from the journal by `recoverCorpus` (run
// before every change and at start-up).
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { CorpusError } from "../corpus/ingest/errors.js";
import { manifestPath } from "../corpus/manifest.js";
import { currentVersion, pruneVersions, setCurrentVersion } from "../index/store.js";
import { silentLogger, type Logger } from "../log.js";
import { isAlive } from "../process.js";
import {
  copyAtomic,
  CORPUS_TABLES,
  corpusFiles,
  errText,
  journalPath,
  readRawManifest,
  resolveInCorpus,
  sameBytes,
  sha256,
  versionDir,
  workDir,
  writeJsonAtomic,
} from "./files.js";
import { acquireLock } from "./lock.js";

interface Journal {
  pid: number;
  version: string;
  previous: string | null;
  /** True when the version was built by this change (undo removes it); false for a rollback target. */
  built: boolean;
  source: string;
  backup: string;
  writes: string[];
  created: string[];
  deletes: string[];
  manifestSha: string;
}

export type KillPoint = "build" | "files" | "manifest" | "switch";
export type RecoveryOutcome = "none" | "rolled_back" | "rolled_forward";

/** Test hook: a real SIGKILL at a named step, to prove recovery from every point of a commit. */
export function maybeKill(at: KillPoint, killAt: string | undefined): void {
  if (killAt === at) process.kill(process.pid, "SIGKILL");
}

/** Which live files the commit writes, creates and deletes. */
function planCommit(live: string, sourceDir: string): Pick<Journal, "writes" | "created" | "deletes"> {
  let prevFiles: string[] = [];
  try {
    prevFiles = corpusFiles(readRawManifest(live), live);
  } catch {
    // A broken live manifest is simply replaced.
  }
  const nextFiles = corpusFiles(readRawManifest(sourceDir), sourceDir).filter((f) => f !== "manifest.json");
  const writes = nextFiles.filter((rel) => !sameBytes(resolveInCorpus(sourceDir, rel), resolveInCorpus(live, rel)));
  // Shared tables stay even when a snapshot predates them; only documents are deleted.
  const kept = ["manifest.json", "glossary.json", ...CORPUS_TABLES];
  const deletes = prevFiles.filter((rel) => !kept.includes(rel) && !nextFiles.includes(rel));
  const created = writes.filter((rel) => !fs.existsSync(resolveInCorpus(live, rel)));
  return { writes, created, deletes };
}

/** Copy the live files the commit replaces or deletes (and the manifest) to a fresh backup directory. */
function backUp(config: Config, rels: string[]): string {
  fs.mkdirSync(workDir(config.dataDir), { recursive: true });
  const backup = fs.mkdtempSync(path.join(workDir(config.dataDir), `backup-${process.pid}-`));
  for (const rel of rels) {
    const from = resolveInCorpus(config.corpusDir, rel);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(backup, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(backup, rel));
  }
  return backup;
}

/** Replace the live corpus with the files of `sourceDir` and switch CURRENT to `version`. */
export function commitCorpus(config: Config, sourceDir: string, version: string, built: boolean, log: Logger, killAt?: string): void {
  const plan = planCommit(config.corpusDir, sourceDir);
  const backup = backUp(config, [...plan.writes, ...plan.deletes, "manifest.json"]);
  const journal: Journal = {
    pid: process.pid,
    version,
    previous: currentVersion(config.dataDir),
    built,
    source: sourceDir,
    backup,
    ...plan,
    manifestSha: sha256(fs.readFileSync(manifestPath(sourceDir))),
  };
  writeJsonAtomic(journalPath(config.dataDir), journal);
  try {
    for (const rel of plan.writes) copyAtomic(resolveInCorpus(sourceDir, rel), resolveInCorpus(config.corpusDir, rel));
    maybeKill("files", killAt);
    copyAtomic(manifestPath(sourceDir), manifestPath(config.corpusDir)); // ← commit point
    maybeKill("manifest", killAt);
    setCurrentVersion(config.dataDir, version);
    maybeKill("switch", killAt);
    finishForward(config, journal);
  } catch (err) {
    log.error("corpus commit failed, recovering", { err: errText(err) });
    recoverUnlocked(config, log);
    throw err;
  }
}

function finishForward(config: Config, j: Journal): void {
  // Idempotent: a manifest that did not change (same metadata, new text) is "committed" before its files are.
  for (const rel of j.writes) {
    const from = resolveInCorpus(j.source, rel);
    const to = resolveInCorpus(config.corpusDir, rel);
    if (!sameBytes(from, to)) copyAtomic(from, to);
  }
  if (currentVersion(config.dataDir) !== j.version) setCurrentVersion(config.dataDir, j.version);
  for (const rel of j.deletes) fs.rmSync(resolveInCorpus(config.corpusDir, rel), { force: true });
  fs.rmSync(journalPath(config.dataDir), { force: true });
  fs.rmSync(j.backup, { recursive: true, force: true });
}

function undo(config: Config, j: Journal): void {
  const live = config.corpusDir;
  for (const rel of [...j.writes, "manifest.json"]) {
    const saved = path.join(j.backup, rel);
    const target = resolveInCorpus(live, rel);
    if (fs.existsSync(saved)) {
      if (!sameBytes(saved, target)) copyAtomic(saved, target);
    } else if (j.created.includes(rel)) fs.rmSync(target, { force: true });
  }
  if (j.previous && currentVersion(config.dataDir) !== j.previous && fs.existsSync(versionDir(config.dataDir, j.previous)))
    setCurrentVersion(config.dataDir, j.previous);
  if (j.built && currentVersion(config.dataDir) !== j.version)
    fs.rmSync(versionDir(config.dataDir, j.version), { recursive: true, force: true });
  fs.rmSync(journalPath(config.dataDir), { force: true });
  fs.rmSync(j.backup, { recursive: true, force: true });
}

/** Leftovers of killed changes: staging and backup directories, temporary files in the corpus. */
function cleanLeftovers(config: Config): void {
  const work = workDir(config.dataDir);
  if (fs.existsSync(work))
    for (const name of fs.readdirSync(work)) {
      const pid = Number(/-(\d+)-/.exec(name)?.[1]);
      const full = path.join(work, name);
      if (pid !== process.pid && !isAlive(pid)) fs.rmSync(full, { recursive: true, force: true });
    }
  for (const dir of [config.corpusDir, path.join(config.corpusDir, "documents")]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const pid = Number(/\.corpus-tmp-(\d+)$/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

function readJournal(dataDir: string): Journal | null {
  try {
    return JSON.parse(fs.readFileSync(journalPath(dataDir), "utf8")) as Journal;
  } catch {
    return null;
  }
}

/** Forward when the manifest (the commit point) was written and everything needed to finish is there. */
function canFinish(config: Config, j: Journal): boolean {
  const live = manifestPath(config.corpusDir);
  const liveSha = fs.existsSync(live) ? sha256(fs.readFileSync(live)) : "";
  const sourceIntact = j.writes.every((rel) => fs.existsSync(path.join(j.source, rel)));
  return liveSha === j.manifestSha && sourceIntact && fs.existsSync(path.join(versionDir(config.dataDir, j.version), "meta.json"));
}

/** Finish or undo an interrupted commit; the caller holds the lock. */
export function recoverUnlocked(config: Config, log: Logger): RecoveryOutcome {
  let outcome: RecoveryOutcome = "none";
  const journal = readJournal(config.dataDir);
  if (journal) {
    if (canFinish(config, journal)) {
      finishForward(config, journal);
      outcome = "rolled_forward";
    } else {
      undo(config, journal);
      outcome = "rolled_back";
    }
    log.warn("interrupted corpus commit recovered", { outcome, version: journal.version });
  }
  cleanLeftovers(config);
  pruneVersions(config.dataDir, config.INDEX_KEEP_VERSIONS);
  return outcome;
}

/**
 * Repair after a crash: finish or undo a commit that was interrupted, remove leftovers. Call at server
 * start before opening the index. Returns "busy" when another process is changing the corpus right now.
 */
export function recoverCorpus(config: Config, log: Logger = silentLogger): RecoveryOutcome | "busy" {
  let release: () => void;
  try {
    release = acquireLock(config.dataDir, "recover");
  } catch (err) {
    if (err instanceof CorpusError && err.code === "busy") return "busy";
    throw err;
  }
  try {
    return recoverUnlocked(config, log);
  } finally {
    release();
  }
}
