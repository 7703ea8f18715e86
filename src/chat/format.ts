// One layout for every channel: a reply becomes styled blocks (paragraphs); each channel only decides
// how a style looks (HTML tags, plain text) and how long a message may be.
import type { Answer, Citation, Section } from "../types.js";
import { documentFacts, messages } from "./messages.js";
import { packBlocks, splitText, type Measure } from "./split.js";
import type { Button, Reply } from "./types.js";

export type BlockStyle = "plain" | "heading" | "quote" | "muted";

export interface Block {
  text: string;
  style?: BlockStyle;
  /** Joined to the previous block by a single line break instead of a blank line. */
  tight?: boolean;
}

export interface LayoutOptions {
  /** Add a line telling users how to open a cited section by text command (channels without buttons). */
  sourceHint: boolean;
  /** The channel lists the cited sections itself (buttons, the web page's list): the text's own list is dropped. */
  sourcesListed?: boolean;
}

const BULLET = /^(?:[-•*]|\d{1,3}[.)])\s+/;

/**
 * The text without its paragraphs that only list cited sections ("Nguồn:" then one title a line), for channels that
 * list the sources themselves, so each source shows once. Other paragraphs, and lists of anything else, stay.
 */
export function withoutSourceList(text: string, citations: Pick<Citation, "title">[]): string {
  const titles = new Set(citations.map((c) => c.title));
  if (!titles.size) return text;
  const onlyTitles = (paragraph: string) => {
    const [header = "", ...lines] = paragraph.trim().split("\n");
    return header.trim().endsWith(":") && lines.length > 0 && lines.every((l) => titles.has(l.trim().replace(BULLET, "")));
  };
  return text
    .split(/\n\s*\n/)
    .filter((p) => !onlyTitles(p))
    .join("\n\n");
}

/** Paragraphs of a multi-line text (blank lines separate paragraphs; single line breaks stay). */
export function paragraphs(text: string, style?: BlockStyle): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ text: p, style }));
}

/** What "Xem thêm" shows, as an answer of its own (so every channel lays it out like one). */
export function moreAnswer(answer: Pick<Answer, "question" | "mode" | "more">): Answer | null {
  if (!answer.more) return null;
  const { text, citations } = answer.more;
  return { question: answer.question, answer: text, lead: "", more: null, abstained: false, mode: answer.mode, citations };
}

