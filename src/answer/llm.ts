// Optional model (ANSWER_MODE=llm) through any OpenAI-compatible /chat/completions endpoint: it writes the
// whole reply from the numbered evidence of the extractive answer, and rewrites follow-up questions.
// Every sentence it writes is checked against the quotes it cites; on failure or doubt the extractive reply stays.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { nfc } from "../text/vietnamese.js";
import type { Answer, Citation } from "../types.js";

export type LlmConfig = Pick<Config, "LLM_BASE_URL" | "LLM_MODEL" | "LLM_API_KEY" | "LLM_TIMEOUT_MS">;
/** Rewrites an extractive answer; null keeps the extractive one. */
export type ReplyWriter = (answer: Answer) => Promise<Answer | null>;
/** Where agency names are in a text (character spans). */
export type AgencySpans = (text: string) => Array<{ start: number; end: number }>;

const PROMPTS_DIR = path.resolve(import.meta.dirname, "../../prompts");
const NOT_ENOUGH = "KHONG_DU_THONG_TIN";
const NUMBER = /\d+(?:[.,/]\d+)*/g;
const MARKER = /\s*\[(\d{1,2})\]/g;

export const readPrompt = (name: string) => fs.readFileSync(path.join(PROMPTS_DIR, name), "utf8");

/** One completion; throws on HTTP errors, timeouts and empty replies (messages never hold the key). */
export async function complete(config: LlmConfig, prompt: string, maxTokens: number): Promise<string> {
  const res = await fetch(`${config.LLM_BASE_URL!.replace(/\/$/, "")}/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(config.LLM_API_KEY ? { authorization: `Bearer ${config.LLM_API_KEY}` } : {}),
    },
    body: JSON.stringify({ model: config.LLM_MODEL, temperature: 0, max_tokens: maxTokens, messages: [{ role: "user", content: prompt }] }),
    signal: AbortSignal.timeout(config.LLM_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`LLM endpoint answered HTTP ${res.status}`);
  const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
  const text = nfc(body.choices?.[0]?.message?.content ?? "").trim();
  if (!text) throw new Error("LLM endpoint returned no text");
  return text;
}

/** The extractive answer's quotes and those of "Xem thêm", each once, numbered from 1. */
export function evidenceOf(answer: Answer): Citation[] {
  const all = [...answer.citations, ...(answer.more?.citations ?? [])];
  return all.filter((c, i) => all.findIndex((x) => x.doc === c.doc && x.section === c.section && x.quote === c.quote) === i);
}

export function renderReplyPrompt(template: string, question: string, evidence: Citation[]): string {
  const quotes = evidence.map((c, i) => `[${i + 1}] (${c.title}) «${c.quote}»`).join("\n");
  return template.replace("{{question}}", question).replace("{{evidence}}", quotes);
}

// Sentences end at . ! ? followed by space, but never before a "[n]" marker that belongs to them.
const sentencesOf = (line: string) => line.split(/(?<=[.!?…])\s+(?=[^\s[])/u).filter((s) => s.trim());

const numbersIn = (text: string): string[] => text.match(NUMBER) ?? [];
/** `n` occurs in `text` as a whole number (not as part of a longer one: "3" is not in "30/11"). */
const hasNumber = (text: string, n: string) => numbersIn(text).includes(n);

/** Why a sentence cannot be shown (null when every [n] is evidence and its facts are in the cited quotes). */
export function sentenceProblem(sentence: string, evidence: Citation[], agencies?: AgencySpans): string | null {
  const refs = [...sentence.matchAll(MARKER)].map((m) => Number(m[1]));
  if (!refs.length) return "no citation";
  if (refs.some((n) => n < 1 || n > evidence.length)) return "unknown citation";
  const quotes = refs.map((n) => evidence[n - 1]!.quote).join("\n");
  const claim = sentence.replace(MARKER, "");
  if (numbersIn(claim).some((n) => !hasNumber(quotes, n))) return "number not in the cited quotes";
  const lowerQuotes = quotes.toLowerCase();
  const names = (agencies?.(claim) ?? []).map((s) => claim.slice(s.start, s.end));
  if (names.some((name) => !lowerQuotes.includes(name.toLowerCase()))) return "agency not in the cited quotes";
  return null;
}

/** Keeps the checked sentences of a model reply; null when its first paragraph (the lead) fails or nothing is left. */
export function checkedReply(text: string, evidence: Citation[], agencies?: AgencySpans, log?: Logger): string[] | null {
  if (text.includes(NOT_ENOUGH)) return null;
  const paragraphs: string[] = [];
  for (const [i, paragraph] of text.split(/\n\s*\n/).entries()) {
    const lines: string[] = [];
    for (const line of paragraph
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)) {
      const kept = sentencesOf(line).filter((s) => {
        const problem = sentenceProblem(s, evidence, agencies);
        if (problem) log?.info("LLM sentence dropped", { problem, paragraph: i + 1 });
        return !problem;
      });
      if (i === 0 && kept.length !== sentencesOf(line).length) return null;
      if (kept.length) lines.push(kept.join(" "));
    }
    if (lines.length) paragraphs.push(lines.join("\n"));
    else if (i === 0) return null;
  }
  return paragraphs.length ? paragraphs : null;
}

/**
 * Renumbers [n] to cited sections in order of first use (as channels number sources: "/xem 2", "[2] …"); the
 * citations are the evidence used, in that order.
 */
export function renumber(paragraphs: string[], evidence: Citation[]): { text: string; citations: Citation[] } {
  const used: number[] = [];
  const sections: string[] = [];
  const text = paragraphs
    .join("\n\n")
    .replace(/\[(\d{1,2})\]/g, (_m, n: string) => {
      const c = evidence[Number(n) - 1]!;
      if (!used.includes(Number(n))) used.push(Number(n));
      const key = `${c.doc}#${c.section}`;
      if (!sections.includes(key)) sections.push(key);
      return `[${sections.indexOf(key) + 1}]`;
    })
    .replace(/(\[\d+\])\1+/g, "$1");
  return { text, citations: used.map((k) => evidence[k - 1]!) };
}

