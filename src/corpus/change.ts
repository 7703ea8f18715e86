// Transactional corpus changes. One change at a time (a lock file naming its pid):
//   1. copy the corpus (manifest, glossary, documents) to a staging directory and apply the change there;
//   2. build a new index version from the staging copy and validate it (every document has sections with
//      text; smoke questions are answered; each new or changed document is found by its own words);
//   3. move the staging copy into the version directory as its corpus snapshot (what `rollback` restores);
//   4. commit: back up the live files to be replaced, write a journal, write the new document files, then
//      rename the manifest (the commit point), switch CURRENT and delete documents no longer listed.
// A failure before the commit point changes nothing live; a kill during the commit is finished or undone
// from the journal by `recoverCorpus` (run before every change and at server start).
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { answerQuestion } from "../answer/index.js";
import type { Config } from "../config.js";
import {
  buildVersion,
  currentVersion,
  embeddingsId,
  listVersions,
  loadVersion,
  parseCorpus,
  pruneVersions,
  setCurrentVersion,
  type IndexMeta,
  type LoadedIndex,
} from "../index/store.js";
import { silentLogger, type Logger } from "../log.js";
import { retrieve } from "../retrieve/hybrid.js";
import { ownText } from "../sections/parse.js";
import type { DocumentMeta, Section } from "../types.js";
import { CorpusError } from "./ingest/errors.js";
import { loadCorpus } from "./load.js";
import { manifestPath, validateManifest, writeManifest, type Manifest, type SmokeQuestion } from "./manifest.js";
import { noProgress, type Progress } from "./progress.js";

// ── paths ─────────────────────────────────────────────────────────────────────────────────────────

const lockPath = (dataDir: string) => path.join(dataDir, "corpus.lock");
const journalPath = (dataDir: string) => path.join(dataDir, "corpus-commit.json");
const workDir = (dataDir: string) => path.join(dataDir, "corpus-work");
const versionDir = (dataDir: string, v: string) => path.join(dataDir, "index", "versions", v);
/** The corpus a version was built from, kept inside the version for rollback. */
export const snapshotDir = (dataDir: string, v: string) => path.join(versionDir(dataDir, v), "corpus");
export const hasSnapshot = (dataDir: string, v: string) => fs.existsSync(path.join(snapshotDir(dataDir, v), "manifest.json"));


const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const sha256 = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest("hex");

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A path inside the corpus directory, or a refusal (manifest `file` values and ids end up here). */
export function resolveInCorpus(corpusDir: string, rel: string): string {
  const root = path.resolve(corpusDir);
  const abs = path.resolve(root, rel);
  if (path.isAbsolute(rel) || !abs.startsWith(root + path.sep))
    throw new CorpusError("outside_corpus", `Đường dẫn «${rel}» nằm ngoài thư mục kho văn bản; không được phép.`, `path outside the corpus: ${rel}`);
  return abs;
}

/** Files an index is built from, relative to the corpus directory (manifest last); agencies.json when present. */
function corpusFiles(manifest: Manifest, dir: string): string[] {
  const agencies = fs.existsSync(path.join(dir, "agencies.json")) ? ["agencies.json"] : [];
  return ["glossary.json", ...agencies, ...manifest.documents.map((d) => d.file), "manifest.json"];
}

function readRawManifest(corpusDir: string): Manifest {
  const raw = JSON.parse(fs.readFileSync(manifestPath(corpusDir), "utf8")) as Manifest;
  validateManifest(raw);
  // The raw object (not zod's output) is edited, so fields the schema does not know survive a rewrite.
  return raw;
}

function copyCorpusFiles(from: string, to: string, manifest: Manifest): void {
  for (const rel of corpusFiles(manifest, from)) {
    const dest = resolveInCorpus(to, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(resolveInCorpus(from, rel), dest);
  }
}

const sameBytes = (a: string, b: string) => fs.existsSync(a) && fs.existsSync(b) && fs.readFileSync(a).equals(fs.readFileSync(b));

/** Write via a temporary file in the same directory and a rename: readers see the old or the new file. */
function copyAtomic(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const tmp = `${to}.corpus-tmp-${process.pid}`;
  fs.copyFileSync(from, tmp);
  fs.renameSync(tmp, to);
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 1));
  fs.renameSync(tmp, file);
}

