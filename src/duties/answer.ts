// Answers from structured duties: "Sở Tài chính phải làm gì?" (an agency's duties, its groups' duties after) and
// "ai báo cáo cho ai, khi nào?" (the reporting chain). Returns null for any other question so retrieval answers it.
import { answerOf, type Answer, type Citation, type DocumentMeta } from "../types.js";
import { fold } from "../text/vietnamese.js";
import { type AgencyRegistry } from "./agencies.js";
import { describeDeadline } from "./deadlines.js";
import type { Agency, Duty, DutyRole } from "./types.js";

export interface DutyAnswerOptions {
  agencies: AgencyRegistry;
  /** Cap on quoted duties in a chat answer (the /viec command passes Infinity). */
  maxCitations?: number;
}

const ROLE_LABEL: Record<DutyRole, string> = {
  chu_tri: "Chủ trì",
  phoi_hop: "Phối hợp",
  thuc_hien: "Thực hiện",
  tham_muu: "Tham mưu",
};

/** Diacritic-free words separated by single spaces ("Sở KH&CN?" → "so kh cn"). */
const words = (text: string) => ` ${fold(text).replace(/[^a-z0-9]+/g, " ").trim()} `;

const REPORT_WORD = / bao cao | report| reporting /;
const REPORT_CUE =
  / (ai|cho ai|ve dau|gui dau|gui ai|o dau|noi nao|co quan nao|khi nao|bao gio|luc nao|ngay nao|han|thoi han|han chot|the nao|ra sao|nhu the nao|che do|quy trinh|dinh ky|truoc ngay|gui ve|gui cho|nop|khong|whom|who|when|where|how|chain) /;
const DUTY_CUE_AFTER =
  / (lam gi|lam nhung gi|lam viec gi|thuc hien gi|thuc hien nhung gi|nhiem vu|trach nhiem|vai tro|cong viec|phan cong|duoc giao|phai lam|can lam|chu tri|phoi hop|tham muu|must|should|do|duties|duty|responsibilities|responsibility|tasks|task|role) /;
/** "X phải xây dựng kế hoạch gì?", "X và Y tham gia thế nào?" */
const DUTY_CUE_LOOSE = / (?:(?:phai|can|duoc giao) (?:\S+ ){1,6}(?:gi|nao|nhung gi)|(?:tham gia|lam|thuc hien|phoi hop) (?:the nao|nhu the nao|ra sao)) /;
const DUTY_CUE_BEFORE =
  / (nhiem vu|trach nhiem|vai tro|cong viec|viec|duties|responsibilities|tasks|role) (cua|danh cho|giao cho|cho|of|for)? ?(the )?$/;

export function isReportingQuestion(question: string): boolean {
  const w = words(question);
  return REPORT_WORD.test(w) && REPORT_CUE.test(w);
}

/** The agency a "what must X do" question is about, or null when the question is not one. */
export function dutyQuestionAgency(question: string, reg: AgencyRegistry): Agency | null {
  for (const m of reg.find(question)) {
    const before = words(question.slice(0, m.start)).replace(/ $/, "");
    const after = words(question.slice(m.end));
    if (DUTY_CUE_AFTER.test(after) || DUTY_CUE_LOOSE.test(after) || DUTY_CUE_BEFORE.test(before)) return m.agency;
  }
  return null;
}

/** True when the question names a document that none of the duties come from (let retrieval answer it). */
function namesOtherDocument(question: string, duties: Duty[], docs: DocumentMeta[]): boolean {
  const w = words(question);
  const dutyDocs = new Set(duties.map((d) => d.doc));
  return docs.some(
    (d) =>
      !dutyDocs.has(d.id) &&
      [...d.aliases, ...(d.number ? [d.number] : [])].some((a) => {
        const f = words(a);
        return f.trim().length >= 4 && w.includes(f);
      }),
  );
}

