// Where corpus administration keeps its state under DATA_DIR, and the file operations every step shares:
// paths checked to stay inside the corpus, atomic writes (a reader sees the old or the new file), byte equality.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { CorpusError } from "../corpus/ingest/errors.js";
import { manifestPath, validateManifest, type Manifest } from "../corpus/manifest.js";

export const lockPath = (dataDir: string) => path.join(dataDir, "corpus.lock");
export const journalPath = (dataDir: string) => path.join(dataDir, "corpus-commit.json");
export const workDir = (dataDir: string) => path.join(dataDir, "corpus-work");
export const versionDir = (dataDir: string, v: string) => path.join(dataDir, "index", "versions", v);
/** The corpus a version was built from, kept inside the version for rollback. */
export const snapshotDir = (dataDir: string, v: string) => path.join(versionDir(dataDir, v), "corpus");
export const hasSnapshot = (dataDir: string, v: string) => fs.existsSync(path.join(snapshotDir(dataDir, v), "manifest.json"));

export const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
export const sha256 = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest("hex");

/** A path inside the corpus directory, or a refusal (manifest `file` values and ids end up here). */
export function resolveInCorpus(corpusDir: string, rel: string): string {
  const root = path.resolve(corpusDir);
  const abs = path.resolve(root, rel);
  if (path.isAbsolute(rel) || !abs.startsWith(root + path.sep))
    throw new CorpusError(
      "outside_corpus",
      `Đường dẫn «${rel}» nằm ngoài thư mục kho văn bản; không được phép.`,
      `path outside the corpus: ${rel}`,
    );
  return abs;
}

/** Tables that live next to the manifest when present: agencies (duties), smoke questions (validation). */
export const CORPUS_TABLES = ["agencies.json", "checks.json"];

/** Files a version is built and checked from, relative to the corpus directory `dir` (manifest last). */
export function corpusFiles(manifest: Manifest, dir: string): string[] {
  const tables = CORPUS_TABLES.filter((t) => fs.existsSync(path.join(dir, t)));
  return ["glossary.json", ...tables, ...manifest.documents.map((d) => d.file), "manifest.json"];
}

export function readRawManifest(corpusDir: string): Manifest {
  const raw = JSON.parse(fs.readFileSync(manifestPath(corpusDir), "utf8")) as Manifest;
  validateManifest(raw);
  // The raw object (not zod's output) is edited, so fields the schema does not know survive a rewrite.
  return raw;
}

export function copyCorpusFiles(from: string, to: string, manifest: Manifest): void {
  for (const rel of corpusFiles(manifest, from)) {
    const dest = resolveInCorpus(to, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(resolveInCorpus(from, rel), dest);
  }
}

/** Byte equality; files of different sizes are told apart without reading them. */
export function sameBytes(a: string, b: string): boolean {
  if (!fs.existsSync(a) || !fs.existsSync(b) || fs.statSync(a).size !== fs.statSync(b).size) return false;
  return fs.readFileSync(a).equals(fs.readFileSync(b));
}

/** Write via a temporary file in the same directory and a rename: readers see the old or the new file. */
export function copyAtomic(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const tmp = `${to}.corpus-tmp-${process.pid}`;
  fs.copyFileSync(from, tmp);
  fs.renameSync(tmp, to);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 1));
  fs.renameSync(tmp, file);
}