// ── lock ──────────────────────────────────────────────────────────────────────────────────────────

export interface LockInfo {
  pid: number;
  action: string;
  startedAt: string;
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

/** Take the corpus lock or throw CorpusError("busy"); a lock whose process is gone is taken over. */
export function acquireLock(dataDir: string, action: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, action, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: "wx" });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (readLock(dataDir)?.pid === process.pid) fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const held = readLock(dataDir);
    const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    // Unreadable and fresh: its owner is still writing it.
    if (!held && age < 5000) break;
    if (held && isAlive(held.pid)) {
      throw new CorpusError(
        "busy",
        `Đang có một thay đổi khác với kho văn bản (${held.action}, tiến trình ${held.pid}, bắt đầu lúc ${new Date(held.startedAt).toLocaleTimeString("vi-VN")}). ` +
          `Vui lòng đợi xong rồi thử lại. (Nếu chắc chắn không còn tiến trình đó, xóa tệp ${file}.)`,
        `corpus is locked by pid ${held.pid} (${held.action})`,
      );
    }
    // Stale: move it aside (only one contender wins the rename), then try again.
    try {
      fs.renameSync(file, `${file}.stale-${process.pid}`);
      fs.rmSync(`${file}.stale-${process.pid}`, { force: true });
    } catch {
      // another process took it over first
    }
  }
  throw new CorpusError("busy", "Đang có một thay đổi khác với kho văn bản. Vui lòng đợi xong rồi thử lại.", "corpus lock contention");
}

// ── commit journal and recovery ───────────────────────────────────────────────────────────────────

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

function maybeKill(at: KillPoint, killAt: string | undefined): void {
  // Test hook: a real SIGKILL at a named step, to prove recovery from every point of a commit.
  if (killAt === at) process.kill(process.pid, "SIGKILL");
}

