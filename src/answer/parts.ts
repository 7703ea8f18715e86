// Multi-part questions ("… tối đa bao nhiêu, và hồ sơ gồm giấy tờ gì?"): each part is answered on its own and
// the replies are joined part by part, so the second fact is not lost behind the first.
import { ASKS, PART_SPLIT } from "../text/lexicon.js";
import { isStopword, questionPhraseTokens, tokenize } from "../text/tokens.js";
import { fold } from "../text/vietnamese.js";
import { answerOf, type Answer, type Citation } from "../types.js";

/** Topic words of a part: not question words, not function words ("hạn khi nào?" has one). */
function contentWords(part: string): number {
  const tokens = tokenize(part);
  const framing = questionPhraseTokens(tokens);
  return tokens.filter((t, i) => !isStopword(t) && !framing.has(i) && t.fold.length > 1).length;
}

/** The parts of a question that each ask something (one part when it cannot be split safely). */
export function splitParts(question: string): string[] {
  const parts = question
    .split(PART_SPLIT)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2 || parts.length > 3) return [question];
  const stands = (p: string) => ASKS.test(fold(p).replace(/[^a-z0-9 ]+/g, " ")) && contentWords(p) >= 2;
  return parts.every(stands) ? parts : [question];
}

/** One reply from the answers to each part: each part's lead in turn, then the quotes; unanswered parts said so. */
export function joinParts(question: string, parts: string[], answers: Answer[]): Answer {
  const leads = answers.map((a, i) => (a.abstained ? `${i + 1}) «${parts[i]}»: các văn bản hiện có không đề cập.` : `${i + 1}) ${a.lead}`));
  const seen = new Set<string>();
  const citations: Citation[] = [];
  for (const c of answers.flatMap((a) => a.citations)) {
    const key = `${c.doc}#${c.section}#${c.quote}`;
    if (seen.has(key)) continue;
    seen.add(key);
    citations.push(c);
  }
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
