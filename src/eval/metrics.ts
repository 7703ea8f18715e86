// Scoring of answers against an eval file (format: ../shared/eval/README.md).
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { stripFrontMatter } from "../sections/clean.js";
import { UNSTATED_PREFIX } from "../answer/unstated.js";
import type { Answer, DocumentMeta } from "../types.js";

export const evalItemSchema = z.object({
  id: z.string(),
  question: z.string(),
  expect: z.array(z.string()).default([]),
  must_include: z.array(z.union([z.string(), z.array(z.string())])).default([]),
  must_not_include: z.array(z.string()).default([]),
  should_abstain: z.boolean().default(false),
  cat: z.string().optional(),
});
export type EvalItem = z.infer<typeof evalItemSchema>;

/** One validated item per non-empty line of a JSONL file; a bad line names the file, the line and `what`. */
export function readJsonl<T>(file: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, what: string): T[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l, n) => {
      try {
        return schema.parse(JSON.parse(l));
      } catch (err) {
        throw new Error(`${file}:${n + 1}: not ${what} (${(err as Error).message.slice(0, 200)})`);
      }
    });
}

export function readEvalFile(file: string): EvalItem[] {
  return readJsonl(file, evalItemSchema, "an eval item");
}

/** Source text for faithfulness checks: Markdown escapes and emphasis removed, whitespace folded. */
export function normalizeForQuote(text: string): string {
  return stripFrontMatter(text.normalize("NFC").replace(/\r\n?/g, "\n"))
    .body.replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/\\([\\`*_{}[\]()#+\-.!&|<>~"'])/g, "$1")
    .replace(/\*+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

export function loadSourceTexts(corpusDir: string, documents: DocumentMeta[]): Map<string, string> {
  return new Map(documents.map((d) => [d.id, normalizeForQuote(fs.readFileSync(path.join(corpusDir, d.file), "utf8"))]));
}

export function citationMatches(citation: { doc: string; section: string }, expected: string): boolean {
  const [doc, section] = expected.split("#");
  if (citation.doc !== doc) return false;
  if (!section) return true;
  return citation.section === section || citation.section.startsWith(`${section}.`);
}

export interface ItemResult {
  id: string;
  question: string;
  abstained: boolean;
  shouldAbstain: boolean;
  hitRank: number | null;
  missingIncludes: string[];
  forbidden: string[];
  unfaithful: string[];
  cited: string[];
  /** All must_include facts appear in the lead (the direct answer); null when the item has none to check. */
  leadHolds: boolean | null;
  /** Characters of the default reply. */
  length: number;
  /** The lead says first that the documents do not state the asked value ("Văn bản không nêu …"). */
  unstated?: boolean;
  /** Declined with the nearest parts named. */
  pointers?: boolean;
}

export interface Metrics {
  items: number;
  "hit@1": number;
  "hit@3": number;
  "hit@5": number;
  must_include: number;
  abstention: number;
  /** Share of should_abstain items declined, or answered with "the documents do not state …" first. */
  declined_or_unstated: number;
  /** Share of should_abstain items declined with the nearest parts named (`Answer.nearest`): no claim, but noise. */
  declined_with_pointers: number;
  false_abstention: number;
  /** Share of answerable items whose lead still says "Văn bản không nêu …": a claim the documents contradict. */
  unstated_answerable: number;
  faithfulness: number;
  /** Share of in-scope items with must_include whose facts all appear in `lead`. */
  lead: number;
  /** Median and 90th percentile of reply length (characters) over answered items. */
  median_reply: number;
  p90_reply: number;
}

const lower = (s: string) => s.normalize("NFC").toLowerCase();

/** must_include items (an item that is a list means any one of them) missing from a text. */
function missingFrom(text: string, mustInclude: EvalItem["must_include"]): string[] {
  const t = lower(text);
  return mustInclude
    .filter((m) => !(Array.isArray(m) ? m : [m]).some((s) => t.includes(lower(s))))
    .map((m) => (Array.isArray(m) ? m.join(" | ") : m));
}

export function scoreItem(item: EvalItem, answer: Answer, sources: Map<string, string>): ItemResult {
  const text = lower(answer.answer);
  const rank = answer.citations.findIndex((c) => item.expect.some((e) => citationMatches(c, e)));
  const missingIncludes = missingFrom(answer.answer, item.must_include);
  const checksLead = !item.should_abstain && item.must_include.length > 0;
  const unfaithful = answer.citations
    .filter((c) => !(sources.get(c.doc) ?? "").includes(c.quote.replace(/\s+/g, " ").trim()))
    .map((c) => `${c.doc}#${c.section}: ${c.quote.slice(0, 80)}`);
  return {
    id: item.id,
    question: item.question,
    abstained: answer.abstained,
    shouldAbstain: item.should_abstain,
    hitRank: rank >= 0 ? rank + 1 : null,
    missingIncludes: item.should_abstain ? [] : missingIncludes,
    forbidden: item.must_not_include.filter((s) => text.includes(lower(s))),
    unfaithful,
    cited: answer.citations.map((c) => `${c.doc}#${c.section}`),
    leadHolds: checksLead ? missingFrom(answer.lead, item.must_include).length === 0 : null,
    length: [...answer.answer].length,
    unstated: !answer.abstained && answer.lead.startsWith(UNSTATED_PREFIX),
    pointers: !!answer.nearest?.length,
  };
}

export function aggregate(items: EvalItem[], results: ItemResult[], quotes: number): Metrics {
  const answerable = results.filter((r) => !r.shouldAbstain);
  const withExpect = answerable.filter((r) => (items.find((i) => i.id === r.id)?.expect.length ?? 0) > 0);
  const hit = (k: number) => withExpect.filter((r) => r.hitRank !== null && r.hitRank <= k).length / Math.max(1, withExpect.length);
  const includeTotal = answerable.reduce((n, r) => n + (items.find((i) => i.id === r.id)?.must_include.length ?? 0), 0);
  const includeMissing = answerable.reduce((n, r) => n + r.missingIncludes.length, 0);
  const abstainItems = results.filter((r) => r.shouldAbstain);
  const unfaithful = results.reduce((n, r) => n + r.unfaithful.length, 0);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const leadItems = results.filter((r) => r.leadHolds !== null);
  const lengths = results.filter((r) => !r.abstained).map((r) => r.length);
  return {
    items: results.length,
    "hit@1": round(hit(1)),
    "hit@3": round(hit(3)),
    "hit@5": round(hit(5)),
    must_include: round(includeTotal ? 1 - includeMissing / includeTotal : 1),
    abstention: round(abstainItems.length ? abstainItems.filter((r) => r.abstained).length / abstainItems.length : 1),
    declined_or_unstated: round(
      abstainItems.length ? abstainItems.filter((r) => r.abstained || r.unstated).length / abstainItems.length : 1,
    ),
    declined_with_pointers: round(
      abstainItems.length ? abstainItems.filter((r) => r.abstained && r.pointers).length / abstainItems.length : 0,
    ),
    false_abstention: round(answerable.length ? answerable.filter((r) => r.abstained).length / answerable.length : 0),
    unstated_answerable: round(answerable.length ? answerable.filter((r) => r.unstated).length / answerable.length : 0),
    faithfulness: round(quotes ? 1 - unfaithful / quotes : 1),
    lead: round(leadItems.length ? leadItems.filter((r) => r.leadHolds).length / leadItems.length : 1),
    median_reply: percentile(lengths, 0.5),
    p90_reply: percentile(lengths, 0.9),
  };
}

/** Nearest-rank percentile (0 for an empty list). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** The document an item is about: that of its first expected section; "(out of scope)" for abstention items. */
export function itemDocument(item: EvalItem): string {
  if (item.should_abstain) return "(out of scope)";
  return item.expect[0]?.split("#")[0] ?? "(no expected section)";
}

/** Items grouped by a key, each group with its results and metrics (e.g. per category, per document). */
export function groupedMetrics(items: EvalItem[], results: ItemResult[], key: (item: EvalItem) => string): Map<string, Metrics> {
  const groups = new Map<string, EvalItem[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  const out = new Map<string, Metrics>();
  for (const [name, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const ids = new Set(group.map((i) => i.id));
    const mine = results.filter((r) => ids.has(r.id));
    out.set(
      name,
      aggregate(
        group,
        mine,
        mine.reduce((n, r) => n + r.cited.length, 0),
      ),
    );
  }
  return out;
}
