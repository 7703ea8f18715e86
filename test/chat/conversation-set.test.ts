// The conversation sets are sound: test/conversations.jsonl (tuned on: train/dev split),
// test/conversations-tuning.jsonl, test/conversations-corrections.jsonl and test/conversations-aspect.jsonl (extra follow-ups to tune on, all of them), test/conversations-check.jsonl (written to check a round's changes, not tuned on), test/conversations-fresh.jsonl and test/conversations-fresh2.jsonl to test/conversations-fresh12.jsonl (written by users' personas before any run on them, tuned on their train/dev splits only) and test/conversations-heldout.jsonl
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
/** Sets written by users' personas before any run on them: conversations-fresh.jsonl, conversations-fresh2.jsonl … */
const FRESH_SETS = ["", ...Array.from({ length: 11 }, (_, i) => String(i + 2))].map((n) => `conversations-fresh${n}.jsonl`);
const freshSets = FRESH_SETS.map((name) => [name, readConversationFile(path.join(root, "test", name))] as const);
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
    ...freshSets,
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
