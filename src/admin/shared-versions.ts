// Corpus and index versions shared by replicas (DATABASE_URL). The replica that builds a version — at start,
// under the cluster-wide build lock, or through a corpus change — stores the corpus files and the built index with
// it and makes it current; every other replica is notified (LISTEN/NOTIFY, polling as a fallback), writes both locally, loads the version and
// swaps to it between two questions (one reply never mixes versions). A starting replica loads the current
// version instead of rebuilding. A change killed before it is published leaves the shared version untouched.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { segmentsDir } from "../index/segment.js";
import { CorpusError } from "../corpus/ingest/errors.js";
import { currentVersion, loadVersion, openIndex, setCurrentVersion, type LoadedIndex } from "../index/store.js";
import type { Logger } from "../log.js";
import type { CorpusVersionStore, FileBundle } from "../store/types.js";
import type { ClusterChange } from "./change.js";
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

/** Files under `prefix/` of a bundle, with the prefix removed. */
function part(bundle: FileBundle, prefix: string): FileBundle {
  const out: FileBundle = {};
  for (const [rel, data] of Object.entries(bundle)) if (rel.startsWith(`${prefix}/`)) out[rel.slice(prefix.length + 1)] = data;
  return out;
}

/** A directory written aside and renamed into place, unless it is already complete (`marker` present). */
function writeDirOnce(dir: string, files: FileBundle, marker: string): void {
  if (fs.existsSync(path.join(dir, marker))) return;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [rel, data] of Object.entries(files)) writeFileAtomic(safeTarget(tmp, rel), data);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.renameSync(tmp, dir);
}

/** The index artefacts (its segments, then the version) in DATA_DIR, the corpus files, then the CURRENT pointer. */
async function materialise(config: Paths, store: CorpusVersionStore, version: string): Promise<void> {
  const found = await store.fetch(version);
  if (!found) throw new Error(`shared index version ${version} not found`);
  const segmentKeys = new Set(
    Object.keys(found.artefacts)
      .filter((k) => k.startsWith("segments/"))
      .map((k) => k.split("/")[1]!),
  );
  // Segments are content-addressed: one already present is the same segment.
  for (const key of segmentKeys) {
    const files = part(found.artefacts, `segments/${key}`);
    const dir = safeTarget(segmentsDir(config.dataDir), key);
    if (!fs.existsSync(dir)) writeDirOnce(dir, files, Object.keys(files)[0]!);
  }
  writeDirOnce(versionDir(config.dataDir, version), part(found.artefacts, "version"), "meta.json");
  writeCorpus(config.corpusDir, found.corpus);
  setCurrentVersion(config.dataDir, version);
}

/** The version directory and the segments it lists, as one bundle ("version/…", "segments/<key>/…"). */
function artefactsOf(config: Paths, index: LoadedIndex): FileBundle {
  const bundle: FileBundle = {};
  const add = (prefix: string, files: FileBundle) => {
    for (const [rel, data] of Object.entries(files)) bundle[`${prefix}/${rel}`] = data;
  };
  add("version", readBundle(index.dir));
  for (const key of new Set(index.meta.documents.map((d) => d.segment)))
    add(`segments/${key}`, readBundle(path.join(segmentsDir(config.dataDir), key)));
  return bundle;
}