export function answerDuties(
  question: string,
  duties: Duty[],
  docs: DocumentMeta[],
  opts: DutyAnswerOptions,
): Answer | null {
  const reg = opts.agencies;
  if (!duties.length || namesOtherDocument(question, duties, docs)) return null;
  if (isReportingQuestion(question)) {
    const focus = reg.find(question)[0]?.agency ?? null;
    const a = answerReportingChain(question, duties, docs, { ...opts, agencies: reg }, focus);
    if (a) return a;
  }
  const agency = dutyQuestionAgency(question, reg);
  if (!agency) return null;
  const a = answerAgencyDuties(agency, duties, docs, question, { ...opts, agencies: reg });
  // Nothing structured to say (an agency the plan never names): let retrieval try the other documents.
  return a.abstained ? null : a;
}

// ---------------------------------------------------------------------------------------------------------------
// Agency duties

interface Ranked {
  duty: Duty;
  /** null for the agency's own duties, else the group it inherits them from. */
  group: string | null;
  rank: number[];
}

/** The agency's own duties, then those of its groups (nearest group first), each in document order. */
export function dutiesForAgency(agencyId: string, duties: Duty[], reg: AgencyRegistry): Ranked[] {
  const out: Ranked[] = [];
  for (const d of duties) if (d.actor === agencyId) out.push({ duty: d, group: null, rank: [0, d.via ? 1 : 0, 0, d.order] });
  for (const g of reg.groupsOf(agencyId))
    for (const d of duties) {
      // A group's duty towards the agency itself (report to it, coordinate with it) is not the agency's duty.
      if (d.actor !== g.id || d.recipient === agencyId || d.partners?.includes(agencyId)) continue;
      out.push({ duty: d, group: g.id, rank: [1, g.depth, d.via ? 1 : 0, d.order] });
    }
  return out.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
    return 0;
  });
}

const citeKey = (d: Duty) => `${d.doc}#${d.section}#${d.quote}`;

function titleOf(d: Duty, docs: DocumentMeta[]): string {
  const meta = docs.find((x) => x.id === d.doc);
  return `${meta?.shortTitle ?? d.doc} — ${d.sectionLabel}`;
}

function citation(d: Duty, docs: DocumentMeta[]): Citation {
  return { doc: d.doc, section: d.section, title: titleOf(d, docs), quote: d.quote };
}

/** The short title of the one document every duty comes from ("Kế hoạch … (UBND tỉnh X)"). */
function docPhrase(list: Duty[], docs: DocumentMeta[]): string {
  const ids = [...new Set(list.map((d) => d.doc))];
  const meta = ids.length === 1 ? docs.find((x) => x.id === ids[0]) : undefined;
  return meta ? ` theo ${meta.shortTitle}` : "";
}

function sourcesBlock(citations: Citation[]): string[] {
  return ["Nguồn:", ...[...new Set(citations.map((c) => c.title))].map((t) => `- ${t}`)];
}

