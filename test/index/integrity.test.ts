// A damaged index is noticed, named and repaired: every segment and version file has its size and CRC-32
// recorded; a damaged segment file is found when first read (or by the start-up sweep) and rebuilt from the
// corpus document, a damaged version file or meta.json refuses the version (a new one is built from the corpus),
// a damaged CURRENT falls back to the version built from the corpus, and a build never reuses a damaged segment.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assistantFromIndex } from "../../src/answer/index.js";
import { loadCorpus } from "../../src/corpus/load.js";
import type { Logger } from "../../src/log.js";
import { segmentsDir } from "../../src/index/segment.js";
import {
  buildVersion,
  currentVersion,
  embeddingsId,
  IndexDamagedError,
  listVersions,
  loadVersion,
  openIndex,
  setCurrentVersion,
  sweepSegments,
} from "../../src/index/store.js";
import { until } from "../support/until.js";
import { DECREE, fixtureConfig, PLAN, writeCorpus } from "./fixtures.js";

const QUESTION = "Ai lắp đặt trạm quan trắc nước?";

function recordingLog() {
  const lines: string[] = [];
  const add = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const log: Logger = { debug: add("debug"), info: add("info"), warn: add("warn"), error: add("error") };
  return { log, text: () => lines.join("\n") };
}

async function served(docs = [PLAN, DECREE]) {
  const config = fixtureConfig(docs);
  const index = await openIndex(config);
  // Let the start-up sweep of this index finish before a test damages files.
  await sweepSegments(config, index);
  const version = index.meta.version;
  const segmentOf = (id: string) => path.join(segmentsDir(config.dataDir), index.meta.documents.find((d) => d.id === id)!.segment);
  const versionFile = (name: string) => path.join(config.dataDir, "index", "versions", version, name);
  return { config, version, segmentOf, versionFile };
}

const truncate = (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
/** Same size, one byte changed: only the checksum can tell. */
function flipByte(file: string, at = 0.5): void {
  const bytes = fs.readFileSync(file);
  const i = Math.floor(bytes.length * at);
  bytes[i] = bytes[i]! ^ 0x55;
  fs.writeFileSync(file, bytes);
}

describe("damaged segment files", () => {
  it("a truncated sections.json: the question on that document is answered after the segment is rebuilt, the log names the file", async () => {
    const { config, version, segmentOf } = await served();
    const file = path.join(segmentOf(PLAN.id), "sections.json");
    truncate(file);
    const { log, text } = recordingLog();
    const index = await loadVersion(config, version, log);
    const answer = await assistantFromIndex(index).ask(QUESTION);
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0]).toMatchObject({ doc: PLAN.id, section: "II.1" });
    expect(answer.answer).toContain("Sở Khoa học và Công nghệ chủ trì lắp đặt trạm quan trắc nước");
    expect(text()).toContain(`index file damaged {"file":"${path.relative(config.dataDir, file)}"`);
    expect(text()).toContain("index segment rebuilt from the corpus");
    expect(index.health.list()).toEqual([]);
    // The damaged directory is kept aside, the rebuilt one serves the next start as well.
    expect(fs.readdirSync(segmentsDir(config.dataDir)).some((n) => n.includes(".damaged-"))).toBe(true);
    const again = await loadVersion(config, version);
    expect((await assistantFromIndex(again).ask(QUESTION)).citations[0]).toMatchObject({ doc: PLAN.id, section: "II.1" });
  });

  it("a vectors.f32 with one byte changed is found on first use and rebuilt", async () => {
    const { config, version, segmentOf } = await served();
    flipByte(path.join(segmentOf(PLAN.id), "vectors.f32"));
    const index = await loadVersion(config, version);
    const answer = await assistantFromIndex(index).ask(QUESTION);
    expect(answer.citations[0]).toMatchObject({ doc: PLAN.id, section: "II.1" });
    expect(index.health.list()).toEqual([]);
    expect(fs.readFileSync(path.join(segmentOf(PLAN.id), "vectors.f32")).length).toBeGreaterThan(0);
  });

  it("a segment that cannot be rebuilt (its corpus document changed) stays listed as damaged, naming the file", async () => {
    const { config, version, segmentOf } = await served();
    const file = path.join(segmentOf(PLAN.id), "sections.json");
    flipByte(file);
    writeCorpus(config.corpusDir, [{ ...PLAN, text: `${PLAN.text}\n\nIV. KHEN THƯỞNG\n\nTặng bằng khen.` }, DECREE]);
    const index = await loadVersion(config, version);
    await expect(assistantFromIndex(index).ask(QUESTION)).rejects.toThrow(IndexDamagedError);
    expect(index.health.list()).toEqual([
      expect.objectContaining({
        file: path.relative(config.dataDir, file),
        repairing: false,
        repairError: expect.stringContaining(`document ${PLAN.id}`),
      }),
    ]);
  });

  it("the start-up sweep finds a truncated file before any question and rebuilds its segment", async () => {
    const { config, version, segmentOf } = await served();
    const file = path.join(segmentOf(DECREE.id), "duties.json");
    fs.truncateSync(file, 0);
    const { log, text } = recordingLog();
    const index = await loadVersion(config, version, log);
    await sweepSegments(config, index);
    expect(text()).toContain(`index file damaged {"file":"${path.relative(config.dataDir, file)}","reason":"0 bytes, 2 written"`);
    await until(() => text().includes("index segment rebuilt from the corpus"), 10_000, "rebuilt");
    expect(fs.statSync(file).size).toBe(2);
    expect(index.health.list()).toEqual([]);
  });

  it("a build never reuses a damaged segment: it is moved aside and rebuilt", async () => {
    const { config, segmentOf } = await served([PLAN]);
    const dir = segmentOf(PLAN.id);
    const good = fs.readFileSync(path.join(dir, "sections.json"));
    truncate(path.join(dir, "sections.json"));
    writeCorpus(config.corpusDir, [PLAN, DECREE]);
    const { log, text } = recordingLog();
    const v2 = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)), log);
    expect(fs.readFileSync(path.join(dir, "sections.json"))).toEqual(good);
    expect(text()).toContain("index segment damaged: rebuilding it from the corpus");
    expect(text()).toContain(path.join(dir, "sections.json"));
    const index = await loadVersion(config, v2);
    expect((await assistantFromIndex(index).ask(QUESTION)).citations[0]).toMatchObject({ doc: PLAN.id, section: "II.1" });
  });

  it("a build that finds damaged postings of a reused segment while merging rebuilds it and merges again", async () => {
    const { config, segmentOf } = await served([PLAN]);
    const dir = segmentOf(PLAN.id);
    flipByte(path.join(dir, "units.u32"));
    // Not the serving version's merged postings: a new corpus order forces a merge of every segment.
    writeCorpus(config.corpusDir, [DECREE, PLAN]);
    const v2 = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)));
    const index = await loadVersion(config, v2);
    expect((await assistantFromIndex(index).ask(QUESTION)).citations[0]).toMatchObject({ doc: PLAN.id, section: "II.1" });
  });
  it("a change whose serving version's postings are damaged (found while streaming them) merges every segment instead", async () => {
    const { config, versionFile } = await served([PLAN]);
    flipByte(versionFile("tfs.f32"), 0.6);
    writeCorpus(config.corpusDir, [PLAN, DECREE]);
    const { log, text } = recordingLog();
    const v2 = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)), log);
    expect(text()).toContain("serving index version damaged: merging every segment instead");
    expect(text()).toContain(versionFile("tfs.f32"));
    const index = await loadVersion(config, v2);
    expect((await assistantFromIndex(index).ask(QUESTION)).citations[0]).toMatchObject({ doc: PLAN.id, section: "II.1" });
  });
});

