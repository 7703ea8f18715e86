// Answers from structured duties: "Sở Tài chính phải làm gì?" (an agency's duties, its groups' duties after) and
// "ai báo cáo cho ai, khi nào?" (the reporting chain), for every plan that carries duties: the plans the question
// names, else the primary plans, grouped by plan when several answer. The lead states the asked fact (the agency's
// own task, the chain with its dates); generic group duties and other routes go to "Xem thêm" (`more`). Returns
// null for any other question so retrieval answers it.
import { answerOf, type Answer, type Citation, type DocumentMeta, type MoreAnswer } from "../types.js";
import { fold } from "../text/vietnamese.js";
import { successorNote, type AgencyRegistry } from "./agencies.js";
import { describeDeadline } from "./deadlines.js";
import { DUTY_CUE_AFTER, DUTY_CUE_BEFORE, DUTY_CUE_LOOSE, ENGLISH_DO, ENGLISH_MARKERS, REPORT_CUE, REPORT_WORD } from "../text/lexicon.js";
import {
  asksOutsideChain,
  type DocumentLookup,
  dutiesByPlan,
  lookupDocuments,
  type DutyQuestion,
  namedDocuments,
  planScope,
  readDutyQuestion,
  words,
} from "./scope.js";
import type { Agency, Duty, DutyRole } from "./types.js";

export interface DutyAnswerOptions {
  agencies: AgencyRegistry;
  /** The duty records grouped by plan and the documents by id, when the caller made them once (a loaded version). */
  plans?: Map<string, Duty[]>;
  document?: DocumentLookup;
  /** Everything in the reply, nothing behind "Xem thêm" (the /viec command). */
  full?: boolean;
  /** Soft cap of a reply about one agency (default AGENCY_REPLY_CHARS), less what a caller puts before it. */
  replyChars?: number;
  /**
   * Plans one reply answers from (default MAX_PLANS_IN_REPLY): a duty question over a corpus of many plans names
   * this many, then how many others answer too and how to ask about one of them.
   */
  maxPlans?: number;
}

/** Default of `DutyAnswerOptions.maxPlans`: a handful of plans, so a reply stays readable on a phone. */
export const MAX_PLANS_IN_REPLY = 3;
/** Plans beyond the shown ones checked to say how many others answer; past this the reply says "more than". */
const PLANS_COUNTED_BEYOND = 200;

const ROLE_LABEL: Record<DutyRole, string> = {
  chu_tri: "Chủ trì",
  phoi_hop: "Phối hợp",
  thuc_hien: "Thực hiện",
  tham_muu: "Tham mưu",
};

/** Own duties quoted in the default reply; the rest is one tap away. */
const SHOWN_DUTIES = 3;

export function isReportingQuestion(q: Pick<DutyQuestion, "words">): boolean {
  return REPORT_WORD.test(q.words) && REPORT_CUE.test(q.words);
}

/** The agency a "what must X do" question is about, or null when the question is not one. */
export function dutyQuestionAgency(q: DutyQuestion): Agency | null {
  for (const m of q.asked) {
    const before = words(q.text.slice(0, m.start)).replace(/ $/, "");
    const after = words(q.text.slice(m.end));
    const englishDo = ENGLISH_DO.test(after) && q.words.split(" ").some((w) => ENGLISH_MARKERS.has(w));
    if (DUTY_CUE_AFTER.test(after) || englishDo || DUTY_CUE_LOOSE.test(after) || DUTY_CUE_BEFORE.test(before)) return m.agency;
  }
  return null;
}