export function answerAgencyDuties(
  agency: Agency,
  duties: Duty[],
  docs: DocumentMeta[],
  question: string,
  opts: DutyAnswerOptions,
): Answer {
  const reg = opts.agencies;
  const max = opts.maxCitations ?? 10;
  const ranked = dutiesForAgency(agency.id, duties, reg);
  if (!ranked.length) return noDuties(agency, duties, docs, question);

  // One quote per sentence: the annual and on-request records of IV.2 share it.
  const groups: { group: string | null; items: Duty[][] }[] = [];
  const seen = new Map<string, Duty[]>();
  for (const r of ranked) {
    const k = citeKey(r.duty);
    const same = seen.get(k);
    if (same) {
      same.push(r.duty);
      continue;
    }
    const list = [r.duty];
    seen.set(k, list);
    let g = groups[groups.length - 1];
    if (!g || g.group !== r.group) groups.push((g = { group: r.group, items: [] }));
    g.items.push(list);
  }

  const lines = [`Nhiệm vụ của ${agency.name}${docPhrase(ranked.map((r) => r.duty), docs)}:`];
  if (ranked[0]!.group)
    lines.push(`(Không có nhiệm vụ giao riêng cho ${agency.name}; dưới đây là nhiệm vụ chung của các nhóm cơ quan mà ${agency.name} thuộc về.)`);
  const citations: Citation[] = [];
  let n = 0;
  let omitted = 0;
  for (const g of groups) {
    const header = g.group ? `Nhiệm vụ chung của ${reg.name(g.group)} (${agency.name} là thành viên):` : "Nhiệm vụ riêng:";
    const body: string[] = [];
    for (const list of g.items) {
      if (n >= max) {
        omitted++;
        continue;
      }
      const d = list[0]!;
      const tags = [roleTag(d, reg), ...deadlineTags(list)].filter(Boolean).join("; ");
      body.push(`${++n}. [${tags}] ${d.sectionLabel}: “${shortQuote(d.quote)}”`);
      citations.push(citation(d, docs));
    }
    if (body.length) lines.push("", header, ...body);
  }
  if (omitted) lines.push("", `… và ${omitted} nhiệm vụ chung khác (gõ /viec ${agency.short ?? agency.name} để xem đủ).`);
  if (agency.note) lines.push("", `Lưu ý: ${agency.note}`);
  lines.push("", ...sourcesBlock(citations));
  return answerOf({ question, answer: lines.join("\n"), abstained: false, mode: "extractive", citations });
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
  return a.kind === "group" ? n.charAt(0).toLowerCase() + n.slice(1) : n;
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
function noDuties(agency: Agency, duties: Duty[], docs: DocumentMeta[], question: string): Answer {
  const incoming = duties.filter((d) => d.recipient === agency.id);
  const citations = dedupe(incoming).map((d) => citation(d, docs));
  const lines = [`Không có nhiệm vụ nào${docPhrase(duties, docs)} giao cho ${agency.name}.`];
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

/**
 * "Ai báo cáo cho ai, khi nào?": one line per section ("Các Sở, ngành, địa phương → Sở KH&CN → UBND tỉnh: hằng năm,
 * trước ngày 30/11 và khi có yêu cầu (Mục IV.2)"), then the quotes. With `focus`, only the sections where that agency
 * (or a group it belongs to) sends or receives.
 */
export function answerReportingChain(
  question: string,
  duties: Duty[],
  docs: DocumentMeta[],
  opts: DutyAnswerOptions,
  focus: Agency | null = null,
): Answer | null {
  const reg = opts.agencies;
  const reports = duties.filter(isReport);
  const bySection = new Map<string, Duty[]>();
  for (const d of [...reports].sort((a, b) => a.order - b.order)) {
    const k = `${d.doc}#${d.section}`;
    bySection.set(k, [...(bySection.get(k) ?? []), d]);
  }
  let sections = [...bySection.values()];
  if (focus) {
    const mine = new Set([focus.id, ...reg.groupsOf(focus.id).map((g) => g.id)]);
    const kept = sections.filter((list) => list.some((d) => mine.has(d.actor) || d.recipient === focus.id));
    if (kept.length) sections = kept;
  }
  if (!sections.length) return null;

  // Put first what the question is about: difficulties (IV.3), the recipients block, or the periodic report.
  const w = words(question);
  const kindRank = (list: Duty[]): number => {
    const arising = list.some((d) => d.deadline?.kind === "when_arising");
    const recipients = list.every((d) => d.via === "recipients");
    if (/ (vuong mac|kho khan|phat sinh|tro ngai|van de) /.test(w)) return arising ? 0 : recipients ? 2 : 1;
    if (/ (noi nhan|bo |trung uong|tinh uy|hdnd|hoi dong nhan dan) /.test(w) && !/ (dinh ky|hang nam|truoc ngay) /.test(w))
      return recipients ? 0 : arising ? 2 : 1;
    return recipients ? 2 : arising ? 1 : 0;
  };
  sections.sort((a, b) => kindRank(a) - kindRank(b) || a[0]!.order - b[0]!.order);

  const name = (id: string, text?: string) => (reg.get(id) ? reg.name(id) : (text ?? id));
  const lines = [`Chế độ báo cáo${docPhrase(sections.flat(), docs)} (ai báo cáo cho ai, khi nào):`];
  for (const list of sections) lines.push(`• ${chainLine(list, name)}`);

  const citations: Citation[] = [];
  lines.push("");
  for (const list of sections)
    for (const d of dedupe(list)) {
      lines.push(`${d.sectionLabel}: “${d.quote}”`);
      citations.push(citation(d, docs));
    }
  lines.push("", ...sourcesBlock(citations));
  return answerOf({ question, answer: lines.join("\n"), abstained: false, mode: "extractive", citations });
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