/** Each cited section once, in citation order (what "show source" buttons and /xem <n> number). */
export function citedSections(citations: Citation[]): Array<{ citation: Citation; index: number }> {
  const seen = new Set<string>();
  return citations.flatMap((citation, index) => {
    const key = `${citation.doc}#${citation.section}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ citation, index }];
  });
}

export function answerBlocks(answer: Answer, opts: LayoutOptions): Block[] {
  // A follow-up says how it was read, so a wrong reading is visible at once.
  const readAs: Block[] = answer.resolvedQuestion ? [{ text: messages.readAs(answer.resolvedQuestion), style: "muted" }] : [];
  const text = opts.sourceHint || opts.sourcesListed ? withoutSourceList(answer.answer, answer.citations) : answer.answer;
  const blocks = [...readAs, ...paragraphs(text)];
  // The core normally writes each quote into the text; any citation whose quote is not there (e.g. a
  // generated answer) is listed so every channel shows the verbatim source, each section's title once.
  const missing = answer.citations.filter((c) => !answer.answer.includes(c.quote));
  if (missing.length) {
    blocks.push({ text: messages.citationsHeader, style: "heading" });
    for (const title of new Set(missing.map((c) => c.title))) {
      blocks.push({ text: title });
      for (const [i, c] of missing.filter((m) => m.title === title).entries())
        blocks.push({ text: `«${c.quote}»`, style: "quote", tight: i === 0 });
    }
  }
  // Channels without buttons: number the cited sections for "/xem <n>".
  if (opts.sourceHint && answer.citations.length) {
    blocks.push({ text: messages.showSourceHeader, style: "heading" });
    citedSections(answer.citations).forEach(({ citation }, i) => blocks.push({ text: `/xem ${i + 1} — ${citation.title}`, tight: true }));
  }
  if (opts.sourceHint && answer.more) blocks.push({ text: messages.moreHint, style: "muted" });
  return blocks;
}

// "b)", "3.", "II." — the item marker that the breadcrumb keeps and the heading drops.
const marker = (s: Section) => /^(\S{1,6}[.)])\s/.exec(s.breadcrumb[s.breadcrumb.length - 1] ?? "")?.[1];

/** The full text of a cited section: document, where it sits, its heading and paragraphs verbatim. */
export function sourceBlocks(reply: Extract<Reply, { type: "source" }>): Block[] {
  const [top, ...rest] = reply.sections;
  if (!top) return [];
  const blocks: Block[] = [
    { text: messages.sourceHeader, style: "heading" },
    { text: `${reply.document?.shortTitle ?? top.doc} — ${top.label}`, tight: true },
  ];
  const ancestors = top.breadcrumb.slice(0, -1);
  if (ancestors.length) blocks.push({ text: ancestors.join(" › "), style: "muted", tight: true });
  for (const s of [top, ...rest]) {
    const heading = [marker(s), s.heading].filter(Boolean).join(" ");
    if (s.headingIsText) blocks.push({ text: heading, style: "quote" });
    else if (s !== top || s.heading !== top.label) blocks.push({ text: heading, style: "heading" });
    for (const p of s.paragraphs) blocks.push(...paragraphs(p, "quote"));
    const fields = Object.entries(s.fields ?? {}).map(([k, v]) => `${k}: ${v}`);
    if (fields.length) blocks.push({ text: fields.join("\n"), style: "quote" });
    if (s.note) blocks.push({ text: `${messages.sourceNote}: ${s.note}`, style: "muted" });
  }
  if (reply.truncated) blocks.push({ text: messages.sourceTruncated, style: "muted" });
  return blocks;
}

export function replyBlocks(reply: Reply, opts: LayoutOptions): Block[] {
  switch (reply.type) {
    case "text":
      return paragraphs(reply.text);
    case "answer":
      return [...(reply.heading ? [{ text: reply.heading, style: "heading" as const }] : []), ...answerBlocks(reply.answer, opts)];
    case "source":
      return sourceBlocks(reply);
  }
}

/** Button hints as text lines, for channels without buttons. */
export function buttonHints(buttons: Button[][] | undefined): Block[] {
  const hints = (buttons ?? []).flat().flatMap((b) => (b.hint ? [b.hint] : []));
  return hints.length ? [{ text: hints.join("\n") }] : [];
}

/** Blocks for channels without buttons: button hints (e.g. example questions) become text lines. */
export function plainBlocks(reply: Reply, opts: LayoutOptions): Block[] {
  return [...replyBlocks(reply, opts), ...(reply.type === "text" ? buttonHints(reply.buttons) : [])];
}

/** A reply as one plain text without length limit (request/response channels such as the web page). */
export function plainText(reply: Reply): string {
  return packBlocks(plainBlocks(reply, { sourceHint: false }), Number.POSITIVE_INFINITY).join("\n\n");
}

/** Lines of the /nguon reply. */
export function documentsText(docs: Parameters<typeof documentFacts>[0][]): string {
  if (docs.length === 0) return messages.noDocuments;
  const items = docs.map((d, i) => {
    const f = documentFacts(d, docs);
    return `${i + 1}. ${f.title}\n${f.details}`;
  });
  return [messages.documentsHeader, ...items].join("\n\n");
}

/**
 * Render blocks into messages of at most `limit` (as counted by `measure` on the rendered text):
 * over-long paragraphs are cut at natural boundaries first, then paragraphs are packed whole.
 */
export function renderMessages(
  blocks: Block[],
  limit: number,
  render: (text: string, style: BlockStyle) => string,
  measure: Measure = (s) => s.length,
): string[] {
  const rendered: Array<{ text: string; tight: boolean }> = [];
  for (const b of blocks) {
    const style = b.style ?? "plain";
    const pieces = splitText(b.text, limit, (piece) => measure(render(piece, style)));
    pieces.forEach((p, i) => rendered.push({ text: render(p, style), tight: i === 0 && !!b.tight }));
  }
  return packBlocks(rendered, limit, measure);
}
