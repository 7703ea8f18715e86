// Rule-based duty extraction from Vietnamese administrative sentences:
//   "<cơ quan>[, <cơ quan>…] [theo chức năng, nhiệm vụ] chủ trì, phối hợp với <cơ quan…> <việc>"
//   "<cơ quan> phối hợp với <cơ quan…> tham mưu …", "<cơ quan> báo cáo … gửi về X để tổng hợp, báo cáo Y"
//   "Định kỳ hàng năm (trước ngày 30/11) và khi có yêu cầu, <cơ quan> …", "Trong quá trình … nếu có vướng mắc, …"
// plus the Nơi nhận block ("Bộ Khoa học và Công nghệ (Báo cáo);") and appendix table rows (Cơ quan chủ trì/phối hợp).
import type { DocumentMeta, Section } from "../types.js";
import { ownText } from "../sections/parse.js";
import { AGENCY_HEADING } from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";
import { foldAligned, type AgencyMention, type AgencyRegistry, type NormToken } from "./agencies.js";
import { findDeadlines, parseDeadlineCell } from "./periods.js";
import type { Deadline, Duty, DutyRole } from "./types.js";

export { findDeadlines, parseDeadlineCell } from "./periods.js";

export interface ExtractOptions {
  agencies: AgencyRegistry;
  /** Manifest entries: the issuer of each document is the actor of its Nơi nhận "(Báo cáo)" lines. */
  docs?: DocumentMeta[];
}

