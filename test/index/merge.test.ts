// A version built from the serving one (a few documents added, replaced or removed) holds the same postings,
// lengths and vocabulary as one merged from every segment.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { mergeLexical, readLexicalArrays } from "../../src/index/lexical.js";
import { mergeFromPrevious } from "../../src/index/merge.js";
import { segmentsDir } from "../../src/index/segment.js";
import { buildVersion, embeddingsId, listVersions, setCurrentVersion } from "../../src/index/store.js";
import { tempDir } from "../core/helpers.js";
import { copyOf, DECREE, type FixtureDoc, fixtureConfig, PLAN, writeCorpus } from "./fixtures.js";

/** Feature → its postings as "unit:tf" strings, and the unit lengths. */
function postings(dir: string) {
  const a = readLexicalArrays(dir);
  const byFeature = new Map<string, string[]>();
  a.features.forEach((f, id) => {
    const list: string[] = [];
    for (let j = a.offsets[id]!; j < a.offsets[id + 1]!; j++) list.push(`${a.units[j]}:${a.tfs[j]}`);
    byFeature.set(f, list);
  });
  return { byFeature: [...byFeature].sort(([x], [y]) => (x < y ? -1 : 1)), lengths: [...a.lengths] };
}

describe("incremental merge", () => {
  it("adding, inserting, replacing and removing documents gives the postings of a full merge", async () => {
    const config = fixtureConfig([PLAN, DECREE, copyOf(PLAN, 2)]);
    let previous: { dir: string; segments: { key: string; units: number }[] } | undefined;
    const next = async (docs: FixtureDoc[]) => {
      writeCorpus(config.corpusDir, docs);
      const version = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)));
      setCurrentVersion(config.dataDir, version);
      const dir = path.join(config.dataDir, "index", "versions", version);
      const meta = listVersions(config.dataDir).find((m) => m.version === version)!;
      let base = 0;
      const segments = meta.documents.map((d) => {
        base += d.units;
        return { dir: path.join(segmentsDir(config.dataDir), d.segment), base: base - d.units, units: d.units };
      });
      const full = tempDir("merge-full-");
      const df = mergeLexical(segments, full);
      expect(postings(dir)).toEqual(postings(full));
      // Streamed through buffers of 3 values, so features' postings straddle refills of the read and write buffers.
      if (previous) {
        const streamed = tempDir("merge-streamed-");
        const keyed = meta.documents.map((d, i) => ({ ...segments[i]!, key: d.segment }));
        expect(mergeFromPrevious(previous, keyed, streamed, 3)).toEqual(df);
        expect(postings(streamed)).toEqual(postings(full));
      }
      previous = { dir, segments: meta.documents.map((d) => ({ key: d.segment, units: d.units })) };
      const words = [...df].filter(([k]) => k.startsWith("f:") && !k.includes("_") && /^\p{L}+$/u.test(k.slice(2)));
      const vocabulary = fs.readFileSync(path.join(dir, "vocabulary.txt"), "utf8").trim().split("\n").sort();
      expect(vocabulary).toEqual(words.map(([k, n]) => `${k.slice(2)}\t${n}`).sort());
    };
    await next([PLAN, DECREE, copyOf(PLAN, 2)]);
    await next([PLAN, DECREE, copyOf(PLAN, 2), copyOf(PLAN, 3)]);
    await next([PLAN, copyOf(DECREE, 4), DECREE, copyOf(PLAN, 2), copyOf(PLAN, 3)]);
    const amended = { ...DECREE, text: `${DECREE.text}\n\nĐiều 3. Hiệu lực\n\nNghị định có hiệu lực từ ngày ký, áp dụng cho làng nghề.` };
    await next([PLAN, copyOf(DECREE, 4), amended, copyOf(PLAN, 2), copyOf(PLAN, 3)]);
    await next([PLAN, amended, copyOf(PLAN, 3)]);
  }, 60_000);
});
