// The staging copy a change edits: the live corpus files copied to DATA_DIR/corpus-work, changed there,
// and (once validated) moved into the new version as its snapshot.
import fs from "node:fs";
import path from "node:path";
import { CorpusError } from "../corpus/ingest/errors.js";
import { writeManifest, type Manifest } from "../corpus/manifest.js";
import { copyCorpusFiles, errText, readRawManifest, resolveInCorpus, workDir } from "./files.js";
import { invalid } from "./validate.js";

/** The staging copy a change edits. */
export interface Stage {
  dir: string;
  /** Edit in place; written to the staging manifest.json when it differs from the live one. */
  manifest: Manifest;
  writeFile(rel: string, content: string | Buffer): void;
  /** Documents added or changed (validated by retrieving them by their own text). */
  touched: Set<string>;
  /** Aborted when the change is called off midway (its cluster-wide lock lost): long steps stop on it. */
  signal?: AbortSignal;
}

export interface Staging {
  /** Directory to delete when the change ends (holds `stage.dir`). */
  root: string;
  stage: Stage;
  live: Manifest;
}

/** Copy the live corpus into a fresh staging directory. */
export function openStage(corpusDir: string, dataDir: string): Staging {
  fs.mkdirSync(workDir(dataDir), { recursive: true });
  const root = fs.mkdtempSync(path.join(workDir(dataDir), `staging-${process.pid}-`));
  const dir = path.join(root, "corpus");
  const live = readRawManifest(corpusDir);
  try {
    copyCorpusFiles(corpusDir, dir, live);
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true }); // a half copy (disk full) is nobody's to clean up later
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    throw invalid(`kho văn bản hiện tại thiếu tệp (${errText(err).replace(/^.*open '([^']+)'.*$/, "$1")}).`, errText(err));
  }
  const stage: Stage = {
    dir,
    manifest: structuredClone(live),
    touched: new Set(),
    writeFile(rel, content) {
      const abs = resolveInCorpus(dir, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    },
  };
  return { root, stage, live };
}

/** After the change is applied: drop files no longer listed (the snapshot holds exactly what the manifest lists). */
export function sealStage({ stage, live }: Staging): void {
  const listed = new Set(stage.manifest.documents.map((d) => d.file));
  for (const d of live.documents) if (!listed.has(d.file)) fs.rmSync(resolveInCorpus(stage.dir, d.file), { force: true });
  if (JSON.stringify(stage.manifest) === JSON.stringify(live)) return;
  try {
    writeManifest(stage.dir, stage.manifest);
  } catch (err) {
    throw new CorpusError(
      "bad_meta",
      `Thông tin văn bản không hợp lệ: ${errText(err).replace(/^Invalid corpus manifest: /, "")}`,
      errText(err),
    );
  }
}
