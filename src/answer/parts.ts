// Multi-part questions ("… tối đa bao nhiêu, và hồ sơ gồm giấy tờ gì?"): each part is answered in turn and the
// replies are joined part by part, so the second fact is not lost behind the first.
import { asksSomething, splitExclusion } from "../retrieve/query.js";
import { COORDINATED_TOPICS, PART_SPLIT } from "../text/lexicon.js";
import { isStopword, questionPhraseTokens, tokenize } from "../text/tokens.js";
import { answerOf, type Answer, type Citation } from "../types.js";

/** Topic words of a part: not question words, not function words ("hạn khi nào?" has one). */
export function contentWords(part: string): number {
  const tokens = tokenize(part);
  const framing = questionPhraseTokens(tokens);
  return tokens.filter((t, i) => !isStopword(t) && !framing.has(i) && t.fold.length > 1).length;
}

/** A part with this many topic words or fewer ("mấy ngày thì được hướng dẫn?") is read with the part before it. */
export const THIN_PART_WORDS = 2;

/**
 * The parts of a question that each ask something (one part when it cannot be split safely). An exclusion
 * ("Ngoài Sở X, sở nào … và sở nào …?") applies to every part.
 */
export function splitParts(question: string): string[] {
  const { focus, excluded } = splitExclusion(question);
  const scope = excluded ? question.slice(0, question.length - focus.length) : "";
  const topics = COORDINATED_TOPICS.exec(focus);
  if (topics && asksSomething(topics[1]!)) return [`${scope}${topics[1]}${topics[2]}?`, `${scope}${topics[1]}${topics[3]}?`];
  const parts = focus
    .split(PART_SPLIT)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2 || parts.length > 3) return [question];
  const stands = (p: string) => asksSomething(p) && contentWords(p) >= 2;
  return parts.every(stands) ? parts.map((p) => `${scope}${p}`) : [question];
}

/** Whether a part's lead quote is (part of) an earlier part's lead quote from the same section. */
function sameQuote(earlier: Citation | undefined, later: Citation | undefined): boolean {
  return !!earlier && !!later && earlier.doc === later.doc && earlier.section === later.section && earlier.quote.includes(later.quote);
}

/** One reply from the answers to each part: each part's lead in turn, then the quotes; unanswered parts said so. */
export function joinParts(question: string, parts: string[], answers: Answer[]): Answer {
  const leads = answers.map((a, i) => {
    if (a.abstained) return `${i + 1}) «${parts[i]}»: các văn bản hiện có không đề cập.`;
    // Two parts answered by the same sentence: the first reply holds both facts.
    const same = answers.findIndex((b, j) => j < i && !b.abstained && sameQuote(b.citations[0], a.citations[0]));
    return same >= 0 ? `${i + 1}) Xem ý ${same + 1} ở trên: cùng một trích dẫn trả lời cả hai ý.` : `${i + 1}) ${a.lead}`;
  });
  // Each source once: a quote already cited (or inside one already cited) is not cited again.
  const citations: Citation[] = [];
  for (const c of answers.flatMap((a) => a.citations)) if (!citations.some((x) => sameQuote(x, c))) citations.push(c);
  const more = answers.flatMap((a) => (a.more?.text ? [a.more] : []));
  return answerOf({
    question,
    answer: leads.join("\n\n"),
    lead: leads.join("\n"),
    more: more.length ? { text: more.map((m) => m.text).join("\n\n"), citations: more.flatMap((m) => m.citations) } : null,
    abstained: answers.every((a) => a.abstained),
    mode: "extractive",
    citations,
  });
}