/** Notes of the extractive answer that must stay (superseded documents, documents not held). */
const notesOf = (answer: Answer) => answer.answer.split("\n").filter((l) => l.startsWith("Lưu ý:"));

export function createReplyWriter(config: LlmConfig, log?: Logger, agencies?: AgencySpans): ReplyWriter {
  const template = readPrompt("answer-reply.md");
  return async (answer) => {
    const evidence = evidenceOf(answer);
    if (!evidence.length) return null;
    let text: string;
    try {
      text = await complete(config, renderReplyPrompt(template, answer.question, evidence), 600);
    } catch (err) {
      log?.warn("LLM reply failed, keeping the extractive reply", { err: (err as Error).message });
      return null;
    }
    const checked = checkedReply(text, evidence, agencies, log);
    if (!checked) {
      log?.info("LLM reply rejected (lead unsupported or nothing left), keeping the extractive reply");
      return null;
    }
    const { text: body, citations } = renumber(checked, evidence);
    const notes = notesOf(answer);
    return {
      ...answer,
      answer: [body, ...(notes.length ? [notes.join("\n")] : [])].join("\n\n"),
      lead: body.split("\n\n")[0]!,
      mode: "llm",
      citations,
    };
  };
}

/** Turns as the follow-up prompt shows them. */
export interface PastTurn {
  question: string;
  standalone: string;
}

/** A model reading of a follow-up as a stand-alone question; null when the model fails or says something odd. */
export function createQuestionRewriter(config: LlmConfig, log?: Logger): (question: string, turns: PastTurn[]) => Promise<string | null> {
  const template = readPrompt("followup.md");
  return async (question, turns) => {
    const history = turns.map((t, i) => `${i + 1}. ${t.standalone}`).join("\n");
    try {
      const text = await complete(config, template.replace("{{history}}", history).replace("{{question}}", question), 120);
      const line = text.replace(/^["«“]|["»”]$/g, "").trim();
      if (/\n/.test(line) || line.length > question.length + 300 || line.includes(NOT_ENOUGH)) return null;
      return line;
    } catch (err) {
      log?.warn("LLM question rewriting failed, using the rules", { err: (err as Error).message });
      return null;
    }
  };
}