/** Replace the live corpus with the files of `sourceDir` and switch CURRENT to `version`. */
function commitCorpus(config: Config, sourceDir: string, version: string, built: boolean, log: Logger, killAt?: string): void {
  const live = config.corpusDir;
  const next = readRawManifest(sourceDir);
  let prevFiles: string[] = [];
  try {
    prevFiles = corpusFiles(readRawManifest(live), live);
  } catch {
    // A broken live manifest is simply replaced.
  }
  const nextFiles = corpusFiles(next, sourceDir).filter((f) => f !== "manifest.json");
  const writes = nextFiles.filter((rel) => !sameBytes(resolveInCorpus(sourceDir, rel), resolveInCorpus(live, rel)));
  // Shared tables stay even when a snapshot predates them; only documents are deleted.
  const kept = ["manifest.json", "glossary.json", "agencies.json"];
  const deletes = prevFiles.filter((rel) => !kept.includes(rel) && !nextFiles.includes(rel));
  const created = writes.filter((rel) => !fs.existsSync(resolveInCorpus(live, rel)));

  fs.mkdirSync(workDir(config.dataDir), { recursive: true });
  const backup = fs.mkdtempSync(path.join(workDir(config.dataDir), `backup-${process.pid}-`));
  for (const rel of [...writes, ...deletes, "manifest.json"]) {
    const from = resolveInCorpus(live, rel);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(backup, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(backup, rel));
  }
  const journal: Journal = {
    pid: process.pid,
    version,
    previous: currentVersion(config.dataDir),
    built,
    source: sourceDir,
    backup,
    writes,
    created,
    deletes,
    manifestSha: sha256(fs.readFileSync(manifestPath(sourceDir))),
  };
  writeJsonAtomic(journalPath(config.dataDir), journal);
  try {
    for (const rel of writes) copyAtomic(resolveInCorpus(sourceDir, rel), resolveInCorpus(live, rel));
    maybeKill("files", killAt);
    copyAtomic(manifestPath(sourceDir), manifestPath(live)); // ← commit point
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
  if (j.built && currentVersion(config.dataDir) !== j.version) fs.rmSync(versionDir(config.dataDir, j.version), { recursive: true, force: true });
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

/** Finish or undo an interrupted commit; the caller holds the lock. */
function recoverUnlocked(config: Config, log: Logger): "none" | "rolled_back" | "rolled_forward" {
  let outcome: "none" | "rolled_back" | "rolled_forward" = "none";
  let journal: Journal | null = null;
  try {
    journal = JSON.parse(fs.readFileSync(journalPath(config.dataDir), "utf8")) as Journal;
  } catch {
    journal = null;
  }
  if (journal) {
    const liveSha = fs.existsSync(manifestPath(config.corpusDir)) ? sha256(fs.readFileSync(manifestPath(config.corpusDir))) : "";
    const sourceIntact = journal.writes.every((rel) => fs.existsSync(path.join(journal!.source, rel)));
    if (liveSha === journal.manifestSha && sourceIntact && fs.existsSync(path.join(versionDir(config.dataDir, journal.version), "meta.json"))) {
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
export function recoverCorpus(config: Config, log: Logger = silentLogger): "none" | "rolled_back" | "rolled_forward" | "busy" {
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

// ── snapshots ─────────────────────────────────────────────────────────────────────────────────────

/** Give the serving version a corpus snapshot when it has none (built at start-up), so it can be restored. */
function snapshotCurrent(config: Config, log: Logger): void {
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

// ── diff ──────────────────────────────────────────────────────────────────────────────────────────

export interface DocDiff {
  id: string;
  shortTitle: string;
  kind: "added" | "removed" | "changed" | "unchanged";
  /** Sections after the change (before, for a removed document). */
  sections: number;
  added: number;
  removed: number;
  changed: number;
  /** Manifest fields that changed (title, status…). */
  meta: string[];
}

interface Parsed {
  documents: DocumentMeta[];
  sections: Section[];
}

const fingerprint = (s: Section) => JSON.stringify([s.heading, s.paragraphs, s.fields ?? null, s.note ?? null]);

export function diffCorpora(before: Parsed, after: Parsed): DocDiff[] {
  const group = (p: Parsed) => {
    const m = new Map<string, Map<string, string>>();
    for (const s of p.sections) {
      if (!m.has(s.doc)) m.set(s.doc, new Map());
      m.get(s.doc)!.set(s.id, fingerprint(s));
    }
    return m;
  };
  const b = group(before);
  const a = group(after);
  const ids = [...new Set([...after.documents.map((d) => d.id), ...before.documents.map((d) => d.id)])];
  return ids.map((id) => {
    const old = before.documents.find((d) => d.id === id);
    const now = after.documents.find((d) => d.id === id);
    const bs = b.get(id) ?? new Map<string, string>();
    const as = a.get(id) ?? new Map<string, string>();
    const added = [...as.keys()].filter((k) => !bs.has(k)).length;
    const removed = [...bs.keys()].filter((k) => !as.has(k)).length;
    const changed = [...as.keys()].filter((k) => bs.has(k) && bs.get(k) !== as.get(k)).length;
    const meta =
      old && now
        ? (Object.keys({ ...old, ...now }) as Array<keyof DocumentMeta>).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]))
        : [];
    const kind = !old ? "added" : !now ? "removed" : added || removed || changed || meta.length ? "changed" : "unchanged";
    return { id, shortTitle: (now ?? old)!.shortTitle, kind, sections: (now ? as : bs).size, added, removed, changed, meta };
  });
}

function parseLive(config: Config): Parsed {
  try {
    return parseCorpus(loadCorpus(config.corpusDir, embeddingsId(config)));
  } catch {
    return { documents: [], sections: [] };
  }
}

// ── validation ────────────────────────────────────────────────────────────────────────────────────

/** A sentence of the document's own text to look it up by. */
function probeOf(index: LoadedIndex, doc: string): string | undefined {
  const sections = index.sections.filter((s) => s.doc === doc && ownText(s).length > 0);
  const body = sections.find((s) => !["preamble", "recipients", "signature"].includes(s.id)) ?? sections[0];
  const text = body ? ownText(body).find((t) => t.split(/\s+/).length >= 4) ?? ownText(body)[0] : undefined;
  return text?.split(/\s+/).slice(0, 24).join(" ");
}

const invalid = (why: string, english: string) =>
  new CorpusError("validation", `Chỉ mục mới không đạt kiểm tra: ${why} Kho văn bản giữ nguyên; hệ thống vẫn trả lời theo phiên bản cũ.`, english);

/**
 * A smoke question of the profile still cites its section; only while that document is unchanged and in force
 * (a new document may rightly answer it instead).
 */
async function checkSmoke(index: LoadedIndex, smoke: SmokeQuestion, touched: Set<string>): Promise<void> {
  const doc = index.documents.find((d) => d.id === smoke.doc);
  if (!doc || doc.status === "superseded" || touched.has(smoke.doc)) return;
  const a = await answerQuestion(index, smoke.question);
  const ok = a.citations.some((c) => (c.doc === smoke.doc && c.section === smoke.section) || touched.has(c.doc));
  if (a.abstained || !ok)
    throw invalid(`câu hỏi thử «${smoke.question}» không còn được trả lời đúng (Mục ${smoke.section}).`, "smoke question failed");
}

/** Every document has text; the profile's smoke questions still work; each touched document is findable. */
export async function validateIndex(index: LoadedIndex, touched: Iterable<string>): Promise<void> {
  for (const d of index.documents) {
    if (!index.sections.some((s) => s.doc === d.id && ownText(s).length > 0))
      throw invalid(`văn bản «${d.shortTitle}» (${d.id}) không có mục nào có nội dung.`, `document ${d.id} has no section with text`);
  }
  const touchedSet = new Set(touched);
  for (const smoke of index.profile.smoke) await checkSmoke(index, smoke, touchedSet);
  for (const id of touchedSet) {
    if (!index.documents.some((d) => d.id === id)) continue;
    const probe = probeOf(index, id);
    const hit = probe ? (await retrieve(index, probe)).ranked.some((r) => r.section.doc === id) : false;
    if (!hit) throw invalid(`không tìm lại được văn bản «${id}» bằng chính nội dung của nó.`, `document ${id} is not retrievable by its own text`);
  }
}

// ── building ──────────────────────────────────────────────────────────────────────────────────────

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

/** tsx's ESM API (its `register`), resolved from this file rather than from the working directory. */
function tsxApiUrl(): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    // Runners without import.meta.resolve (vitest): the package's ESM entry next to its CommonJS one.
    return pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  }
}

/** Build in a worker thread so the calling process keeps answering questions at full speed. */
function buildInWorker(config: Config, corpusDir: string): Promise<string> {
  const ts = import.meta.url.endsWith(".ts");
  const entry = new URL(`./build-worker.${ts ? "ts" : "js"}`, import.meta.url);
  const workerData = { config: { ...config, corpusDir } };
  // Under tsx (how this project runs), a worker must register tsx itself before importing TypeScript;
  // tsx is resolved from here, not from the working directory.
  const tsx = ts ? tsxApiUrl() : "";
  const worker = ts
    ? new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`, {
        eval: true,
        workerData,
      })
    : new Worker(entry, { workerData });
  return new Promise((resolve, reject) => {
    worker.once("message", (m: { version?: string; error?: string }) => {
      void worker.terminate();
      if (m.version) resolve(m.version);
      else reject(new Error(m.error));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`index build worker exited with code ${code}`)));
  });
}

/** No version serves yet (fresh DATA_DIR): index the live corpus first so the change can be rolled back. */
async function buildBaseline(config: Config, log: Logger, progress: Progress): Promise<void> {
  try {
    progress.phase("Dựng chỉ mục cho kho hiện tại (lần đầu)", 0);
    const version = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)), log);
    setCurrentVersion(config.dataDir, version);
  } catch (err) {
    // A live corpus that does not build (being repaired by this very change) has nothing to roll back to.
    log.warn("no baseline version for the current corpus", { err: errText(err) });
  }
}

// ── the change pipeline ───────────────────────────────────────────────────────────────────────────

/** The staging copy a change edits. */
export interface Stage {
  dir: string;
  /** Edit in place; written to the staging manifest.json when it differs from the live one. */
  manifest: Manifest;
  writeFile(rel: string, content: string | Buffer): void;
  /** Documents added or changed (validated by retrieving them by their own text). */
  touched: Set<string>;
}

export interface ChangeOptions {
  log?: Logger;
  progress?: Progress;
  /** Called with the new version once it serves (e.g. `assistant.swap`). */
  onSwitch?: (index: LoadedIndex) => void | Promise<void>;
  /** Build the index in a worker thread (servers keep answering); the CLI builds in-process. */
  worker?: boolean;
  /** Test hook: SIGKILL this process at a step. */
  killAt?: string;
}

export interface ChangeResult {
  action: string;
  version: string;
  previous: string | null;
  diff: DocDiff[];
  index: LoadedIndex;
  ms: number;
}

export async function runChange(
  config: Config,
  action: string,
  apply: (stage: Stage) => void | Promise<void>,
  opts: ChangeOptions = {},
): Promise<ChangeResult> {
  const log = opts.log ?? silentLogger;
  const progress = opts.progress ?? noProgress;
  const started = Date.now();
  const release = acquireLock(config.dataDir, action);
  let staging: string | undefined;
  let built: string | undefined;
  let committed = false;
  try {
    recoverUnlocked(config, log);
    if (!currentVersion(config.dataDir)) await buildBaseline(config, log, progress);
    snapshotCurrent(config, log);
    const previous = currentVersion(config.dataDir);
    const before = parseLive(config);

    progress.phase("Sao chép kho văn bản sang vùng tạm", 0.02);
    fs.mkdirSync(workDir(config.dataDir), { recursive: true });
    staging = fs.mkdtempSync(path.join(workDir(config.dataDir), `staging-${process.pid}-`));
    const dir = path.join(staging, "corpus");
    const liveManifest = readRawManifest(config.corpusDir);
    try {
      copyCorpusFiles(config.corpusDir, dir, liveManifest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      throw invalid(`kho văn bản hiện tại thiếu tệp (${errText(err).replace(/^.*open '([^']+)'.*$/, "$1")}).`, errText(err));
    }
    const manifest = structuredClone(liveManifest);
    const stage: Stage = {
      dir,
      manifest,
      touched: new Set(),
      writeFile(rel, content) {
        const abs = resolveInCorpus(dir, rel);
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, content);
      },
    };
    await apply(stage);
    // The snapshot holds exactly what the manifest lists.
    const listed = new Set(stage.manifest.documents.map((d) => d.file));
    for (const d of liveManifest.documents) if (!listed.has(d.file)) fs.rmSync(resolveInCorpus(dir, d.file), { force: true });
    if (JSON.stringify(stage.manifest) !== JSON.stringify(liveManifest)) {
      try {
        writeManifest(dir, stage.manifest);
      } catch (err) {
        throw new CorpusError("bad_meta", `Thông tin văn bản không hợp lệ: ${errText(err).replace(/^Invalid corpus manifest: /, "")}`, errText(err));
      }
    }

    progress.phase("Đọc và tách mục các văn bản", 0.08);
    const corpus = loadCorpus(dir, embeddingsId(config));
    try {
      parseCorpus(corpus);
    } catch (err) {
      throw invalid(errText(err).replace(/^Document (\S+) is empty$/, "văn bản $1 rỗng.").replace(/^Document (\S+) produced no section with text$/, "văn bản $1 không tách được mục nào có nội dung."), errText(err));
    }

    progress.phase("Dựng chỉ mục mới", 0.15);
    const inProcess = () => retryOnSameName(() => buildVersion(config, corpus, log));
    if (opts.worker) {
      try {
        built = await retryOnSameName(() => buildInWorker(config, dir));
      } catch (err) {
        log.warn("index build in a worker failed, building in-process", { err: errText(err) });
        built = await inProcess();
      }
    } else built = await inProcess();
    maybeKill("build", opts.killAt);

    progress.phase("Kiểm tra chỉ mục mới bằng câu hỏi thử", 0.8);
    const index = await loadVersion(config, built);
    await validateIndex(index, stage.touched);

    progress.phase("Chuyển sang phiên bản mới", 0.92);
    fs.renameSync(dir, snapshotDir(config.dataDir, built));
    const diff = diffCorpora(before, index);
    committed = true; // from here on, failures are undone by the journal, not by deleting the version
    commitCorpus(config, snapshotDir(config.dataDir, built), built, true, log, opts.killAt);
    pruneVersions(config.dataDir, config.INDEX_KEEP_VERSIONS);
    await opts.onSwitch?.(index);
    progress.phase("Xong", 1);
    log.info("corpus change committed", { action, version: built, previous, ms: Date.now() - started });
    return { action, version: built, previous, diff, index, ms: Date.now() - started };
  } catch (err) {
    if (built && !committed) fs.rmSync(versionDir(config.dataDir, built), { recursive: true, force: true });
    log.warn("corpus change refused", { action, err: errText(err) });
    throw err;
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
    progress.done();
    release();
  }
}

