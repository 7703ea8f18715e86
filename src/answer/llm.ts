// Optional LLM wording of the answer's lead sentence (ANSWER_MODE=llm), through any OpenAI-compatible
// /chat/completions endpoint. Quotes and citations stay verbatim and extractive; on any failure or doubt
// the extractive lead is kept.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { Answer } from "../types.js";

export type LeadWriter = (answer: Answer) => Promise<string | null>;

const PROMPT_FILE = path.resolve(import.meta.dirname, "../../prompts/answer-lead.md");
const NOT_ENOUGH = "KHONG_DU_THONG_TIN";

export function renderPrompt(template: string, answer: Answer): string {
  const quotes = answer.citations.map((c, i) => `[${i + 1}] (${c.title}) «${c.quote}»`).join("\n");
  return template.replace("{{question}}", answer.question).replace("{{quotes}}", quotes);
}

/** A lead the model wrote is used only if it is one short line that invents no number absent from the quotes. */
export function acceptableLead(lead: string, answer: Answer): boolean {
  if (!lead || lead.includes(NOT_ENOUGH) || lead.length > 400 || /\n|https?:\/\//.test(lead)) return false;
  const quoted = answer.citations.map((c) => c.quote).join(" ");
  return (lead.match(/\d+(?:[/.,]\d+)*/g) ?? []).every((n) => quoted.includes(n));
}

export function createLeadWriter(config: Config, log?: Logger): LeadWriter {
  const template = fs.readFileSync(PROMPT_FILE, "utf8");
  const url = `${config.LLM_BASE_URL!.replace(/\/$/, "")}/chat/completions`;
  return async (answer) => {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(config.LLM_API_KEY ? { authorization: `Bearer ${config.LLM_API_KEY}` } : {}),
        },
        body: JSON.stringify({
          model: config.LLM_MODEL,
          temperature: 0,
          max_tokens: 200,
          messages: [{ role: "user", content: renderPrompt(template, answer) }],
        }),
        signal: AbortSignal.timeout(config.LLM_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`LLM endpoint answered HTTP ${res.status}`);
      const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
      const lead = body.choices?.[0]?.message?.content?.trim() ?? "";
      if (!acceptableLead(lead, answer)) {
        log?.info("LLM lead rejected, keeping the extractive lead");
        return null;
      }
      return lead;
    } catch (err) {
      log?.warn("LLM lead failed, keeping the extractive lead", { err: (err as Error).message });
      return null;
    }
  };
}

/** Replace the first line (the lead) of an extractive answer. */
export function withLead(answer: Answer, lead: string): Answer {
  const lines = answer.answer.split("\n");
  return { ...answer, answer: [lead, ...lines.slice(1)].join("\n"), lead, mode: "llm" };
}
