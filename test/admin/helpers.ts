// Shared by the corpus-change and upload suites (in process and with real processes): a refusal, one checked for its
// code and a Vietnamese message, and the state a refused change must leave untouched.
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { Config } from "../../src/config.js";
import { CorpusError } from "../../src/corpus/ingest/index.js";
import { currentVersion, listVersions } from "../../src/index/store.js";
import { treeHash } from "../corpus/fixtures.js";

/** Awaits an upload or change expected to be refused, whatever the reason. */
export async function refusal(p: Promise<unknown>): Promise<CorpusError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CorpusError);
  return err as CorpusError;
}

/** Awaits a change expected to be refused with `code`, with a message in Vietnamese. */
export async function refused(p: Promise<unknown>, code: string): Promise<CorpusError> {
  const err = await refusal(p);
  expect(err.code, `expected refusal ${code}`).toBe(code);
  expect(err.vi).toMatch(/[à-ỹ]/u); // Vietnamese, with diacritics
  return err;
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