/** Answer from duty records; `asked` is the question, or its reading by the question's one analysis. */
export function answerDuties(asked: string | DutyQuestion, duties: Duty[], docs: DocumentMeta[], opts: DutyAnswerOptions): Answer | null {
  const q = typeof asked === "string" ? readDutyQuestion(asked, docs, opts.agencies) : asked;
  const question = q.text;
  const plans = opts.plans ?? dutiesByPlan(duties);
  const scope = duties.length ? planScope(q.named, plans, docs) : null;
  if (!scope) return null;
  const docOf = opts.document ?? lookupDocuments(docs);
  const ofPlan = (doc: string) => plans.get(doc) ?? [];
  const { excluded } = q;
  if (isReportingQuestion(q)) {
    if (asksOutsideChain(q, scope.flatMap(ofPlan))) return null;
    const focus = q.asked[0]?.agency ?? null;
    const a = byPlan(scope, docOf, opts, (doc) => answerReportingChain(question, ofPlan(doc), docOf, opts, focus, excluded));
    if (a) return a;
  }
  const agency = dutyQuestionAgency(q);
  if (!agency) return null;
  // Nothing structured to say (an agency no plan names): let retrieval try the other documents.
  return byPlan(scope, docOf, opts, (doc) => {
    const a = answerAgencyDuties(agency, ofPlan(doc), docOf, question, opts);
    return a.abstained ? null : a;
  });
}

/** /viec: the agency's duties in every plan that carries duties (or those `text` names), grouped by plan. */
export function agencyDutiesByPlan(agency: Agency, text: string, duties: Duty[], docs: DocumentMeta[], opts: DutyAnswerOptions): Answer {
  const named = namedDocuments(text, docs).map((d) => d.id);
  const byPlanId = dutiesByPlan(duties);
  const plans = [...byPlanId.keys()].filter((id) => !named.length || named.includes(id));
  const docOf = lookupDocuments(docs);
  const answer = byPlan(plans, docOf, opts, (doc) => {
    const a = answerAgencyDuties(agency, byPlanId.get(doc) ?? [], docOf, text, opts);
    return a.abstained ? null : a;
  });
  return (
    answer ??
    answerAgencyDuties(
      agency,
      plans.flatMap((p) => byPlanId.get(p) ?? []),
      docOf,
      text,
      opts,
    )
  );
}

/**
 * The first `max` plans of `scope` that answer, and how many others do: counted up to PLANS_COUNTED_BEYOND more
 * (`more: true` when plans were left unchecked), so a corpus of thousands of plans costs a bounded amount.
 */
function answeringPlans(scope: string[], max: number, answerFor: (doc: string) => Answer | null) {
  const parts: { doc: string; a: Answer }[] = [];
  let others = 0;
  let checked = 0;
  for (const doc of scope) {
    if (parts.length >= max && checked++ >= PLANS_COUNTED_BEYOND) return { parts, others, more: true };
    const a = answerFor(doc);
    if (a && parts.length < max) parts.push({ doc, a });
    else if (a) others++;
  }
  return { parts, others, more: false };
}

/** "và N kế hoạch khác …": the plans a capped reply leaves out, and how to ask about one. */
const otherPlansNote = (others: number, more: boolean) =>
  `Còn ${more ? "hơn " : ""}${others.toLocaleString("vi-VN")} kế hoạch khác cũng có nội dung này: hãy hỏi kèm tên hoặc số hiệu kế hoạch để xem kế hoạch đó.`;

/**
 * One answer per plan; when several plans answer, the reply is grouped by plan (lead lines first), at most
 * `opts.maxPlans` of them, then a line saying how many others answer.
 */
