// Index versions made of per-document segments: incremental builds, shared segments, rollback, what is loaded
// with a version (duties, vocabulary, document names) and diverse candidate pools over near-duplicates.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { extractDuties } from "../../src/duties/extract.js";
import { loadAgencyRegistry } from "../../src/duties/agencies.js";
import { segmentsDir } from "../../src/index/segment.js";
import {
  buildVersion,
  embeddingsId,
  listVersions,
  loadVersion,
  openIndex,
  pruneVersions,
  setCurrentVersion,
} from "../../src/index/store.js";
import { candidates, retrieve } from "../../src/retrieve/hybrid.js";
import { analyzeQuery } from "../../src/retrieve/query.js";
import { copyOf, DECREE, fixtureConfig, PLAN, writeCorpus } from "./fixtures.js";

const segmentNames = (dataDir: string) => fs.readdirSync(segmentsDir(dataDir)).sort();
const build = (config: ReturnType<typeof fixtureConfig>) => buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)));

describe("segmented index versions", () => {
  it("adding, replacing and removing a document builds one segment; old versions keep theirs and load", async () => {
    const config = fixtureConfig([PLAN]);
    const v1 = await build(config);
    const [planSegment] = segmentNames(config.dataDir);
    const planFiles = fs.statSync(path.join(segmentsDir(config.dataDir), planSegment!, "sections.json"));

    writeCorpus(config.corpusDir, [PLAN, DECREE]);
    const v2 = await build(config);
    expect(segmentNames(config.dataDir)).toHaveLength(2);
    expect(fs.statSync(path.join(segmentsDir(config.dataDir), planSegment!, "sections.json")).ino).toBe(planFiles.ino);

    const amended = `${PLAN.text}\n\nIV. KHEN THƯỞNG\n\nTặng bằng khen trại cá đạt năng suất cao.`;
    writeCorpus(config.corpusDir, [{ ...PLAN, text: amended }, DECREE]);
    const v3 = await build(config);
    expect(segmentNames(config.dataDir)).toHaveLength(3);
    const meta3 = listVersions(config.dataDir).find((m) => m.version === v3)!;
    expect(meta3.documents.map((d) => d.segment)).not.toContain(planSegment);

    writeCorpus(config.corpusDir, [DECREE]);
    const v4 = await build(config);
    expect(segmentNames(config.dataDir)).toHaveLength(3);

    // Rollback to the first version: a pointer switch; it answers from its own segments.
    setCurrentVersion(config.dataDir, v1);
    const old = await loadVersion(config, v1);
    expect(old.documents.map((d) => d.id)).toEqual([PLAN.id]);
    const r = await retrieve(old, "Ai lắp đặt trạm quan trắc nước?");
    expect(r.ranked[0]!.section).toMatchObject({ doc: PLAN.id, id: "II.1" });
    expect((await loadVersion(config, v2)).documents.map((d) => d.id)).toEqual([PLAN.id, DECREE.id]);
    expect((await loadVersion(config, v4)).documents.map((d) => d.id)).toEqual([DECREE.id]);
  }, 60_000);

  it("segments built in worker threads are the ones built on the calling thread", async () => {
    const docs = [PLAN, DECREE, copyOf(PLAN, 2)];
    const inProcess = fixtureConfig(docs);
    const threaded = { ...fixtureConfig(docs), INDEX_BUILD_THREADS: 2 };
    const v1 = await build(inProcess);
    const v2 = await build(threaded);
    const segmentsOf = (config: typeof inProcess, v: string) => listVersions(config.dataDir).find((m) => m.version === v)!.documents;
    expect(segmentsOf(threaded, v2)).toEqual(segmentsOf(inProcess, v1));
    for (const name of segmentNames(threaded.dataDir))
      for (const file of fs.readdirSync(path.join(segmentsDir(threaded.dataDir), name)))
        expect(fs.readFileSync(path.join(segmentsDir(threaded.dataDir), name, file))).toEqual(
          fs.readFileSync(path.join(segmentsDir(inProcess.dataDir), name, file)),
        );
    const r = await retrieve(await loadVersion(threaded, v2), "Ai lắp đặt trạm quan trắc nước?");
    expect(r.ranked[0]!.section).toMatchObject({ doc: PLAN.id, id: "II.1" });
  }, 60_000);

  it("pruning removes versions beyond the kept ones and the segments no kept version uses", async () => {
    const config = fixtureConfig([PLAN]);
    const v1 = await build(config);
    writeCorpus(config.corpusDir, [DECREE]);
    const v2 = await build(config);
    setCurrentVersion(config.dataDir, v2);
    const old = new Date(Date.now() - 2 * 3600_000);
    for (const name of segmentNames(config.dataDir)) fs.utimesSync(path.join(segmentsDir(config.dataDir), name), old, old);
    pruneVersions(config.dataDir, 1);
    expect(listVersions(config.dataDir).map((m) => m.version)).toEqual([v2]);
    expect(listVersions(config.dataDir).map((m) => m.version)).not.toContain(v1);
    expect(segmentNames(config.dataDir)).toEqual(listVersions(config.dataDir)[0]!.documents.map((d) => d.segment));
  }, 60_000);

  it("loads duties, vocabulary and document names built with the version", async () => {
    const config = fixtureConfig([PLAN, DECREE]);
    const index = await openIndex(config);
    const planSections = index.sections.filter((s) => s.doc === PLAN.id);
    const agencies = loadAgencyRegistry(path.join(config.corpusDir, "agencies.json"));
    const expected = extractDuties(planSections, { agencies, docs: [index.document(PLAN.id)!] });
    expect(index.duties.map((d) => [d.doc, d.section, d.quote])).toEqual(expected.map((d) => [d.doc, d.section, d.quote]));
    expect(index.duties.some((d) => d.section === "II.2")).toBe(true);
    expect(index.duties.every((d) => d.doc === PLAN.id)).toBe(true);
    expect(index.vocabulary.df.get("trac")).toBeGreaterThan(0);
    expect(index.vocabulary.df.has("850")).toBe(false);
    expect(index.names.mentioned("theo nghi dinh 999/2030/ND-CP thi quy lay von tu dau").ids).toEqual([DECREE.id]);
    expect(index.names.mentioned("Kế hoạch cá hồi giao việc gì?").ids).toEqual([PLAN.id]);
    expect(index.names.mentioned("ca hoi").ids).toEqual([]);
  }, 60_000);
});

