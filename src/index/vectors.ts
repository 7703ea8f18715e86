// The vector side: each segment's unit vectors in one Float32 file. Similarity is computed for the candidates
// a query brings (rows read from disk on demand), never for the whole corpus: measured, ranking every unit by
// vector (HNSW) added nothing over the lexical candidates (bench/results.md) and could not be updated per document.
import path from "node:path";
import { readFloat32Rows } from "./binary.js";

export interface VectorSegment {
  dir: string;
  /** Global id of the segment's first unit. */
  base: number;
  units: number;
  dims: number;
}

export class VectorStore {
  /** Segments whose vectors file has been verified (once, before its first rows are read). */
  private readonly verified = new Set<VectorSegment>();

  constructor(
    private readonly segments: VectorSegment[],
    /** Verifies a segment's vectors file whole (throws when damaged); called once per segment. */
    private readonly verify: (s: VectorSegment) => void = () => {},
  ) {}

  /** The segment holding global unit `unit` (binary search over bases). */
  private segmentOf(unit: number): VectorSegment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.base <= unit) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo]!;
  }

  /** Cosine similarity (vectors are unit length) of the query to each given unit, clamped at 0. */
  similarity(query: ArrayLike<number>, units: number[]): Map<number, number> {
    const bySegment = new Map<VectorSegment, number[]>();
    for (const u of units) {
      const s = this.segmentOf(u);
      bySegment.set(s, [...(bySegment.get(s) ?? []), u]);
    }
    const out = new Map<number, number>();
    for (const [s, list] of bySegment) {
      if (s.dims !== query.length) continue;
      if (!this.verified.has(s)) {
        this.verify(s);
        this.verified.add(s);
      }
      const rows = readFloat32Rows(
        path.join(s.dir, "vectors.f32"),
        s.dims,
        list.map((u) => u - s.base),
      );
      for (const u of list) {
        const v = rows.get(u - s.base)!;
        let dot = 0;
        for (let d = 0; d < s.dims; d++) dot += v[d]! * query[d]!;
        out.set(u, Math.max(0, dot));
      }
    }
    return out;
  }
}
