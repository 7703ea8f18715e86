// Shared fixtures: the real plan (kh-ctr77) parsed from the corpus, and its duties.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCorpusDuties, type CorpusDuties } from "../../src/duties/load.js";

export const CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../corpus");

let cached: CorpusDuties | undefined;
export function plan(): CorpusDuties {
  cached ??= loadCorpusDuties(CORPUS_DIR, { docIds: ["kh-ctr77"] });
  return cached;
}

/** A Date for a local (UTC+7) wall-clock time. */
export const local = (iso: string) => new Date(`${iso}+07:00`);