export interface VersionInfo extends IndexMeta {
  current: boolean;
  restorable: boolean;
}

export function versionsOf(config: Config): VersionInfo[] {
  const current = currentVersion(config.dataDir);
  return listVersions(config.dataDir).map((m) => ({ ...m, current: m.version === current, restorable: hasSnapshot(config.dataDir, m.version) }));
}

/** Serve an earlier version again and restore the corpus it was built from. Default: the one before current. */
export async function rollbackTo(config: Config, target: string | undefined, opts: ChangeOptions = {}): Promise<ChangeResult> {
  const log = opts.log ?? silentLogger;
  const progress = opts.progress ?? noProgress;
  const started = Date.now();
  const release = acquireLock(config.dataDir, "rollback");
  try {
    recoverUnlocked(config, log);
    snapshotCurrent(config, log);
    const previous = currentVersion(config.dataDir);
    const versions = versionsOf(config);
    const version =
      target ?? versions.find((v) => previous !== null && v.version < previous && v.restorable)?.version ?? undefined;
    if (!version) throw new CorpusError("no_version", "Không có phiên bản cũ hơn nào để khôi phục.", "no earlier version");
    const info = versions.find((v) => v.version === version);
    if (!info) throw new CorpusError("no_version", `Không có phiên bản «${version}». Xem danh sách bằng lệnh versions (/phienban).`, `no version ${version}`);
    if (info.current) throw new CorpusError("usage", `Phiên bản «${version}» đang được dùng rồi.`, "rollback to the current version");
    if (!info.restorable)
      throw new CorpusError("no_snapshot", `Phiên bản «${version}» không lưu kèm kho văn bản nên không khôi phục được.`, `version ${version} has no corpus snapshot`);
    const snap = snapshotDir(config.dataDir, version);
    if (loadCorpus(snap, embeddingsId(config)).hash !== info.hash)
      throw new CorpusError("no_snapshot", `Phiên bản «${version}» được dựng với cấu hình khác (mô hình nhúng) nên không khôi phục được.`, "snapshot hash mismatch");

    progress.phase("Nạp phiên bản cũ", 0.3);
    const before = parseLive(config);
    const index = await loadVersion(config, version);
    const diff = diffCorpora(before, index);
    progress.phase("Khôi phục kho văn bản và chuyển phiên bản", 0.7);
    commitCorpus(config, snap, version, false, log, opts.killAt);
    await opts.onSwitch?.(index);
    progress.phase("Xong", 1);
    log.info("corpus rolled back", { version, previous });
    return { action: "rollback", version, previous, diff, index, ms: Date.now() - started };
  } finally {
    progress.done();
    release();
  }
}