describe("damaged version files", () => {
  for (const name of ["units.u32", "offsets.u32", "features.txt", "documents.jsonl"])
    it(`${name} with one byte changed refuses the version, naming the file; start-up builds a new version that answers`, async () => {
      const { config, version, versionFile } = await served();
      flipByte(versionFile(name), 0.3);
      await expect(loadVersion(config, version)).rejects.toThrow(`Index file damaged: ${versionFile(name)}`);
      const { log, text } = recordingLog();
      const index = await openIndex(config, log);
      expect(index.meta.version).not.toBe(version);
      expect(currentVersion(config.dataDir)).toBe(index.meta.version);
      expect(text()).toContain(`index version damaged: building a new one from the corpus`);
      expect(text()).toContain(versionFile(name));
      expect((await assistantFromIndex(index).ask(QUESTION)).citations[0]).toMatchObject({ doc: PLAN.id, section: "II.1" });
    });

  it("a broken meta.json: a clear error naming the file, not a bare JSON error; start-up rebuilds", async () => {
    const { config, version, versionFile } = await served();
    truncate(versionFile("meta.json"));
    await expect(loadVersion(config, version)).rejects.toThrow(`Index file damaged: ${versionFile("meta.json")} (not valid JSON`);
    const { log, text } = recordingLog();
    const index = await openIndex(config, log);
    expect(index.meta.version).not.toBe(version);
    expect(text()).toContain(versionFile("meta.json"));
    expect(listVersions(config.dataDir).map((m) => m.version)).not.toContain(version);
  });

  it("meta.json edited in place (still valid JSON) fails its own checksum", async () => {
    const { config, version, versionFile } = await served();
    const meta = fs.readFileSync(versionFile("meta.json"), "utf8");
    fs.writeFileSync(
      versionFile("meta.json"),
      meta.replace(/"units": ?(\d+)/, (_, n) => `"units":${Number(n) + 1}`),
    );
    await expect(loadVersion(config, version)).rejects.toThrow("checksum of its content does not match");
  });

  it("a damaged CURRENT falls back to the version built from the corpus and is rewritten", async () => {
    const { config, version } = await served();
    const current = path.join(config.dataDir, "index", "CURRENT");
    fs.writeFileSync(current, '{"version":');
    expect(currentVersion(config.dataDir)).toBeNull();
    const { log, text } = recordingLog();
    const index = await openIndex(config, log);
    expect(index.meta.version).toBe(version);
    expect(currentVersion(config.dataDir)).toBe(version);
    expect(text()).toContain(`index pointer damaged {"file":"${current}"`);
    setCurrentVersion(config.dataDir, version);
  });
});
