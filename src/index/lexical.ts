// BM25 over Vietnamese features (syllables and syllable bigrams, accented and diacritic-free).
export interface LexicalHit {
  i: number;
  score: number;
}

export interface LexicalData {
  n: number;
  avgLen: number;
  lengths: number[];
  /** feature → flat [docIndex, tf, docIndex, tf, …] */
  postings: Record<string, number[]>;
}

const K1 = 1.2;
const B = 0.6;

/** Folded features carry the match; accented ones only break ties toward the spelling the user typed. */
function featureWeight(key: string): number {
  const bigram = key.includes("_");
  if (key.startsWith("a:")) return bigram ? 0.5 : 0.35;
  return bigram ? 1.1 : 1;
}

export class LexicalIndex {
  private constructor(private readonly data: LexicalData) {}

  static build(bags: Map<string, number>[]): LexicalIndex {
    const postings: Record<string, number[]> = {};
    const lengths = bags.map((bag, i) => {
      let len = 0;
      for (const [k, tf] of bag) {
        (postings[k] ??= []).push(i, tf);
        // Length counts folded syllables only, so every feature family shares one normalisation.
        if (k.startsWith("f:") && !k.includes("_")) len += tf;
      }
      return len;
    });
    const avgLen = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
    return new LexicalIndex({ n: bags.length, avgLen, lengths, postings });
  }

  static fromJSON(data: LexicalData): LexicalIndex {
    return new LexicalIndex(data);
  }

  toJSON(): LexicalData {
    return this.data;
  }

  features(): string[] {
    return Object.keys(this.data.postings);
  }

  get size(): number {
    return this.data.n;
  }

  private readonly members = new Map<string, Set<number>>();

  /** Whether unit i contains the feature (from the postings, cached per feature). */
  contains(feature: string, i: number): boolean {
    let set = this.members.get(feature);
    if (!set) {
      const list = this.data.postings[feature] ?? [];
      set = new Set<number>();
      for (let j = 0; j < list.length; j += 2) set.add(list[j]!);
      this.members.set(feature, set);
    }
    return set.has(i);
  }

  df(feature: string): number {
    return (this.data.postings[feature]?.length ?? 0) / 2;
  }

  idf(feature: string): number {
    const df = this.df(feature);
    return Math.log(1 + (this.data.n - df + 0.5) / (df + 0.5));
  }

  /** Scores for every section that shares a feature with the query. */
  score(query: Map<string, number>): Float64Array {
    const { lengths, avgLen, postings } = this.data;
    const scores = new Float64Array(this.data.n);
    for (const [k, qw] of query) {
      const list = postings[k];
      if (!list) continue;
      const w = qw * featureWeight(k) * this.idf(k);
      for (let j = 0; j < list.length; j += 2) {
        const i = list[j]!;
        const tf = list[j + 1]!;
        const norm = tf + K1 * (1 - B + (B * lengths[i]!) / avgLen);
        scores[i]! += (w * tf * (K1 + 1)) / norm;
      }
    }
    return scores;
  }

  search(query: Map<string, number>, k: number): LexicalHit[] {
    const scores = this.score(query);
    const hits: LexicalHit[] = [];
    scores.forEach((score, i) => {
      if (score > 0) hits.push({ i, score });
    });
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }
}
