// The merged postings of a version made from the previous version's instead of from every segment: when a few
// documents are added, replaced or removed, the previous merged arrays are copied with their unit ids
// renumbered (units of removed segments dropped) and the new segments' postings merged in where they belong.
// The result is the same postings as a full merge (mergeLexical); the cost is one pass over the arrays.
import fs from "node:fs";
import type { FileChecks } from "./integrity.js";
import { type LexicalArrays, LexicalIndex, readLexicalArrays } from "./lexical.js";

export interface MergeSegment {
  key: string;
  dir: string;
  /** Global id of the segment's first unit in the new version. */
  base: number;
  units: number;
  /** The segment's files' checks (segment.json), verified as they are read. */
  files?: FileChecks;
}

export interface PreviousVersion {
  dir: string;
  /** The previous version's files' checks (meta.json): damage there is not carried into the new version. */
  files?: FileChecks;
  /** The previous version's segments, in its document order. */
  segments: { key: string; units: number }[];
}

/** Old unit id → new unit id (−1: its segment is gone), and the segments the previous version lacks; null if
 * the kept segments changed order (or a key repeats), which the renumbering cannot express. */
function renumbering(previous: PreviousVersion, segments: MergeSegment[]): { remap: Int32Array; fresh: MergeSegment[] } | null {
  const previousBase = new Map<string, number>();
  let units = 0;
  for (const s of previous.segments) {
    if (previousBase.has(s.key)) return null;
    previousBase.set(s.key, units);
    units += s.units;
  }
  const remap = new Int32Array(units).fill(-1);
  const fresh: MergeSegment[] = [];
  let last = -1;
  for (const s of segments) {
    const at = previousBase.get(s.key);
    if (at === undefined) {
      fresh.push(s);
      continue;
    }
    if (at <= last) return null;
    last = at;
    for (let j = 0; j < s.units; j++) remap[at + j] = s.base + j;
  }
  return { remap, fresh };
}

interface Fresh {
  s: MergeSegment;
  a: LexicalArrays;
}

/** Postings per global feature after the change, and the fresh segments' (segment, local feature) per feature. */
function countPostings(old: LexicalArrays, remap: Int32Array, fresh: Fresh[], anyRemoved: boolean) {
  const ids = new Map<string, number>();
  old.features.forEach((f, id) => ids.set(f, id));
  const features = [...old.features];
  const counts: number[] = [];
  for (let f = 0; f < old.features.length; f++) {
    let n = old.offsets[f + 1]! - old.offsets[f]!;
    if (anyRemoved) for (let j = old.offsets[f]!; j < old.offsets[f + 1]!; j++) if (remap[old.units[j]!]! < 0) n--;
    counts.push(n);
  }
  const freshOf = new Map<number, { a: LexicalArrays; base: number; local: number }[]>();
  for (const { s, a } of fresh)
    a.features.forEach((f, local) => {
      let g = ids.get(f);
      if (g === undefined) {
        g = features.push(f) - 1;
        ids.set(f, g);
        counts.push(0);
      }
      counts[g]! += a.offsets[local + 1]! - a.offsets[local]!;
      const list = freshOf.get(g);
      if (list) list.push({ a, base: s.base, local });
      else freshOf.set(g, [{ a, base: s.base, local }]);
    });
  return { features, counts, freshOf };
}

/**
 * Writes the merged postings of `segments` to `outDir` from the previous version's merged postings and the
 * segments it lacks; returns the features' document frequencies, or null when a full merge is the better
 * way (no usable previous version, or more than a tenth of the segments are new).
 */
export function mergeFromPrevious(previous: PreviousVersion, segments: MergeSegment[], outDir: string): Map<string, number> | null {
  const plan = renumbering(previous, segments);
  if (!plan || plan.fresh.length > Math.max(1, segments.length / 10)) return null;
  const old = readLexicalArrays(previous.dir, previous.files);
  if (old.lengths.length !== plan.remap.length) return null;
  const fresh = plan.fresh.map((s) => ({ s, a: readLexicalArrays(s.dir, s.files) }));
  const kept = segments.length - plan.fresh.length;
  const { features, counts, freshOf } = countPostings(old, plan.remap, fresh, kept < previous.segments.length);
  const keptFeatures = features.filter((_, g) => counts[g]! > 0);
  const offsets = new Uint32Array(keptFeatures.length + 1);
  const total = segments.reduce((n, s) => n + s.units, 0);
  const lengths = new Float32Array(total);
  plan.remap.forEach((u, i) => {
    if (u >= 0) lengths[u] = old.lengths[i]!;
  });
  for (const { s, a } of fresh) lengths.set(a.lengths, s.base);
  let id = 0;
  for (let g = 0; g < features.length; g++) if (counts[g]! > 0) offsets[id + 1] = offsets[id++]! + counts[g]!;
  const units = new Uint32Array(offsets[keptFeatures.length]!);
  const tfs = new Float32Array(units.length);
  let w = 0;
  for (let g = 0; g < features.length; g++) {
    if (counts[g]! === 0) continue;
    const incoming = freshOf.get(g) ?? [];
    let next = 0;
    const flushBefore = (u: number) => {
      for (; next < incoming.length && incoming[next]!.base < u; next++) {
        const { a, base, local } = incoming[next]!;
        for (let j = a.offsets[local]!; j < a.offsets[local + 1]!; j++, w++) {
          units[w] = a.units[j]! + base;
          tfs[w] = a.tfs[j]!;
        }
      }
    };
    if (g < old.features.length)
      for (let j = old.offsets[g]!; j < old.offsets[g + 1]!; j++) {
        const u = plan.remap[old.units[j]!]!;
        if (u < 0) continue;
        flushBefore(u);
        units[w] = u;
        tfs[w++] = old.tfs[j]!;
      }
    flushBefore(Number.POSITIVE_INFINITY);
  }
  if (w !== units.length) throw new Error("Incremental merge miscounted postings");
  fs.mkdirSync(outDir, { recursive: true });
  new LexicalIndex({ features: keptFeatures, offsets, units, tfs, lengths }).write(outDir);
  return new Map(keptFeatures.map((f, i) => [f, offsets[i + 1]! - offsets[i]!]));
}