describe("candidate pools over near-duplicates", () => {
  it("hold one unit per group of copies, the preferred document's copy, and the original wins the ranking", async () => {
    const config = fixtureConfig([PLAN, copyOf(PLAN, 1), copyOf(PLAN, 2), DECREE]);
    const index = await openIndex(config);
    const query = analyzeQuery(index, "trạm quan trắc nước cho trại cá");
    const pool = await candidates(index, query, 10);
    const signatures = pool.map((c) => index.signatures[c.unit]);
    expect(new Set(signatures).size).toBe(pool.length);
    // The body paragraphs exist in three copies; each is in the pool once, from the first document.
    const body = (p: typeof pool) => p.map((c) => index.unit(c.unit).section).filter((s) => s.id !== "preamble" && s.doc !== DECREE.id);
    expect(body(pool).map((s) => s.id)).toEqual(["II.1", "II.2", "I.1"]);
    expect(body(pool).every((s) => s.doc === PLAN.id)).toBe(true);

    const second = index.documents.findIndex((d) => d.id === copyOf(PLAN, 2).id);
    const preferred = await candidates(index, query, 10, (d) => (d === second ? 2 : 1));
    expect(body(preferred)).toHaveLength(3);
    expect(body(preferred).every((s) => s.doc === copyOf(PLAN, 2).id)).toBe(true);

    const r = await retrieve(index, "Ai lắp đặt trạm quan trắc nước tại các trại cá?");
    expect(r.ranked[0]!.section).toMatchObject({ doc: PLAN.id, id: "II.1" });
  }, 60_000);
});