/** An actor as found in the text: a known agency or an unknown organisation name. */
interface Actor {
  id: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Sentences

const ABBREV_BEFORE_DOT = /(?:^|[\s(])(?:TP|Tp|TT|Q|TS|ThS|PGS|GS|St|No|[A-ZĐ])$/u;

/** Split a paragraph into sentences; every piece is a verbatim slice of the paragraph. */
export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of paragraph.matchAll(/[.!?…]+["”)]?\s+(?=[\p{Lu}“"(])/gu)) {
    const before = paragraph.slice(from, m.index);
    if (m[0].startsWith(".") && !m[0].startsWith("..") && ABBREV_BEFORE_DOT.test(before)) continue;
    const end = m.index + m[0].trimEnd().length;
    out.push(paragraph.slice(from, end).trim());
    from = m.index + m[0].length;
  }
  const last = paragraph.slice(from).trim();
  if (last) out.push(last);
  return out.filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------------
// Actors

const ORG_START =
  /^(?:Bộ(?! trưởng)|Sở|Ban(?! hành)|Ủy ban|Uỷ ban|UBND|Hội đồng|Hội|Liên hiệp|Liên đoàn|Hiệp hội|Đài|Báo|Văn phòng|Ngân hàng|Kho bạc|Tổng cục|Cục|Viện|Quỹ|Chính phủ|Thủ tướng|Các bộ|Các Bộ|Cơ quan|Tỉnh đoàn|Trung tâm|Công an)\s/u;
/** Verbs that reliably end an unknown subject ("Ban Tuyên giáo Trung ương chủ trì …"). */
const ROLE_AFTER_SUBJECT =
  /\s(?:có trách nhiệm|chịu trách nhiệm|chủ trì|phối hợp với|tham mưu|theo chức năng|chủ động|làm đầu mối|giúp Chính phủ|giúp Ủy ban)(?=[\s,:]|$)/u;

function autoId(text: string): string {
  return `auto:${fold(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")}`;
}

/** A known agency when the whole text is one of its aliases, else an unknown organisation. */
function actorFor(reg: AgencyRegistry, text: string): Actor {
  const toks = reg.tokens(text);
  const m = reg.matchAt(toks, 0);
  return m && m.to === toks.length ? { id: m.agency.id, text } : { id: autoId(text), text };
}

/** An unknown organisation name at the start of `text` (up to its verb), e.g. "Ban Tuyên giáo Trung ương". */
function genericSubject(reg: AgencyRegistry, text: string): { actors: Actor[]; length: number } | null {
  if (!ORG_START.test(text)) return null;
  const m = ROLE_AFTER_SUBJECT.exec(text.slice(0, 160));
  if (!m || /[.;:()]/.test(text.slice(0, m.index))) return null;
  const subject = text.slice(0, m.index).replace(/[,\s]+$/, "");
  if (subject.split(/\s+/).length > 16) return null;
  const parts = subject.split(/,\s+/);
  const items = parts.every((p) => ORG_START.test(`${p} `)) ? parts : [subject];
  return { actors: items.map((t) => actorFor(reg, t)), length: m.index };
}

interface ListMatch {
  mentions: AgencyMention[];
  /** Token index after the list, char offset after the list. */
  to: number;
  end: number;
}

/** "A, B và C" starting at token i: a run of agency mentions joined by ",", ";" or "và". */
function parseList(reg: AgencyRegistry, sentence: string, toks: NormToken[], i: number): ListMatch | null {
  const out: AgencyMention[] = [];
  let j = i;
  for (;;) {
    const m = reg.matchAt(toks, j);
    if (!m) break;
    out.push(m);
    j = m.to;
    const next = toks[j];
    if (!next) break;
    const gap = fold(sentence.slice(m.end, next.start));
    if (!/[,;]|(^|\s)va(\s|$)/.test(gap) || !reg.matchAt(toks, j)) break;
  }
  const last = out[out.length - 1];
  return last ? { mentions: out, to: j, end: last.end } : null;
}

const tokenAt = (toks: NormToken[], charPos: number): number => {
  const k = toks.findIndex((t) => t.start >= charPos);
  return k < 0 ? toks.length : k;
};

const toActors = (l: ListMatch, sentence: string): Actor[] =>
  l.mentions.map((m) => ({ id: m.agency.id, text: sentence.slice(m.start, m.end) }));

// Adverbial openers after which the subject follows a comma ("Định kỳ hàng năm …, các Sở … báo cáo").
const OPENER =
  /^(dinh ky|hang nam|moi nam|trong qua trinh|truong hop|can cu|tren co so|khi |neu |sau khi|truoc |de |dong thoi|ngoai ra|ngay )/;
const LEAD_VERBS = [["yeu", "cau"], ["de", "nghi"], ["giao", "cho"], ["giao"]];

interface Subject {
  actors: Actor[];
  /** Char offsets: where the subject starts (text before it is an adverbial prefix) and ends. */
  start: number;
  end: number;
}

function findSubject(reg: AgencyRegistry, sentence: string, folded: string, toks: NormToken[]): Subject | null {
  const starts = [0];
  if (OPENER.test(folded)) for (const m of folded.matchAll(/,\s*/g)) if (m.index < folded.length * 0.7) starts.push(m.index + m[0].length);
  for (const pos of starts) {
    let i = tokenAt(toks, pos);
    const lead = LEAD_VERBS.find((v) => v.every((w, k) => toks[i + k]?.t === w));
    if (lead) i += lead.length;
    const list = parseList(reg, sentence, toks, i);
    // A list that stops at a comma ("Ủy ban nhân dân tỉnh, thành phố trực thuộc …"), a hyphen or a capitalised word
    // ("Ban Tuyên giáo Trung ương") is a longer name we do not know.
    if (list && !/^(?:\s*[,-]|\s+\p{Lu})/u.test(sentence.slice(list.end)))
      // start = where the adverbial prefix ends (filler words such as "các" belong to the subject).
      return { actors: toActors(list, sentence), start: Math.min(pos, list.mentions[0]!.start), end: list.end };
    const at = toks[i]?.start ?? sentence.length;
    const g = genericSubject(reg, sentence.slice(at));
    if (g) return { actors: g.actors, start: at, end: at + g.length };
    // Only the sentence start is tried unless the sentence opens with an adverbial.
    if (pos === 0 && !OPENER.test(folded)) break;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Predicates

const STRIP_LEAD = [
  /^\s*[,:]?\s*/,
  /^theo (?:dung )?chuc nang,? nhiem vu(?:,? quyen han)?(?: (?:cua (?:co quan, don vi|minh)|duoc giao))?,?\s*/,
  /^trong pham vi (?:chuc nang, )?nhiem vu,? quyen han(?: cua minh)?,?\s*/,
  /^co trach nhiem:?\s*/,
  /^(?:duoc )?giao\s*:?\s*/,
];

function stripLead(text: string): string {
  let t = text;
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of STRIP_LEAD) {
      const m = re.exec(foldAligned(t));
      if (m?.[0].length) {
        t = t.slice(m[0].length);
        changed = true;
      }
    }
  }
  return t;
}

const cleanAction = (s: string) =>
  s
    .trim()
    .replace(/[.;:,]+$/, "")
    .trim();

interface Predicate {
  role: DutyRole;
  action: string;
  partners: Actor[];
}

function parsePredicate(reg: AgencyRegistry, rest: string): Predicate {
  const text = stripLead(rest);
  const f = foldAligned(text);
  // "Là cơ quan thường trực, chủ trì, phối hợp với …": the standing role opens a "chủ trì" duty.
  const standing = /^la (?:co quan|don vi|dau moi)[^,;]{0,60},\s*(?=chu tri)/.exec(f);
  if (standing) return { ...parsePredicate(reg, text.slice(standing[0].length)), action: cleanAction(text) };
  const toks = reg.tokens(text);
  const partnersAt = (charPos: number): { partners: Actor[]; after: number } | null => {
    const list = parseList(reg, text, toks, tokenAt(toks, charPos));
    // Partners we cannot all name ("Bộ KH&CN, bộ, cơ quan ngang bộ …"): keep the whole clause in the action.
    if (!list || /^\s*,/.test(text.slice(list.end))) return null;
    return { partners: toActors(list, text), after: list.end };
  };
  let m = /^chu tri\s*(?:,\s*)?/.exec(f);
  if (m) {
    const p = /^(?:phoi hop|ket hop) (?:voi|cung)\s+/.exec(f.slice(m[0].length));
    if (p) {
      const found = partnersAt(m[0].length + p[0].length);
      if (found) return { role: "chu_tri", partners: found.partners, action: cleanAction(text.slice(found.after)) };
    }
    return { role: "chu_tri", partners: [], action: cleanAction(text.slice(m[0].length)) };
  }
  m = /^(?:tham gia )?phoi hop (?:voi|cung)\s+/.exec(f);
  if (m) {
    const found = partnersAt(m[0].length);
    if (found) {
      const tail = text.slice(found.after);
      const lead = /^\s*(?:trong viec|de)\s+/.exec(foldAligned(tail));
      const action = cleanAction(lead ? tail.slice(lead[0].length) : tail);
      return { role: "phoi_hop", partners: found.partners, action: action || cleanAction(text) };
    }
    return { role: "phoi_hop", partners: [], action: cleanAction(text) };
  }
  if (/^tham muu\b/.test(f)) return { role: "tham_muu", partners: [], action: cleanAction(text) };
  m = /phoi hop (?:voi|cung)\s+/.exec(f);
  if (m) {
    const found = partnersAt(m.index + m[0].length);
    return { role: "phoi_hop", partners: found?.partners ?? [], action: cleanAction(text) };
  }
  return { role: "thuc_hien", partners: [], action: cleanAction(text) };
}

interface Report {
  /** Action cut before "gửi về …". */
  action: string;
  recipient: Actor;
  /** "để tổng hợp, báo cáo Y": the recipient's own onward duty. */
  onward?: { action: string; recipient?: Actor };
}

/** "… gửi về X để tổng hợp, báo cáo Y …" / "… báo cáo X …" inside an action. */
function parseReport(reg: AgencyRegistry, action: string): Report | null {
  const f = foldAligned(action);
  if (!/bao cao|^gui /.test(f)) return null;
  const toks = reg.tokens(action);
  for (const m of f.matchAll(/(gui ve|gui cho|gui den|gui toi|gui|bao cao|ve)\s+/g)) {
    const pos = m.index + m[0].length;
    const list = parseList(reg, action, toks, tokenAt(toks, pos));
    let recipient: Actor | undefined;
    let after = pos;
    if (list && list.mentions[0]!.start === toks[tokenAt(toks, pos)]?.start) {
      recipient = toActors(list, action)[0];
      after = list.end;
    } else {
      const g = genericOrgAt(action.slice(pos));
      if (g) {
        recipient = g;
        after = pos + g.text.length;
      }
    }
    if (!recipient) continue;
    const cut = m[1]!.startsWith("gui") ? m.index : after;
    const report: Report = { action: cleanAction(action.slice(0, cut)), recipient };
    const purpose = /^\s*,?\s*(?:de|va)\s+((?:tong hop\s*,?\s*(?:va\s+)?)?(?:bao cao|trinh)\s+)/.exec(f.slice(after));
    if (purpose) {
      const onwardStart = after + purpose[0].length - purpose[1]!.length;
      const rPos = after + purpose[0].length;
      const l2 = parseList(reg, action, toks, tokenAt(toks, rPos));
      const next = l2 ? toActors(l2, action)[0] : (genericOrgAt(action.slice(rPos)) ?? undefined);
      report.onward = { action: cleanAction(action.slice(onwardStart)), ...(next ? { recipient: next } : {}) };
    }
    return report;
  }
  return null;
}

/** An unknown organisation named at the start of a text, cut before the next verb/preposition. */
function genericOrgAt(text: string): Actor | null {
  if (!ORG_START.test(text)) return null;
  const m = /\s(?:về|để|theo|trước|sau|khi|xem xét|tổng hợp|kết quả|tình hình|chậm nhất)\s|[,.;:()]/u.exec(text);
  const name = (m ? text.slice(0, m.index) : text).trim();
  return name ? { id: autoId(name), text: name } : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Sections → duties

/** A sentence that opens with a verb or adverb continues the previous sentence's subject. */
const CONTINUES =
  /^(?:chu dong|tich cuc|dong thoi|kip thoi|thuong xuyen|to chuc|thuc hien|phoi hop|tham muu|bao cao|xay dung|de xuat|trien khai|huong dan|theo doi|kiem tra|dinh ky|hang nam|chiu trach nhiem|bao dam|dam bao|chu tri|tong hop)\b/;

const CONTEXT_HEADING = /^(?:trach nhiem|trach nhiem, quyen han|nhiem vu, quyen han|nhiem vu va quyen han) cua (.+)$/;
const ORG_WORD =
  /^(?:các\s+)?(?:bộ|sở|ban|ủy ban|uỷ ban|hội đồng|hội|liên hiệp|hiệp hội|đài|báo|văn phòng|ngân hàng|kho bạc|cục|viện|quỹ|chính phủ|thủ tướng|cơ quan|tổ chức|trung tâm|công an)\s/u;

type Base = { doc: string; section: string; sectionLabel: string };
type Push = (d: Omit<Duty, "order">) => void;

export function extractDuties(sections: Section[], opts: ExtractOptions): Duty[] {
  return new DutyExtractor(sections, opts).run();
}

/** One pass over a document's sections; context (issuer, "Trách nhiệm của X" headings) is looked up lazily. */
class DutyExtractor {
  private readonly reg: AgencyRegistry;
  private readonly byKey: Map<string, Section>;
  private readonly contextCache = new Map<string, Actor[] | null>();
  private readonly out: Duty[] = [];
  private readonly push: Push = (d) => this.out.push({ ...d, order: this.out.length });

  constructor(
    private readonly sections: Section[],
    private readonly opts: ExtractOptions,
  ) {
    this.reg = opts.agencies;
    this.byKey = new Map(sections.map((s) => [`${s.doc}#${s.id}`, s]));
  }

  run(): Duty[] {
    this.collect();
    return oncePerTask(this.out);
  }

  private collect(): void {
    for (const s of this.sections) {
      if (s.id === "signature") continue;
      const base = { doc: s.doc, section: s.id, sectionLabel: s.label };
      if (s.id === "recipients") this.recipients(s, base);
      else if (s.fields && Object.keys(s.fields).length) extractRow(this.reg, s, base, this.push);
      else for (const paragraph of ownText(s)) this.paragraph(s, base, paragraph);
    }
  }

  /** The issuing body: from the manifest, else the signature block's "TM. …". */
  private issuerOf(doc: string): Actor | null {
    const meta = this.opts.docs?.find((d) => d.id === doc);
    const fromMeta = meta ? this.reg.resolve(meta.issuer) : null;
    if (fromMeta) return { id: fromMeta.id, text: meta!.issuer };
    const sig = this.sections.find((s) => s.doc === doc && s.id === "signature");
    const tm = sig?.paragraphs.map((p) => /^(?:TM|T\/M)\.\s*(.+)$/u.exec(p)?.[1]).find(Boolean);
    if (!tm) return meta ? { id: autoId(meta.issuer), text: meta.issuer } : null;
    const a = this.reg.resolve(tm);
    return a ? { id: a.id, text: tm } : { id: autoId(tm), text: tm };
  }

  /** The actor a whole subtree speaks about: "Điều 28. Trách nhiệm của X" or a parent "X có trách nhiệm:". */
  private contextOf(s: Section): Actor[] | null {
    const key = `${s.doc}#${s.id}`;
    if (this.contextCache.has(key)) return this.contextCache.get(key)!;
    let found = this.headingActors(s) ?? this.colonActors(s);
    if (!found && s.parent) {
      const parent = this.byKey.get(`${s.doc}#${s.parent}`);
      if (parent) found = this.contextOf(parent);
    }
    this.contextCache.set(key, found);
    return found;
  }

  /** "Trách nhiệm của X", or a heading that is X itself ("1. Sở Khoa học và Công nghệ" over its dash items). */
  private headingActors(s: Section): Actor[] | null {
    const h = CONTEXT_HEADING.exec(foldAligned(s.heading).trim());
    const own = s.subject && s.subject === s.heading.replace(/[.:]$/, "").trim() ? (AGENCY_HEADING.exec(s.subject)?.[1] ?? "") : "";
    const named = h ? s.heading.slice(s.heading.length - h[1]!.length).trim() : own;
    if (!named || (h && !ORG_WORD.test(`${named.toLowerCase()} `))) return null;
    const list = parseList(this.reg, named, this.reg.tokens(named), 0);
    // A heading of agencies names them all, or most of it ("Ủy ban MTTQ … và các tổ chức chính trị - xã hội tỉnh").
    if (list && list.mentions[0]!.start === 0 && list.end >= named.replace(/[.\s]+$/, "").length * (h ? 1 : 0.7))
      return toActors(list, named);
    // An unknown name, not a heading that says what the agency does ("Sở X chủ trì …" without a full stop).
    if (!h && ROLE_AFTER_SUBJECT.test(named)) return null;
    return ORG_WORD.test(`${named.toLowerCase()} `) ? [{ id: autoId(named), text: named }] : null;
  }

  private colonActors(s: Section): Actor[] | null {
    const own = ownText(s);
    const lastP = own[own.length - 1];
    if (!lastP || !/:\s*$/.test(lastP)) return null;
    const sentence = splitSentences(lastP).pop() ?? lastP;
    return findSubject(this.reg, sentence, foldAligned(sentence), this.reg.tokens(sentence))?.actors ?? null;
  }

  /** Nơi nhận: "Bộ Khoa học và Công nghệ (Báo cáo);" is the issuer's report to that body. */
  private recipients(s: Section, base: Base): void {
    const issuer = this.issuerOf(s.doc);
    if (!issuer) return;
    for (const p of s.paragraphs) {
      const m = /\(\s*báo cáo\s*\)/iu.exec(p);
      if (!m) continue;
      for (const r of this.reg.find(p.slice(0, m.index)))
        this.push({
          ...base,
          actor: issuer.id,
          actorText: issuer.text,
          role: "thuc_hien",
          action: "gửi văn bản để báo cáo",
          recipient: r.agency.id,
          recipientText: p.slice(r.start, r.end),
          quote: p,
          via: "recipients",
        });
    }
  }

  private paragraph(s: Section, base: Base, paragraph: string): void {
    let carried: Actor[] | null = null;
    for (const [k, sentence] of splitSentences(paragraph).entries()) {
      const folded = foldAligned(sentence);
      const subj = findSubject(this.reg, sentence, folded, this.reg.tokens(sentence));
      let who: { actors: Actor[]; rest: string; prefixEnd: number; via?: Duty["via"] };
      if (subj) {
        who = { actors: subj.actors, rest: sentence.slice(subj.end), prefixEnd: subj.start };
        carried = subj.actors;
      } else if (carried && CONTINUES.test(folded)) {
        // "Chủ động, tích cực đề xuất …" continues the previous sentence's subject.
        who = { actors: carried, rest: sentence, prefixEnd: 0 };
      } else {
        // Under "Điều 28. Trách nhiệm của X" / "X có trách nhiệm:", each point's first sentence is X's duty.
        const ctx = s.parent && k === 0 ? this.contextOf(s) : null;
        if (!ctx || /:\s*$/.test(sentence)) continue;
        who = { actors: ctx, rest: sentence, prefixEnd: 0, via: "context" };
        carried = ctx;
      }
      if (/:\s*$/.test(sentence) && !stripLead(who.rest).replace(/[:\s]/g, "")) continue; // "X có trách nhiệm:"
      this.sentence(base, sentence, who);
    }
  }

  /** The duties one sentence gives: each actor's, the partners' of a lead agency, the recipient's onward report. */
  private sentence(base: Base, sentence: string, who: { actors: Actor[]; rest: string; prefixEnd: number; via?: Duty["via"] }): void {
    const pred = parsePredicate(this.reg, who.rest);
    if (!pred.action) return;
    const deadlines = findDeadlines(sentence, who.prefixEnd);
    const report = parseReport(this.reg, pred.action);
    const partners = pred.partners.map((p) => p.id);
    const each = deadlines.length ? deadlines : [undefined];
    for (const a of who.actors)
      for (const dl of each)
        this.push({
          ...base,
          actor: a.id,
          actorText: a.text,
          role: pred.role,
          action: report ? report.action || pred.action : pred.action,
          ...(report ? { recipient: report.recipient.id, recipientText: report.recipient.text } : {}),
          ...(partners.length ? { partners } : {}),
          ...(dl ? { deadline: dl } : {}),
          quote: sentence,
          ...(who.via ? { via: who.via } : {}),
        });
    // Partners of a lead agency share the task ("Sở KH&CN chủ trì, phối hợp với các Sở, ngành …").
    if (pred.role === "chu_tri")
      for (const p of pred.partners)
        this.push({
          ...base,
          actor: p.id,
          actorText: p.text,
          role: "phoi_hop",
          action: pred.action,
          partners: who.actors.map((a) => a.id),
          quote: sentence,
          via: "partner",
        });
    if (report?.onward) this.onward(base, sentence, report, each);
  }

  /** "… gửi về X để tổng hợp, báo cáo Y": X's own duty, same periodicity (the date is the senders'). */
  private onward(base: Base, sentence: string, report: Report, each: Array<Deadline | undefined>): void {
    const onward = report.onward!;
    for (const dl of each)
      this.push({
        ...base,
        actor: report.recipient.id,
        actorText: report.recipient.text,
        role: "thuc_hien",
        action: onward.action,
        ...(onward.recipient ? { recipient: onward.recipient.id, recipientText: onward.recipient.text } : {}),
        ...(dl ? { deadline: { kind: dl.kind, text: dl.text } } : {}),
        quote: sentence,
        via: "purpose",
      });
  }
}

/**
 * One duty per (agency, action, deadline): the same task reached twice (a sentence's subject and the heading it sits
 * under, a group named twice) is listed, reminded and put in the calendar once. The first record wins; order is kept.
 */
function oncePerTask(duties: Duty[]): Duty[] {
  const seen = new Set<string>();
  const key = (d: Duty) => {
    const dl = d.deadline;
    const when = dl ? [dl.kind, dl.day, dl.month, dl.year].join("/") : "";
    return [d.actor, d.role, d.recipient ?? "", fold(d.action).replace(/\W+/g, " ").trim(), when].join("|");
  };
  return duties.filter((d) => !seen.has(key(d)) && !!seen.add(key(d))).map((d, order) => ({ ...d, order }));
}

/**
 * The agencies of a table cell: "Sở Tư pháp; Sở Tài chính", "Sở Văn hóa, Thể thao và Du lịch", "Ủy ban nhân dân các
 * xã, phường, đặc khu". Known names are read whole (their commas are theirs); other parts split at ";" then ",".
 */
function cellActors(reg: AgencyRegistry, cell: string): Actor[] {
  return cell.split(/\s*;\s*/).flatMap((part): Actor[] => {
    const text = part.trim().replace(/[.,]$/, "");
    if (!text) return [];
    const list = parseList(reg, text, reg.tokens(text), 0);
    if (list && list.mentions[0]!.start === 0 && list.end >= text.length - 1) return toActors(list, text);
    const pieces = text.split(/,\s*/);
    if (pieces.length > 1 && pieces.every((p) => ORG_START.test(`${p} `))) return pieces.map((p) => actorFor(reg, p));
    return [actorFor(reg, text)];
  });
}

/** Appendix table rows: "Cơ quan chủ trì" / "Cơ quan phối hợp" / "Thời gian hoàn thành" cells. */
function extractRow(reg: AgencyRegistry, s: Section, base: Base, push: Push): void {
  const task = s.paragraphs[0];
  if (!task) return;
  const field = (re: RegExp) => Object.entries(s.fields ?? {}).find(([k]) => re.test(fold(k)))?.[1];
  const lead = field(/chu tri/);
  const partner = field(/phoi hop/);
  const when = field(/thoi gian|thoi han|han hoan thanh/);
  const deadline = when ? parseDeadlineCell(when) : undefined;
  const actorsIn = (cell: string) => cellActors(reg, cell);
  const leads = lead ? actorsIn(lead) : [];
  const action = cleanAction(task);
  for (const a of leads)
    push({
      ...base,
      actor: a.id,
      actorText: a.text,
      role: "chu_tri",
      action,
      quote: task,
      ...(deadline ? { deadline } : {}),
      via: "table",
    });
  for (const p of partner ? actorsIn(partner) : [])
    push({
      ...base,
      actor: p.id,
      actorText: p.text,
      role: "phoi_hop",
      action,
      partners: leads.map((a) => a.id),
      quote: task,
      ...(deadline ? { deadline } : {}),
      via: "table",
    });
}