function byPlan(
  scope: string[],
  docOf: DocumentLookup,
  opts: Pick<DutyAnswerOptions, "maxPlans">,
  answerFor: (doc: string) => Answer | null,
): Answer | null {
  const { parts, others, more: unchecked } = answeringPlans(scope, Math.max(1, opts.maxPlans ?? MAX_PLANS_IN_REPLY), answerFor);
  const note = others || unchecked ? otherPlansNote(others, unchecked) : null;
  if (parts.length <= 1 && !note) return parts[0]?.a ?? null;
  if (!parts.length) return null;
  const title = (id: string) => docOf(id)?.shortTitle ?? id;
  const lead = parts.map(({ doc, a }) => `${title(doc)}: ${a.lead}`).join("\n");
  const bodies = parts.map(({ doc, a }) => `Theo ${title(doc)}:\n${a.answer.slice(a.lead.length).trim()}`);
  const mores = parts.filter((p) => p.a.more);
  const more: MoreAnswer | null = mores.length
    ? {
        text: mores.map(({ doc, a }) => `Theo ${title(doc)}:\n${a.more!.text}`).join("\n\n"),
        citations: mores.flatMap((p) => p.a.more!.citations),
      }
    : null;
  const first = parts[0]!.a;
  return answerOf({
    question: first.question,
    answer: [lead, ...bodies, ...(note ? [note] : [])].join("\n\n"),
    lead,
    more,
    abstained: false,
    mode: "extractive",
    citations: parts.flatMap((p) => p.a.citations),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Agency duties

interface Ranked {
  duty: Duty;
  /** null for the agency's own duties, else the group it inherits them from. */
  group: string | null;
  /** The agency it took over (a merger), when the duty was given to that one. */
  mergedFrom?: string;
  rank: number[];
}

/**
 * How directly a record gives the agency its task: the subject of a sentence or the heading it sits under first, then
 * a task-table row (the table lists what the prose assigns), then duties found through another agency's sentence.
 */
const viaRank = (d: Duty): number => (!d.via || d.via === "context" ? 0 : d.via === "table" ? 1 : 2);

/**
 * The agency's own duties (and those of agencies merged into it), then those of its groups (nearest group first),
 * each in document order.
 */
export function dutiesForAgency(agencyId: string, duties: Duty[], reg: AgencyRegistry): Ranked[] {
  const out: Ranked[] = [];
  const merged = reg.agencies.filter((a) => a.mergedInto === agencyId).map((a) => a.id);
  for (const d of duties) {
    if (d.actor === agencyId) out.push({ duty: d, group: null, rank: [0, viaRank(d), 0, d.order] });
    else if (merged.includes(d.actor)) out.push({ duty: d, group: null, mergedFrom: d.actor, rank: [0, viaRank(d), 1, d.order] });
  }
  for (const g of reg.groupsOf(agencyId))
    for (const d of duties) {
      // A group's duty towards the agency itself (report to it, coordinate with it) is not the agency's duty.
      if (d.actor !== g.id || d.recipient === agencyId || d.partners?.includes(agencyId)) continue;
      out.push({ duty: d, group: g.id, rank: [1, g.depth, viaRank(d), d.order] });
    }
  return out.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
    return 0;
  });
}

/**
 * "Chủ tịch UBND huyện có trách nhiệm gì?" asks the office holder: the duties that name the agency under that title
 * ("Chủ tịch Ủy ban nhân dân các xã chịu trách nhiệm …") come first, the rest in their order.
 */
function byAskedTitle(ranked: Ranked[], agency: Agency, question: string, reg: AgencyRegistry): Ranked[] {
  const asked = reg.find(question).find((m) => m.agency.id === agency.id)?.title;
  if (!asked) return ranked;
  const titled = new Set(ranked.filter((r) => reg.find(r.duty.quote).some((m) => m.agency.id === agency.id && m.title === asked)));
  return [...titled, ...ranked.filter((r) => !titled.has(r))];
}

const citeKey = (d: Duty) => `${d.doc}#${d.section}#${d.quote}`;

function titleOf(d: Duty, docOf: DocumentLookup): string {
  const meta = docOf(d.doc);
  return `${meta?.shortTitle ?? d.doc} — ${d.sectionLabel}`;
}

function citation(d: Duty, docOf: DocumentLookup): Citation {
  return { doc: d.doc, section: d.section, title: titleOf(d, docOf), quote: d.quote };
}

/** The short title of the one document every duty comes from ("Kế hoạch … (UBND tỉnh X)"). */
function docPhrase(list: Duty[], docOf: DocumentLookup): string {
  const ids = [...new Set(list.map((d) => d.doc))];
  const meta = ids.length === 1 ? docOf(ids[0]!) : undefined;
  return meta ? ` theo ${meta.shortTitle}` : "";
}

function sourcesBlock(citations: Citation[]): string[] {
  return ["Nguồn:", ...[...new Set(citations.map((c) => c.title))].map((t) => `- ${t}`)];
}

/** One entry per quoted sentence (the yearly and 6-month records of one sentence share it). */
interface Item {
  group: string | null;
  mergedFrom?: string;
  duties: Duty[];
}

function itemsOf(ranked: Ranked[]): Item[] {
  const items: Item[] = [];
  const seen = new Map<string, Item>();
  for (const r of ranked) {
    const key = citeKey(r.duty);
    const same = seen.get(key);
    if (same) same.duties.push(r.duty);
    else {
      const item: Item = { group: r.group, ...(r.mergedFrom ? { mergedFrom: r.mergedFrom } : {}), duties: [r.duty] };
      seen.set(key, item);
      items.push(item);
    }
  }
  return items;
}

/** Numbered lines under a header per group ("Nhiệm vụ chung của Các Sở, Ban, ngành …"), and their citations. */
function itemLines(
  items: Item[],
  agency: Agency,
  reg: AgencyRegistry,
  docOf: DocumentLookup,
  from = 0,
): { lines: string[]; citations: Citation[] } {
  const lines: string[] = [];
  const citations: Citation[] = [];
  let header: string | undefined;
  items.forEach((item, i) => {
    const h = item.group ? `Nhiệm vụ chung của ${reg.name(item.group)} (${agency.name} là thành viên):` : "Nhiệm vụ riêng:";
    if (h !== header) lines.push(...(lines.length ? [""] : []), (header = h));
    const d = item.duties[0]!;
    const was = item.mergedFrom ? `giao cho ${reg.name(item.mergedFrom)} (nay thuộc ${agency.name}); ` : "";
    const tags = [roleTag(d, reg), ...deadlineTags(item.duties)].filter(Boolean).join("; ");
    lines.push(`${from + i + 1}. [${was}${tags}] ${d.sectionLabel}: “${shortQuote(d.quote)}”`);
    citations.push(citation(d, docOf));
  });
  return { lines, citations };
}

/** The asked fact: what the agency must do, from its first duty (or its group's when it has none of its own). */
function agencyLead(agency: Agency, item: Item, reg: AgencyRegistry, docOf: DocumentLookup, verbatim = false): string {
  const d = item.duties[0]!;
  const when = deadlineTags(item.duties);
  // Verbatim: the sentence itself in place of its task, when the reply has no room to quote it below the lead.
  const task = verbatim ? `“${d.quote}”` : `${shortQuote(d.action, 200)}${when.length ? ` (${when.join("; ")})` : ""}`;
  const where = `${d.sectionLabel}${docPhrase([d], docOf)}`;
  if (item.group)
    return (
      `Kế hoạch không giao việc riêng cho ${agency.name}; là thành viên ${inline(item.group, reg)}, ` +
      `${agency.name} ${lowerFirst(roleTag(d, reg))}: ${task} — ${where}.`
    );
  const who = item.mergedFrom ? `${agency.name} (tiếp nhận nhiệm vụ của ${reg.name(item.mergedFrom)})` : agency.name;
  return `${who} — ${lowerFirst(roleTag(d, reg))}: ${task} — ${where}.`;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

export function answerAgencyDuties(
  agency: Agency,
  duties: Duty[],
  docOf: DocumentLookup,
  question: string,
  opts: DutyAnswerOptions,
): Answer {
  const reg = opts.agencies;
  const ranked = byAskedTitle(dutiesForAgency(agency.id, duties, reg), agency, question, reg);
  const formerName = successorAnswer(agency, ranked, duties, docOf, question, opts);
  if (formerName) return formerName;
  if (!ranked.length) return noDuties(agency, duties, docOf, question);
  const items = itemsOf(ranked);
  const own = items.filter((i) => !i.group);
  const wanted = opts.full ? items.length : own.length ? Math.min(own.length, SHOWN_DUTIES) : Math.min(items.length, 2);
  const lead = agencyLead(agency, items[0]!, reg, docOf);
  const note = agency.note ? `Lưu ý: ${agency.note}` : "";
  // The reply stays phone-sized: duties (then the note) that would pass AGENCY_REPLY_CHARS go behind "Xem thêm".
  const fits = (n: number, withNote: boolean) =>
    opts.full ||
    agencyReply(lead, itemLines(items.slice(0, n), agency, reg, docOf), withNote ? note : "").length <=
      (opts.replyChars ?? AGENCY_REPLY_CHARS);
  let shownCount = wanted;
  while (shownCount > 1 && !fits(shownCount, !!note)) shownCount--;
  const noteShown = !!note && fits(shownCount, true);
  // Not even one duty fits below the lead: the lead quotes it, and the list starts behind "Xem thêm".
  const compact = !fits(shownCount, false);
  const shown = compact
    ? { lines: [], citations: itemLines(items.slice(0, 1), agency, reg, docOf).citations }
    : itemLines(items.slice(0, shownCount), agency, reg, docOf);
  if (compact) shownCount = 1;
  const rest = items.slice(shownCount);
  let more: MoreAnswer | null = null;
  if (rest.length || (note && !noteShown)) {
    const extra = itemLines(rest, agency, reg, docOf, shownCount);
    const text = [
      ...extra.lines,
      ...(note && !noteShown ? ["", note] : []),
      ...(extra.citations.length ? ["", ...sourcesBlock(extra.citations)] : []),
    ];
    more = { text: text.join("\n").trim(), citations: extra.citations };
  }
  const shownLead = compact ? agencyLead(agency, items[0]!, reg, docOf, true) : lead;
  const answer = agencyReply(shownLead, shown, noteShown ? note : "");
  return answerOf({ question, answer, lead: shownLead, abstained: false, mode: "extractive", citations: shown.citations, more });
}

/** Soft cap (characters) of a reply about one agency's duties; the rest is in "Xem thêm". */
export const AGENCY_REPLY_CHARS = 700;

function agencyReply(lead: string, shown: { lines: string[]; citations: Citation[] }, note: string): string {
  const list = shown.lines.length ? ["", ...shown.lines] : [];
  return [lead, ...list, ...(note ? ["", note] : []), "", ...sourcesBlock(shown.citations)].join("\n");
}

/**
 * A question naming a former agency ("Sở Tài nguyên và Môi trường") that the plan does not name itself: the agency
 * that replaced it answers, and the lead says so. Null when the former agency has duties of its own here.
 */
function successorAnswer(
  agency: Agency,
  ranked: Ranked[],
  duties: Duty[],
  docOf: DocumentLookup,
  question: string,
  opts: DutyAnswerOptions,
): Answer | null {
  const reg = opts.agencies;
  const next = agency.mergedInto ? reg.get(agency.mergedInto) : undefined;
  if (!next || ranked.some((r) => !r.group)) return null;
  const note = `${successorNote(reg, agency)}. `;
  const a = answerAgencyDuties(next, duties, docOf, question, {
    ...opts,
    replyChars: (opts.replyChars ?? AGENCY_REPLY_CHARS) - note.length,
  });
  if (a.abstained) return null;
  return answerOf({ ...a, answer: `${note}${a.answer}`, lead: undefined, more: a.more });
}

/**
 * The answer text shows at most ~300 characters of a very long sentence (a list of ten plans); the citation keeps
 * the whole verbatim sentence.
 */
export function shortQuote(quote: string, max = 300): string {
  if (quote.length <= max) return quote;
  const cut = quote.slice(0, max);
  const at = Math.max(cut.lastIndexOf("; "), cut.lastIndexOf(", "), cut.lastIndexOf(" "));
  return `${cut.slice(0, at > max / 2 ? at : max).trimEnd()} …`;
}

/** Display name inside a phrase: groups read as common nouns ("các cơ quan, đơn vị liên quan"). */
function inline(id: string, reg: AgencyRegistry, fallback?: string): string {
  const a = reg.get(id);
  if (!a) return fallback ?? id;
  const n = reg.shortName(id);
  // "Các Sở, ngành" reads "các Sở, ngành" mid-sentence; an abbreviation ("UBND các huyện") stays as written.
  return a.kind === "group" && /^\p{Lu}\p{Ll}/u.test(n) ? n.charAt(0).toLowerCase() + n.slice(1) : n;
}

function roleTag(d: Duty, reg: AgencyRegistry): string {
  const label = ROLE_LABEL[d.role];
  const partners = (d.partners ?? []).filter((p) => reg.get(p)).map((p) => inline(p, reg));
  if (d.role === "phoi_hop" && partners.length) return `${label} với ${partners.join(", ")}`;
  if (d.role === "chu_tri") return label;
  if (d.recipient) return `${label}, gửi ${inline(d.recipient, reg, d.recipientText)}`;
  return label;
}

function deadlineTags(list: Duty[]): string[] {
  return [...new Set(list.flatMap((d) => (d.deadline ? [describeDeadline(d.deadline)] : [])))];
}

/** An agency the plan gives no duty: say so, and show what it receives (e.g. Bộ KH&CN in Nơi nhận). */
function noDuties(agency: Agency, duties: Duty[], docOf: DocumentLookup, question: string): Answer {
  const incoming = duties.filter((d) => d.recipient === agency.id);
  const citations = dedupe(incoming).map((d) => citation(d, docOf));
  const lines = [`Không có nhiệm vụ nào${docPhrase(duties, docOf)} giao cho ${agency.name}.`];
  if (incoming.length) {
    lines.push("", `${agency.name} là nơi nhận báo cáo:`);
    for (const d of dedupe(incoming)) lines.push(`- ${d.sectionLabel}: “${d.quote}”`);
    lines.push("", ...sourcesBlock(citations));
  }
  return answerOf({ question, answer: lines.join("\n"), abstained: !incoming.length, mode: "extractive", citations });
}

function dedupe(list: Duty[]): Duty[] {
  const seen = new Set<string>();
  return list.filter((d) => !seen.has(citeKey(d)) && !!seen.add(citeKey(d)));
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting chain

const isReport = (d: Duty) => !!d.recipient && (d.via === "recipients" || /bao cao|trinh/.test(fold(d.action)));

/** Report duties by section, in document order; only sections where `focus` (or a group of it) sends or receives. */
function reportSections(duties: Duty[], reg: AgencyRegistry, focus: Agency | null, excluded: Set<string>): Duty[][] {
  const bySection = new Map<string, Duty[]>();
  for (const d of duties.filter((x) => isReport(x) && !excluded.has(x.actor)).sort((a, b) => a.order - b.order)) {
    const k = `${d.doc}#${d.section}`;
    bySection.set(k, [...(bySection.get(k) ?? []), d]);
  }
  const sections = [...bySection.values()];
  if (!focus) return sections;
  const mine = new Set([focus.id, ...reg.groupsOf(focus.id).map((g) => g.id)]);
  const kept = sections.filter((list) => list.some((d) => mine.has(d.actor) || d.recipient === focus.id));
  return kept.length ? kept : sections;
}

/** Put first what the question is about: difficulties, the recipients block, else the dated periodic report. */
function byWhatIsAsked(question: string): (list: Duty[]) => number {
  const w = words(question);
  const kind = (list: Duty[]) =>
    list.some((d) => d.deadline?.kind === "when_arising")
      ? "arising"
      : list.every((d) => d.via === "recipients")
        ? "recipients"
        : list.some((d) => d.deadline?.day)
          ? "dated"
          : "other";
  let order = ["dated", "other", "arising", "recipients"];
  if (/ (vuong mac|kho khan|phat sinh|tro ngai|van de) /.test(w)) order = ["arising", "dated", "other", "recipients"];
  else if (/ (noi nhan|bo |trung uong|tinh uy|hdnd|hoi dong nhan dan) /.test(w) && !/ (dinh ky|hang nam|truoc ngay) /.test(w))
    order = ["recipients", "dated", "other", "arising"];
  return (list) => order.indexOf(kind(list));
}

/**
 * "Ai báo cáo cho ai, khi nào?": the lead is the chain the question is about with its dates ("Các Sở, ngành →
 * Sở KH&CN → UBND tỉnh: 6 tháng, trước ngày 15/6 và hằng năm, trước ngày 15/12 (Mục III.6)"), then its quotes;
 * the other routes (difficulties, Nơi nhận) are in `more`. Agencies in `excluded` ("ngoài …") are left out.
 */
export function answerReportingChain(
  question: string,
  duties: Duty[],
  docOf: DocumentLookup,
  opts: DutyAnswerOptions,
  focus: Agency | null = null,
  excluded: Set<string> = new Set(),
): Answer | null {
  const reg = opts.agencies;
  const sections = reportSections(duties, reg, focus, excluded);
  if (!sections.length) return null;
  const rank = byWhatIsAsked(question);
  sections.sort((a, b) => rank(a) - rank(b) || a[0]!.order - b[0]!.order);
  const name = (id: string, text?: string) => (reg.get(id) ? reg.name(id) : (text ?? id));
  const quotes = (list: Duty[][]) => {
    const cited = list.flatMap((l) => dedupe(l));
    return { lines: cited.map((d) => `${d.sectionLabel}: “${d.quote}”`), citations: cited.map((d) => citation(d, docOf)) };
  };
  const shownCount = opts.full ? sections.length : 1;
  const shown = quotes(sections.slice(0, shownCount));
  const lead = `Chế độ báo cáo${docPhrase(sections.flat(), docOf)}: ${chainLine(sections[0]!, name)}`;
  const lines = [lead, ...sections.slice(1, shownCount).map((l) => `• ${chainLine(l, name)}`), "", ...shown.lines];
  lines.push("", ...sourcesBlock(shown.citations));
  const rest = sections.slice(shownCount);
  let more: MoreAnswer | null = null;
  if (rest.length) {
    const extra = quotes(rest);
    const text = [...rest.map((l) => `• ${chainLine(l, name)}`), "", ...extra.lines, "", ...sourcesBlock(extra.citations)];
    more = { text: text.join("\n"), citations: extra.citations };
  }
  return answerOf({ question, answer: lines.join("\n"), lead, more, abstained: false, mode: "extractive", citations: shown.citations });
}

function chainLine(list: Duty[], name: (id: string, text?: string) => string): string {
  const label = list[0]!.sectionLabel;
  if (list.every((d) => d.via === "recipients")) {
    const to = [...new Set(list.map((d) => name(d.recipient!, d.recipientText)))];
    return `${name(list[0]!.actor, list[0]!.actorText)} → ${to.join(", ")}: gửi văn bản để báo cáo (${label}).`;
  }
  // Follow actor → recipient from the senders that nobody reports to.
  const received = new Set(list.map((d) => d.recipient));
  const start = list.find((d) => !received.has(d.actor)) ?? list[0]!;
  const path = [name(start.actor, start.actorText)];
  const visited = new Set([start.actor]);
  for (let cur: Duty | undefined = start; cur?.recipient && !visited.has(cur.recipient); ) {
    path.push(name(cur.recipient, cur.recipientText));
    visited.add(cur.recipient);
    const from: string = cur.recipient;
    cur = list.find((d) => d.actor === from);
  }
  const senders = list.filter((d) => d.actor === start.actor);
  const when = [...new Set(senders.flatMap((d) => (d.deadline ? [describeDeadline(d.deadline)] : [])))];
  const written = senders.some((d) => /bang van ban/.test(fold(d.action))) ? ", bằng văn bản" : "";
  return `${path.join(" → ")}: ${when.length ? when.join(" và ") : "theo quy định"}${written} (${label}).`;
}
