// The merged postings of a version made from the previous version's instead of from every segment: when a few
// documents are added, replaced or removed, the previous merged arrays are copied with their unit ids
// renumbered (units of removed segments dropped) and the new segments' postings merged in where they belong.
// The result is the same postings as a full merge (mergeLexical); the cost is one pass over the arrays, streamed
// from file to file.
import fs from "node:fs";
import path from "node:path";
import { forEachLine, readFloat32, readUint32, TypedReader, TypedWriter, writeLines, writeTyped } from "./binary.js";
import type { FileChecks } from "./integrity.js";
import { LEXICAL_FILES, type LexicalArrays, readLexicalArrays } from "./lexical.js";

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

type FreshPostings = { a: LexicalArrays; base: number; local: number }[];

/** What a merge holds of the previous version: its feature dictionary, offsets and unit lengths, not its postings. */
interface PreviousHead {
  features: string[];
  offsets: Uint32Array;
  lengths: Float32Array;
}

function readHead(previous: PreviousVersion): PreviousHead {
  const f = LEXICAL_FILES;
  const checks = previous.files;
  const features: string[] = [];
  forEachLine(path.join(previous.dir, f.features), (line) => features.push(line), checks?.[f.features]);
  return {
    features,
    offsets: readUint32(path.join(previous.dir, f.offsets), checks?.[f.offsets]),
    lengths: readFloat32(path.join(previous.dir, f.lengths), checks?.[f.lengths]),
  };
}

/** One of the previous version's postings arrays, streamed in feature order. */
const previousArray = (previous: PreviousVersion, name: "units" | "tfs", chunk?: number) =>
  new TypedReader(
    path.join(previous.dir, LEXICAL_FILES[name]),
    name === "units" ? Uint32Array : Float32Array,
    previous.files?.[LEXICAL_FILES[name]],
    chunk,
  );

/** Every feature after the change (the previous ones, then those only fresh segments have), and the fresh
 * segments' (segment, local feature) per feature. */
function freshFeatures(old: PreviousHead, fresh: Fresh[]) {
  const ids = new Map<string, number>();
  old.features.forEach((f, id) => ids.set(f, id));
  const features = [...old.features];
  const freshOf = new Map<number, FreshPostings>();
  for (const { s, a } of fresh)
    a.features.forEach((f, local) => {
      let g = ids.get(f);
      if (g === undefined) {
        g = features.push(f) - 1;
        ids.set(f, g);
      }
      const list = freshOf.get(g);
      if (list) list.push({ a, base: s.base, local });
      else freshOf.set(g, [{ a, base: s.base, local }]);
    });
  return { features, freshOf };
}

/**
 * Streams every feature's postings to `out` in one pass: the previous ones (renumbered, dropped where their unit
 * is gone) with the fresh segments' merged in by unit id. Returns how many each feature kept (0: it is gone).
 */
function writePostings(
  old: PreviousHead,
  featureCount: number,
  remap: Int32Array,
  freshOf: Map<number, FreshPostings>,
  input: { units: TypedReader; tfs: TypedReader },
  out: { units: TypedWriter; tfs: TypedWriter },
): Uint32Array {
  const counts = new Uint32Array(featureCount);
  for (let g = 0; g < featureCount; g++) {
    const before = out.units.written;
    const incoming = freshOf.get(g) ?? [];
    let next = 0;
    const flushBefore = (u: number) => {
      for (; next < incoming.length && incoming[next]!.base < u; next++) {
        const { a, base, local } = incoming[next]!;
        for (let j = a.offsets[local]!; j < a.offsets[local + 1]!; j++) {
          out.units.push(a.units[j]! + base);
          out.tfs.push(a.tfs[j]!);
        }
      }
    };
    if (g < old.features.length)
      for (let j = old.offsets[g]!; j < old.offsets[g + 1]!; j++) {
        const u = remap[input.units.next()]!;
        const tf = input.tfs.next();
        if (u < 0) continue;
        flushBefore(u);
        out.units.push(u);
        out.tfs.push(tf);
      }
    flushBefore(Number.POSITIVE_INFINITY);
    counts[g] = out.units.written - before;
  }
  return counts;
}

/**
 * Writes the merged postings of `segments` to `outDir` from the previous version's merged postings and the
 * segments it lacks; returns the features' document frequencies, or null when a full merge is the better
 * way (no usable previous version, or more than a tenth of the segments are new). The previous postings are
 * streamed (read and written through buffers of `chunk` values), so memory holds the feature dictionary, the
 * offsets and unit lengths, not the postings of the corpus.
 */
export function mergeFromPrevious(
  previous: PreviousVersion,
  segments: MergeSegment[],
  outDir: string,
  chunk?: number,
): Map<string, number> | null {
  const plan = renumbering(previous, segments);
  if (!plan || plan.fresh.length > Math.max(1, segments.length / 10)) return null;
  const old = readHead(previous);
  if (old.lengths.length !== plan.remap.length) return null;
  const fresh = plan.fresh.map((s) => ({ s, a: readLexicalArrays(s.dir, s.files) }));
  const { features, freshOf } = freshFeatures(old, fresh);
  const lengths = new Float32Array(segments.reduce((n, s) => n + s.units, 0));
  plan.remap.forEach((u, i) => {
    if (u >= 0) lengths[u] = old.lengths[i]!;
  });
  for (const { s, a } of fresh) lengths.set(a.lengths, s.base);
  fs.mkdirSync(outDir, { recursive: true });
  const f = LEXICAL_FILES;
  const input = { units: previousArray(previous, "units", chunk), tfs: previousArray(previous, "tfs", chunk) };
  const out = {
    units: new TypedWriter(path.join(outDir, f.units), Uint32Array, chunk),
    tfs: new TypedWriter(path.join(outDir, f.tfs), Float32Array, chunk),
  };
  let counts: Uint32Array;
  try {
    counts = writePostings(old, features.length, plan.remap, freshOf, input, out);
    input.units.close();
    input.tfs.close();
  } finally {
    input.units.abandon();
    input.tfs.abandon();
    out.units.close();
    out.tfs.close();
  }
  const keptFeatures = features.filter((_, g) => counts[g]! > 0);
  const offsets = new Uint32Array(keptFeatures.length + 1);
  let id = 0;
  for (let g = 0; g < features.length; g++) if (counts[g]! > 0) offsets[id + 1] = offsets[id++]! + counts[g]!;
  writeLines(path.join(outDir, f.features), keptFeatures);
  writeTyped(path.join(outDir, f.offsets), offsets);
  writeTyped(path.join(outDir, f.lengths), lengths);
  return new Map(keptFeatures.map((feature, i) => [feature, offsets[i + 1]! - offsets[i]!]));
}
