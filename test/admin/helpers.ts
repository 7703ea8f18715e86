// Shared by the corpus-change suites (in process and with real processes): a refusal checked for its code and a
// Vietnamese message, and the state a refused change must leave untouched.
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { Config } from "../../src/config.js";
import { CorpusError } from "../../src/corpus/ingest/index.js";
import { currentVersion, listVersions } from "../../src/index/store.js";
import { treeHash } from "../corpus/fixtures.js";

/** Awaits a change expected to be refused with `code`, with a message in Vietnamese. */
export async function refused(p: Promise<unknown>, code: string): Promise<CorpusError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected refusal ${code}`).toBeInstanceOf(CorpusError);
  expect((err as CorpusError).code).toBe(code);
  expect((err as CorpusError).vi).toMatch(/[à-ỹ]/u); // Vietnamese, with diacritics
  return err as CorpusError;
}

/** The corpus files, the serving version, the versions kept and the originals: what a refused change must not touch. */
export function corpusState(config: Pick<Config, "corpusDir" | "dataDir">) {
  const originals = path.join(config.dataDir, "originals");
  return {
    corpus: treeHash(config.corpusDir),
    current: currentVersion(config.dataDir),
    versions: listVersions(config.dataDir).map((v) => v.version),
    originals: fs.existsSync(originals) ? fs.readdirSync(originals) : [],
  };
}
