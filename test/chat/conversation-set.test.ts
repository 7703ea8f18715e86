// The conversation sets are sound: test/conversations.jsonl (tuned on: train/dev split),
// test/conversations-tuning.jsonl, test/conversations-corrections.jsonl and test/conversations-aspect.jsonl (extra follow-ups to tune on, all of them), test/conversations-check.jsonl (written to check a round's changes, not tuned on), test/conversations-fresh.jsonl, test/conversations-fresh2.jsonl, test/conversations-fresh3.jsonl, test/conversations-fresh4.jsonl, test/conversations-fresh5.jsonl, test/conversations-fresh6.jsonl, test/conversations-fresh7.jsonl, test/conversations-fresh8.jsonl, test/conversations-fresh9.jsonl and test/conversations-fresh10.jsonl (written by users' personas before any run on them, not tuned on) and test/conversations-heldout.jsonl
// (written later, scored only before and after a round) are big enough, have
// every kind of turn, a fixed split, and every fact a turn must state found in the documents it expects (so the
// sets check the corpus, not what the assistant happened to answer).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest } from "../../src/corpus/manifest.js";
import { readConversationFile, splitOf, TURN_KINDS } from "../../src/eval/conversations.js";
import { normalizeForQuote } from "../../src/eval/metrics.js";

const root = path.resolve(import.meta.dirname, "../..");
const set = readConversationFile(path.join(root, "test/conversations.jsonl"));
const heldOut = readConversationFile(path.join(root, "test/conversations-heldout.jsonl"));
const tuning = readConversationFile(path.join(root, "test/conversations-tuning.jsonl"));
const corrections = readConversationFile(path.join(root, "test/conversations-corrections.jsonl"));
const aspect = readConversationFile(path.join(root, "test/conversations-aspect.jsonl"));
const check = readConversationFile(path.join(root, "test/conversations-check.jsonl"));
const fresh = readConversationFile(path.join(root, "test/conversations-fresh.jsonl"));
const fresh2 = readConversationFile(path.join(root, "test/conversations-fresh2.jsonl"));
const fresh3 = readConversationFile(path.join(root, "test/conversations-fresh3.jsonl"));
const fresh4 = readConversationFile(path.join(root, "test/conversations-fresh4.jsonl"));
const fresh5 = readConversationFile(path.join(root, "test/conversations-fresh5.jsonl"));
const fresh6 = readConversationFile(path.join(root, "test/conversations-fresh6.jsonl"));
const fresh7 = readConversationFile(path.join(root, "test/conversations-fresh7.jsonl"));
const fresh8 = readConversationFile(path.join(root, "test/conversations-fresh8.jsonl"));
const fresh9 = readConversationFile(path.join(root, "test/conversations-fresh9.jsonl"));
const fresh10 = readConversationFile(path.join(root, "test/conversations-fresh10.jsonl"));
const corpusDir = path.join(root, "corpus");

describe("conversation set", () => {
  it("has at least 40 conversations and 120 turns, with every kind of turn", () => {
    expect(set.length).toBeGreaterThanOrEqual(40);
    expect(set.reduce((n, c) => n + c.turns.length, 0)).toBeGreaterThanOrEqual(120);
    const kinds = new Set(set.flatMap((c) => c.turns.map((t) => t.kind)));
    expect([...kinds].sort()).toEqual([...TURN_KINDS].sort());
    for (const c of set) expect(c.turns[0]!.kind, c.id).toBe("first");
  });

  it("splits train/dev/test the same way every time, each part non-empty", () => {
    const ids = set.map((c) => c.id);
    const a = splitOf(ids);
    expect(splitOf([...ids].reverse())).toEqual(a);
    const counts = { train: 0, dev: 0, test: 0 };
    for (const s of a.values()) counts[s]++;
    expect(counts.train).toBeGreaterThan(counts.test);
    expect(counts.dev).toBeGreaterThan(0);
    expect(counts.test).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ["conversations.jsonl", set],
    ["conversations-heldout.jsonl", heldOut],
    ["conversations-tuning.jsonl", tuning],
    ["conversations-corrections.jsonl", corrections],
    ["conversations-aspect.jsonl", aspect],
    ["conversations-check.jsonl", check],
    ["conversations-fresh.jsonl", fresh],
    ["conversations-fresh2.jsonl", fresh2],
    ["conversations-fresh3.jsonl", fresh3],
    ["conversations-fresh4.jsonl", fresh4],
    ["conversations-fresh5.jsonl", fresh5],
    ["conversations-fresh6.jsonl", fresh6],
    ["conversations-fresh7.jsonl", fresh7],
    ["conversations-fresh8.jsonl", fresh8],
    ["conversations-fresh9.jsonl", fresh9],
    ["conversations-fresh10.jsonl", fresh10],
  ] as const)("%s states only facts found in the documents each turn expects", (_name, conversations) => {
    const manifest = readManifest(corpusDir);
    const text = new Map(
      manifest.documents.map((d) => [
        d.id,
        normalizeForQuote(
          fs.readFileSync(path.join(corpusDir, d.file), "utf8") + ` ${d.supersededBy ?? ""} ${d.statusNote ?? ""}`,
        ).toLowerCase(),
      ]),
    );
    for (const c of conversations)
      for (const t of c.turns) {
        const docs = [...new Set(t.expect.map((e) => e.split("#")[0]!))];
        for (const d of docs) expect(text.has(d), `${c.id}: ${d}`).toBe(true);
        for (const fact of t.must_include) {
          const options = (Array.isArray(fact) ? fact : [fact]).map((s) => s.normalize("NFC").toLowerCase());
          const found = options.some((o) => docs.some((d) => text.get(d)!.includes(o)));
          expect(found, `${c.id} «${t.question}»: ${options.join(" | ")}`).toBe(true);
        }
      }
  });

  it("has a held-out set of at least 20 conversations and 60 turns, every kind present, ids unlike the tuning set's", () => {
    expect(heldOut.length).toBeGreaterThanOrEqual(20);
    expect(heldOut.reduce((n, c) => n + c.turns.length, 0)).toBeGreaterThanOrEqual(60);
    const kinds = new Set(heldOut.flatMap((c) => c.turns.map((t) => t.kind)));
    expect([...kinds].sort()).toEqual([...TURN_KINDS].sort());
    const tuned = new Set(set.map((c) => c.id));
    for (const c of heldOut) {
      expect(c.turns[0]!.kind, c.id).toBe("first");
      expect(tuned.has(c.id), c.id).toBe(false);
    }
  });
});
