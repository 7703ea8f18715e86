// Embeddings for the vector side. The default works offline with nothing downloaded: hashed syllable,
// syllable-bigram and character-trigram features of the diacritic-free text (trigrams absorb typos).
// EMBEDDINGS_PROVIDER=openai switches to any OpenAI-compatible /embeddings endpoint (Ollama, vLLM, TEI, OpenAI).
import { Embeddings } from "@langchain/core/embeddings";
import type { Config } from "../config.js";
import type { AnalyzedQuery, Analyzer } from "../text/analyzer.js";
import type { Token } from "../text/tokens.js";

/** Chosen by measurement (bench/results.md): fewer dimensions lose answers on the paraphrase set. */
export const HASH_DIMENSIONS = 1024;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const FNV_OFFSET = 0x811c9dc5;
const fnvStep = (h: number, s: string, from = 0, to = s.length) => {
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
};

/**
 * A document's vector straight from its tokens: the features of hashFeatures, hashed as they are read
 * (fnv1a of the same keys) without building their strings — the build's hot path.
 */
export function documentVector(tokens: Token[], dims = HASH_DIMENSIONS): Float32Array {
  const tf = new Map<number, number>();
  const add = (h: number, w: number) => tf.set(h >>> 0, (tf.get(h >>> 0) ?? 0) + w);
  const U = fnvStep(FNV_OFFSET, "u:");
  const B = fnvStep(FNV_OFFSET, "b:");
  const C = fnvStep(FNV_OFFSET, "c:");
  tokens.forEach((t, i) => {
    add(fnvStep(U, t.fold), 1);
    const prev = i > 0 && !t.brk ? tokens[i - 1] : undefined;
    if (prev) add(fnvStep(fnvStep(fnvStep(B, prev.fold), "_"), t.fold), 1);
    const padded = `#${t.fold}#`;
    for (let j = 0; j + 3 <= padded.length; j++) add(fnvStep(C, padded, j, j + 3), 0.25);
  });
  const v = new Float32Array(dims);
  for (const [h, n] of tf) v[h % dims]! += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(n));
  return normalized(v);
}

function normalized(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** Sparse features of a token sequence: syllables (u:), bigrams (b:) and character trigrams (c:). */
export function hashFeatures(tokens: Token[], weight = 1, into = new Map<string, number>()): Map<string, number> {
  const add = (k: string, w: number) => into.set(k, (into.get(k) ?? 0) + w);
  tokens.forEach((t, i) => {
    add(`u:${t.fold}`, weight);
    const prev = i > 0 && !t.brk ? tokens[i - 1] : undefined;
    if (prev) add(`b:${prev.fold}_${t.fold}`, weight);
    const padded = `#${t.fold}#`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, 0.25 * weight);
  });
  return into;
}

/** Weight of a hashed feature in a question: its rarity in the serving index (documents use none). */
export type FeatureWeight = (key: string) => number;

/**
 * A document's vector depends on its own text only (sublinear term frequency, no corpus statistics), so a
 * document's segment never changes when other documents do; the question side is weighted by rarity.
 */
export function hashVector(features: Map<string, number>, dims = HASH_DIMENSIONS, weight?: FeatureWeight): Float32Array {
  const v = new Float32Array(dims);
  for (const [k, tf] of features) {
    const w = (1 + Math.log(tf)) * (weight ? weight(k) : 1);
    const h = fnv1a(k);
    v[h % dims]! += h & 0x80000000 ? -w : w;
  }
  return normalized(v);
}

/** Rarity of a hashed feature from the lexical index (syllables and bigrams); trigrams weigh 1. */
export function lexicalFeatureWeight(lexical: { df(f: string): number; idf(f: string): number; size: number }): FeatureWeight {
  const unseen = Math.log(1 + lexical.size / 0.5);
  return (k) => {
    if (k.startsWith("c:")) return 1;
    const f = `f:${k.slice(2)}`;
    return lexical.df(f) > 0 ? lexical.idf(f) : unseen;
  };
}

export class HashEmbeddings extends Embeddings {
  constructor(
    private readonly analyzer: Analyzer,
    /** Question-side feature weights (from the serving index); none while building. */
    private readonly weight?: FeatureWeight,
    private readonly dims = HASH_DIMENSIONS,
  ) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(hashVector(hashFeatures(this.analyzer.documentTokens(t)), this.dims)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedAnalyzed(this.analyzer.query(text));
  }

  /** The question's vector from its one analysis (retrieval passes the analysed question; no second pass). */
  embedAnalyzed(q: Pick<AnalyzedQuery, "content" | "expansions">): number[] {
    const features = hashFeatures(q.content);
    for (const p of q.expansions) hashFeatures(p, 0.6, features);
    return Array.from(hashVector(features, this.dims, this.weight));
  }
}

/** Embeddings that can embed an already analysed question (the offline ones); others get its text. */
export function embedsAnalyzed(e: Embeddings): e is Embeddings & Pick<HashEmbeddings, "embedAnalyzed"> {
  return typeof (e as Partial<HashEmbeddings>).embedAnalyzed === "function";
}

/** Any OpenAI-compatible embeddings endpoint; the API key is sent only as a bearer header, never logged. */
export class OpenAICompatibleEmbeddings extends Embeddings {
  constructor(
    private readonly baseUrl: string,
    private readonly model: string,
    private readonly apiKey?: string,
    private readonly timeoutMs = 30000,
  ) {
    super({ maxRetries: 2 });
  }

  private async call(input: string[]): Promise<number[][]> {
    const res = await fetch(`${this.baseUrl.replace(/\/$/, "")}/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) },
      body: JSON.stringify({ model: this.model, input }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`Embeddings endpoint answered HTTP ${res.status}`);
    const body = (await res.json()) as { data?: { embedding: number[]; index?: number }[] };
    if (!Array.isArray(body.data) || body.data.length !== input.length) throw new Error("Embeddings endpoint returned a malformed body");
    return [...body.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += 64) out.push(...(await this.caller.call(() => this.call(texts.slice(i, i + 64)))));
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.caller.call(() => this.call([text])))[0]!;
  }
}

export type EmbeddingsConfig = Pick<Config, "EMBEDDINGS_PROVIDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "EMBEDDINGS_API_KEY">;

export function createEmbeddings(config: EmbeddingsConfig, analyzer: Analyzer, weight?: FeatureWeight): Embeddings {
  if (config.EMBEDDINGS_PROVIDER === "openai") {
    return new OpenAICompatibleEmbeddings(config.EMBEDDINGS_BASE_URL!, config.EMBEDDINGS_MODEL!, config.EMBEDDINGS_API_KEY);
  }
  return new HashEmbeddings(analyzer, weight);
}

export function embeddingsId(config: EmbeddingsConfig): string {
  return config.EMBEDDINGS_PROVIDER === "openai" ? `openai:${config.EMBEDDINGS_MODEL}` : `hash:${HASH_DIMENSIONS}`;
}