/** Publish a version this replica built or switched to (after a corpus change or a rollback). */
export async function publishVersion(config: Paths, store: CorpusVersionStore, index: LoadedIndex): Promise<void> {
  await store.publish(index.meta.version, readBundle(config.corpusDir), artefactsOf(config, index));
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
  /** Switch to the shared current version now, if this replica is not on it (rejects when that fails). */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

/** How often the shared version is polled while the LISTEN connection is up (a safety net) and while it is down. */
export const POLL_LISTENING_MS = 15_000;
export const POLL_FALLBACK_MS = 2_000;

/**
 * Follows the shared current version: woken by NOTIFY corpus_version (LISTEN on a connection of its own), and
 * polling as a fallback (every POLL_FALLBACK_MS while that connection is down, POLL_LISTENING_MS while it is up).
 * Switches this replica to a version another replica made current. Checks run one at a time.
 */
export function followSharedVersions(
  config: Config,
  store: CorpusVersionStore,
  target: { index(): LoadedIndex; swap(index: LoadedIndex): void },
  log: Logger,
  opts: { initial: string; pollMs?: number },
): SharedVersionFollower {
  let seen = opts.initial;
  const check = async (via: string) => {
    const before = seen;
    const version = await store.current();
    // This replica published a version while we asked: what we read is already stale.
    if (seen !== before || !version || version === seen) return;
    seen = version;
    if (version === target.index().meta.version) return;
    await materialise(config, store, version);
    const index = await loadVersion(config, version);
    if (seen === version) target.swap(index);
    log.info("switched to the shared index version", { version, via });
  };
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const run = (via: string): Promise<void> => {
    if (queued) return queued;
    const next = chain.then(() => {
      queued = undefined;
      return check(via);
    });
    queued = next;
    chain = next.catch(() => undefined);
    return next;
  };
  const background = (via: string) =>
    void run(via).catch((err: unknown) => log.warn("shared index version check failed", { err: errText(err) }));
  let listening = false;
  let lastCheck = Date.now();
  const stopListening = store.listen(
    () => background("notify"),
    (up) => {
      listening = up;
      if (up) log.info("listening for shared index versions");
      else log.warn("shared index version notifications lost; polling until reconnected");
      // Whatever was published while the connection was down.
      if (up) background("reconnect");
    },
  );
  const timer = setInterval(() => {
    if (Date.now() - lastCheck < (listening ? POLL_LISTENING_MS : (opts.pollMs ?? POLL_FALLBACK_MS))) return;
    lastCheck = Date.now();
    background("poll");
  }, 250);
  timer.unref();
  return {
    published: (version) => void (seen = version),
    sync: () => run("change"),
    stop: async () => {
      clearInterval(timer);
      await stopListening();
    },
  };
}

/** The refusal of a change whose cluster-wide lock was lost midway (its database connection dropped). */
const lockLost = (action: string) =>
  new CorpusError(
    "interrupted",
    "Mất kết nối tới cơ sở dữ liệu dùng chung trong lúc thay đổi kho văn bản, nên thay đổi đã được hủy và kho văn bản " +
      "giữ nguyên. Vui lòng thử lại sau ít phút.",
    `corpus change lock lost (${action}): database connection dropped`,
  );

/**
 * The cluster side of a corpus change: the advisory change lock (a second change, on any replica or from the CLI,
 * is refused with a Vietnamese "busy" message while one runs), then `sync` to the shared current version.
 */
export function clusterChange(store: CorpusVersionStore, sync: () => Promise<void>, log: Logger): ClusterChange {
  return {
    async begin(action, onLost) {
      const release = await store.tryChangeLock((err) => {
        log.error("corpus change lock lost with its database connection; calling the change off", { action, err: errText(err) });
        onLost?.(lockLost(action));
      });
      if (!release) {
        log.warn("corpus change refused: another change is in progress on another replica or the CLI", { action });
        throw new CorpusError(
          "busy",
          "Đang có một thay đổi khác với kho văn bản (trên một máy chủ khác hoặc từ dòng lệnh). Vui lòng đợi xong rồi thử lại.",
          `another corpus change is in progress (${action} refused)`,
        );
      }
      try {
        await sync();
      } catch (err) {
        await release();
        throw err;
      }
      return release;
    },
  };
}

/** For a process that follows no version (the CLI): bring CORPUS_DIR and DATA_DIR to the shared current version. */
export async function syncToShared(config: Paths, store: CorpusVersionStore): Promise<void> {
  const version = await store.current();
  if (version && version !== currentVersion(config.dataDir)) await materialise(config, store, version);
}
