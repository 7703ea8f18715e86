// One analyzer for documents and questions, so both sides produce the same features.
import type { Glossary } from "./glossary.js";
import { addFeatures, isStopword, isStopwordAt, memoizedTokenMaker, questionPhraseTokens, tokenize, type Token } from "./tokens.js";

export interface AnalyzedQuery {
  tokens: Token[];
  /** Topic words of the question (no question words), after abbreviation expansion. */
  content: Token[];
  /** Synonym and English expansions, each a phrase. */
  expansions: Token[][];
  /** For each content token: alternative phrases (synonyms, translations) that also count as covering it. */
  alternatives: Map<Token, Token[][]>;
  features: Map<string, number>;
  /** The question with each synonym/English span replaced by its first meaning ("Resolution 57" → "nghị quyết 57"). */
  translated: string;
}

export interface Analyzer {
  /** The glossary knows this diacritic-free word (an abbreviation or an English question word). */
  knows(word: string): boolean;
  /** Chat spelling rewritten (question side only). */
  rewriteChat(text: string, phrase?: (word: string, next: string) => boolean): string;
  documentTokens(text: string): Token[];
  documentFeatures(text: string): Map<string, number>;
  query(text: string): AnalyzedQuery;
}

/** Weight of features that come from synonyms/English rather than the user's own words. */
const EXPANSION_WEIGHT = 0.6;

/** Tokens with each expansion span replaced by its first phrase, as text. */
function translate(tokens: Token[], spans: { start: number; length: number; phrases: Token[][] }[]): string {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const span = spans.find((s) => s.start === i && s.phrases.length > 0);
    if (span) {
      out.push(...span.phrases[0]!.map((t) => t.orig));
      i += span.length;
    } else out.push(tokens[i++]!.orig);
  }
  return out.join(" ");
}

export function createAnalyzer(glossary: Glossary): Analyzer {
  const make = memoizedTokenMaker();
  const documentTokens = (text: string) => glossary.expandAbbreviations(tokenize(text, make));
  return {
    knows: (w) => glossary.knows(w),
    rewriteChat: (text, phrase) => glossary.rewriteChat(text, phrase),
    documentTokens,
    documentFeatures(text) {
      const bag = new Map<string, number>();
      addFeatures(bag, documentTokens(text), { accented: true });
      return bag;
    },
    query(text) {
      const raw = tokenize(text);
      const tokens = glossary.expandAbbreviations(raw);
      // Expansions are matched on the abbreviation-expanded tokens so that spans index into `tokens`.
      const spans = glossary.queryExpansions(tokens);
      const expansions = spans.flatMap((s) => s.phrases.map((p) => glossary.expandAbbreviations(p)));
      const framing = questionPhraseTokens(tokens);
      // Function words where they stand, and the words that frame the question: neither is the topic.
      const notTopic = tokens.map((_, i) => isStopwordAt(tokens, i) || framing.has(i));
      const content = tokens.filter((_, i) => !notTopic[i]);
      const alternatives = new Map<Token, Token[][]>();
      for (const s of spans)
        for (const t of tokens.slice(s.start, s.start + s.length))
          alternatives.set(t, [...(alternatives.get(t) ?? []), ...s.phrases.map((p) => glossary.expandAbbreviations(p))]);
      const bag = new Map<string, number>();
      // Accented features only for words the user wrote with diacritics: "bao" could be báo, bao or bảo.
      addFeatures(bag, tokens, { accented: true, onlyMarked: true });
      // Question words alone ("khi nào", "là gì") say nothing about the topic.
      const stop = new Set(tokens.filter((_, i) => notTopic[i]).flatMap((t) => [t.fold, t.acc]));
      for (const key of [...bag.keys()]) {
        const parts = key.slice(2).split("_");
        if (parts.every((p) => stop.has(p))) bag.delete(key);
      }
      // A translation that is itself only a question word ("who" → "ai") adds nothing to search for.
      for (const p of expansions)
        if (!p.every(isStopword)) addFeatures(bag, p, { accented: false, exactMarked: true, weight: EXPANSION_WEIGHT });
      return { tokens, content, expansions, alternatives, features: bag, translated: translate(tokens, spans) };
    },
  };
}
