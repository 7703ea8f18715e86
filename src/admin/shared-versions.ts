// Corpus and index versions shared by replicas (DATABASE_URL). The replica that builds a version — at start,
// under the cluster-wide build lock, or through a corpus change — stores the corpus files and the built index with
// it and makes it current; every other replica notices within a second, writes both locally, loads the version and
// swaps to it between two questions (one reply never mixes versions). A starting replica loads the current
// version instead of rebuilding. A change killed before it is published leaves the shared version untouched.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { loadVersion, openIndex, setCurrentVersion, type LoadedIndex } from "../index/store.js";
import type { Logger } from "../log.js";
import type { CorpusVersionStore, FileBundle } from "../store/types.js";
import { errText, versionDir } from "./files.js";

type Paths = Pick<Config, "corpusDir" | "dataDir">;

/** Every file under `dir`, by relative path ("/" separators). */
export function readBundle(dir: string): FileBundle {
  const bundle: FileBundle = {};
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, rel);
    if (fs.statSync(file).isFile()) bundle[rel.split(path.sep).join("/")] = fs.readFileSync(file).toString("base64");
  }
  return bundle;
}

function writeFileAtomic(file: string, base64: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, Buffer.from(base64, "base64"));
  fs.renameSync(tmp, file);
}

/** Paths in a bundle must stay inside the directory they are written to. */
function safeTarget(dir: string, rel: string): string {
  const target = path.resolve(dir, rel);
  if (!target.startsWith(path.resolve(dir) + path.sep)) throw new Error(`bundle path outside its directory: ${rel}`);
  return target;
}

/** CORPUS_DIR becomes the version's corpus: files first, the manifest last (the commit point), then stale files go. */
function writeCorpus(corpusDir: string, corpus: FileBundle): void {
  const names = Object.keys(corpus).sort((a, b) => Number(a === "manifest.json") - Number(b === "manifest.json"));
  for (const rel of names) writeFileAtomic(safeTarget(corpusDir, rel), corpus[rel]!);
  for (const rel of Object.keys(readBundle(corpusDir))) if (!(rel in corpus)) fs.rmSync(path.join(corpusDir, rel), { force: true });
}

/** The index artefacts in DATA_DIR (written aside, renamed into place), the corpus files, then the CURRENT pointer. */
async function materialise(config: Paths, store: CorpusVersionStore, version: string): Promise<void> {
  const found = await store.fetch(version);
  if (!found) throw new Error(`shared index version ${version} not found`);
  const dir = versionDir(config.dataDir, version);
  if (!fs.existsSync(path.join(dir, "meta.json"))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const [rel, data] of Object.entries(found.artefacts)) writeFileAtomic(safeTarget(tmp, rel), data);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  writeCorpus(config.corpusDir, found.corpus);
  setCurrentVersion(config.dataDir, version);
}

/** Publish a version this replica built or switched to (after a corpus change or a rollback). */
export async function publishVersion(config: Paths, store: CorpusVersionStore, index: LoadedIndex): Promise<void> {
  await store.publish(index.meta.version, readBundle(config.corpusDir), readBundle(index.dir));
}

/**
 * At start, under the build lock: load the shared current version, or (first replica of a new database) build the
 * index from CORPUS_DIR and publish it. Returns the version to serve.
 */
export async function joinSharedVersions(config: Config, store: CorpusVersionStore, log: Logger): Promise<string> {
  return store.withBuildLock(async () => {
    const current = await store.current();
    if (current) {
      await materialise(config, store, current);
      log.info("index version loaded from the database", { version: current });
      return current;
    }
    const index = await openIndex(config, log);
    await publishVersion(config, store, index);
    log.info("index version published", { version: index.meta.version });
    return index.meta.version;
  });
}

export interface SharedVersionFollower {
  /** This replica made `version` current itself (no need to load it again). */
  published(version: string): void;
  stop(): void;
}

/** Polls the shared current version; switches this replica to a version another replica made current. */
export function followSharedVersions(
  config: Config,
  store: CorpusVersionStore,
  target: { index(): LoadedIndex; swap(index: LoadedIndex): void },
  log: Logger,
  opts: { initial: string; intervalMs?: number },
): SharedVersionFollower {
  let seen = opts.initial;
  let busy = false;
  const check = async () => {
    const version = await store.current();
    if (!version || version === seen) return;
    seen = version;
    if (version === target.index().meta.version) return;
    await materialise(config, store, version);
    target.swap(await loadVersion(config, version));
    log.info("switched to the shared index version", { version });
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    check()
      .catch((err: unknown) => log.warn("shared index version check failed", { err: errText(err) }))
      .finally(() => (busy = false));
  }, opts.intervalMs ?? 1000);
  timer.unref();
  return { published: (version) => void (seen = version), stop: () => clearInterval(timer) };
}
