// Embeddings for the vector side. The default works offline with nothing downloaded: hashed, IDF-weighted
// syllable, syllable-bigram and character-trigram features of the diacritic-free text (trigrams absorb typos).
// EMBEDDINGS_PROVIDER=openai switches to any OpenAI-compatible /embeddings endpoint (Ollama, vLLM, TEI, OpenAI).
import { Embeddings } from "@langchain/core/embeddings";
import type { Config } from "../config.js";
import type { Analyzer } from "../text/analyzer.js";
import type { Token } from "../text/tokens.js";

export const HASH_DIMENSIONS = 1024;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sparse features of a token sequence, before IDF weighting. */
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

export class HashEmbeddings extends Embeddings {
  constructor(
    private readonly analyzer: Analyzer,
    /** Inverse document frequency per feature, fitted on the corpus at index build. */
    private readonly idf: Record<string, number>,
    private readonly dims = HASH_DIMENSIONS,
  ) {
    super({});
  }

  /** Fit IDF on document texts (document frequency over sections). */
  static fitIdf(analyzer: Analyzer, texts: string[]): Record<string, number> {
    const df = new Map<string, number>();
    for (const text of texts) for (const k of hashFeatures(analyzer.documentTokens(text)).keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const idf: Record<string, number> = {};
    for (const [k, d] of df) idf[k] = Math.log(1 + texts.length / d);
    idf["__unknown__"] = Math.log(1 + texts.length);
    return idf;
  }

  private vector(features: Map<string, number>): number[] {
    const v = new Float64Array(this.dims);
    const unknown = this.idf["__unknown__"] ?? 1;
    for (const [k, tf] of features) {
      const w = (1 + Math.log(tf)) * (this.idf[k] ?? unknown);
      const h = fnv1a(k);
      v[h % this.dims]! += h & 0x80000000 ? -w : w;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.vector(hashFeatures(this.analyzer.documentTokens(t))));
  }

  async embedQuery(text: string): Promise<number[]> {
    const q = this.analyzer.query(text);
    const features = hashFeatures(q.content);
    for (const p of q.expansions) hashFeatures(p, 0.6, features);
    return this.vector(features);
  }
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

export function createEmbeddings(config: Config, analyzer: Analyzer, idf: Record<string, number>): Embeddings {
  if (config.EMBEDDINGS_PROVIDER === "openai") {
    return new OpenAICompatibleEmbeddings(config.EMBEDDINGS_BASE_URL!, config.EMBEDDINGS_MODEL!, config.EMBEDDINGS_API_KEY);
  }
  return new HashEmbeddings(analyzer, idf);
}
