// Document → section tree along the document's own hierarchy, with ids, labels and breadcrumbs.
//   plan      (kế hoạch):  I. › 1. › a)                     ids "II.3.b"
//   party     (nghị quyết, kết luận, chương trình): A- › I- › 1. › 2.1- › a), Điều N., PHỤ LỤC tables
//   articles  (luật, nghị định, thông tư): Điều N. › khoản 1. › điểm a)   ids "D22.1.b"
// Every style also yields "preamble", "recipients" (Nơi nhận) and "signature" when present.
import type { DocumentStyle, Section } from "../types.js";
import { AGENCY_HEADING, DOER_HEADING, SUBJECT_HEADING, TABLE_COLUMNS } from "../text/lexicon.js";
import { fold, isAllCaps, sentenceCase } from "../text/vietnamese.js";
import { cleanLines } from "./clean.js";

type Kind = "part" | "dieu" | "roman" | "num" | "subnum" | "point" | "appendix" | "group" | "row";

const RANK: Record<Kind, number> = {
  part: 0,
  appendix: 0,
  dieu: 1,
  roman: 1,
  group: 1,
  num: 2,
  row: 2,
  subnum: 3,
  point: 4,
};

interface Heading {
  kind: Kind;
  label: string;
  text: string;
  /** For "2.1-": the number of the item it belongs to ("2"). */
  parentNum?: string;
}

const RE = {
  /**
   * A provision of another text inserted by the national codification (Bộ pháp điển): "Điều 12.3.QĐ.1.1." heads
   * Điều 1 of a Quyết định placed after the law's Điều 8. It is no Điều 12 of the law.
   */
  codified: /^Điều\s+(\d+(?:\.[\p{L}\d]+){2,})\.?\s*$/u,
  dieu: /^Điều\s+(\d+[a-zđ]?)\s*\.(?!\d)\s*(.*)$/u,
  part: /^([A-E])\s*-\s*(\S.*)$/u,
  roman: /^([IVXL]+)\s*[.\-–]\s*(\S.*)$/u,
  subnum: /^(\d{1,2})\.(\d{1,2})\s*[.-]\s*(\S.*)$/u,
  num: /^(\d{1,3})\s*[.-]\s*(\S.*)$/u,
  point: /^([a-zđ])\)\s*(\S.*)$/u,
  recipients: /^(Nơi|Noi) nhận\s*:?\s*(.*)$/iu,
  signature: /^(TM\.|T\/M|KT\.|TL\.|Q\.\s)/u,
  appendix: /^PHỤ LỤC\s+([IVXL]+|\d+)\b\s*(.*)$/u,
};

/** The value of a Roman numeral of headings ("IV" → 4; I, V, X, L). */
export function romanToInt(r: string): number {
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };
  let n = 0;
  for (let i = 0; i < r.length; i++) {
    const cur = v[r[i]!] ?? 0;
    const next = v[r[i + 1] ?? ""] ?? 0;
    n += cur < next ? -cur : cur;
  }
  return n;
}

/** The id of a codified insert: its code with dots as dashes ("PĐ12-3-QĐ-1-1"), so it is no clause of Điều 12. */
const CODIFIED_ID = "PĐ";

function classify(text: string, style: DocumentStyle): Heading | null {
  let m = RE.codified.exec(text);
  if (m) return { kind: "dieu", label: `${CODIFIED_ID}${m[1]!.replaceAll(".", "-")}`, text: "" };
  m = RE.dieu.exec(text);
  if (m) return { kind: "dieu", label: `D${m[1]}`, text: m[2]! };
  if (style === "party") {
    m = RE.part.exec(text);
    if (m && isAllCaps(m[2]!)) return { kind: "part", label: m[1]!, text: m[2]! };
  }
  if (style !== "articles") {
    m = RE.roman.exec(text);
    if (m) return { kind: "roman", label: m[1]!, text: m[2]! };
  }
  m = RE.subnum.exec(text);
  if (m && style === "party") return { kind: "subnum", label: m[2]!, text: m[3]!, parentNum: m[1] };
  m = RE.num.exec(text);
  if (m) return { kind: "num", label: String(Number(m[1])), text: m[2]! };
  m = RE.point.exec(text);
  if (m) return { kind: "point", label: m[1]!, text: m[2]! };
  return null;
}

/** A numbered heading that is itself a provision ("1. Sở Tài chính phối hợp … theo quy định.") may be quoted. */
function isProvision(text: string): boolean {
  return /[.;:!?]$/.test(text) || text.length > 200;
}

const codeOf = (label: string) => label.slice(CODIFIED_ID.length).replaceAll("-", ".");

function labelFor(doc: DocumentStyle, id: string): string {
  if (id === "preamble") return "Phần mở đầu";
  if (id === "recipients") return "Nơi nhận";
  if (id === "signature") return "Phần ký ban hành";
  const parts = id.split(".");
  const head = parts[0]!;
  if (head.startsWith(CODIFIED_ID)) return [`Điều ${codeOf(head)} (pháp điển)`, ...parts.slice(1).map((p) => `mục ${p}`)].join(", ");
  if (/^D\d/.test(head)) {
    const names = ["khoản", "điểm"];
    return [`Điều ${head.slice(1)}`, ...parts.slice(1).map((p, i) => `${names[i] ?? "mục"} ${p}`)].join(", ");
  }
  if (/^PL\d/.test(head)) {
    const rest = parts.slice(1);
    const group = rest.length > 0 && /^[IVXL]+$/.test(rest[0]!) ? rest.shift() : undefined;
    return [`Phụ lục ${head.slice(2)}`, group ? `mục ${group}` : "", rest.length ? `dòng ${rest.join(".")}` : ""]
      .filter(Boolean)
      .join(", ");
  }
  return doc === "plan" ? `Mục ${id}` : `mục ${id}`.replace(/^m/, "M");
}

function shorten(text: string, max = 90): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), 40)).replace(/[,;:]$/, "")}…`;
}

function displayHeading(kind: Kind, label: string, text: string): string {
  const shown = shorten(isAllCaps(text) ? sentenceCase(text) : text);
  switch (kind) {
    case "dieu":
      return label.startsWith(CODIFIED_ID) ? `Điều ${codeOf(label)} (pháp điển)` : `Điều ${label.slice(1)}. ${shown}`;
    case "point":
      return `${label}) ${shown}`;
    case "appendix":
      return `Phụ lục ${label.slice(2)}${shown ? `. ${shown}` : ""}`;
    case "subnum":
      return shown;
    default:
      return `${label}. ${shown}`;
  }
}

interface Builder {
  sections: Section[];
  byId: Map<string, Section>;
}

function addSection(
  b: Builder,
  doc: string,
  style: DocumentStyle,
  id: string,
  heading: string,
  breadcrumb: string[],
  parent: Section | null,
  headingIsText: boolean,
): Section {
  let unique = id;
  for (let n = 2; b.byId.has(unique); n++) unique = `${id}-${n}`;
  const s: Section = {
    doc,
    id: unique,
    label: labelFor(style, unique),
    heading,
    breadcrumb,
    paragraphs: [],
    headingIsText,
    parent: parent?.id ?? null,
    children: [],
  };
  parent?.children.push(unique);
  b.sections.push(s);
  b.byId.set(unique, s);
  return s;
}

const BULLET = /^[-–•+]\s+/u;

type Open = { rank: number; section: Section; kind: Kind };
type Mode = "body" | "recipients" | "signature" | "appendix";

/** One pass over a document's cleaned lines, keeping the stack of open headings. */
class SectionParser {
  private readonly b: Builder = { sections: [], byId: new Map() };
  private readonly preamble: Section;
  private stack: Open[] = [];
  private current: Section;
  private mode: Mode = "body";
  private tableHeader: string[] | null = null;
  /** A task table in the body ("Nhiệm vụ | Cơ quan chủ trì | …"): its header, task column and the section it sits in. */
  private bodyTable: { header: string[]; task: number; key: number; parent: Section; rows: number } | null = null;

  constructor(
    private readonly doc: string,
    private readonly style: DocumentStyle,
  ) {
    this.preamble = addSection(this.b, doc, style, "preamble", "Phần mở đầu", ["Phần mở đầu"], null, false);
    this.current = this.preamble;
  }

  parse(raw: string): Section[] {
    for (const line of cleanLines(raw)) {
      if (line.note) {
        this.current.note = "Bản nguồn chỉ có đoạn đầu của điều này; phần còn lại chưa có trong kho văn bản.";
        continue;
      }
      const appendix = RE.appendix.exec(line.text);
      if (!line.cells) this.closeBodyTable();
      if (appendix && !line.cells) this.openAppendix(appendix[1]!, appendix[2] ?? "");
      else if (line.cells && this.handleCells(line.cells)) continue;
      else for (const text of line.cells ? line.cells.filter(Boolean) : [line.text]) this.handleText(text, line.md);
    }
    return this.b.sections.filter((s) => s.id !== "preamble" || s.paragraphs.length > 0 || s.children.length > 0);
  }

  private open(kind: Kind, label: string, text: string, headingIsText: boolean, parentOverride?: Section): Section {
    const rank = RANK[kind];
    while (this.stack.length && this.top()!.rank >= rank) this.stack.pop();
    const parent = parentOverride ?? this.top()?.section ?? null;
    const id = parent ? `${parent.id}.${label}` : label;
    const shown = displayHeading(kind, kind === "appendix" ? id : label, text);
    const crumb = [...(parent?.breadcrumb ?? []), shown];
    const s = addSection(this.b, this.doc, this.style, id, text, crumb, parent, headingIsText);
    const subject = kind === "roman" || kind === "part" || headingIsText ? undefined : subjectOf(text, kind);
    if (subject ?? parent?.subject) s.subject = subject ?? parent?.subject;
    this.stack.push({ rank, section: s, kind });
    this.current = s;
    return s;
  }

  private top(): Open | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Back to the preamble with nothing open (an unnumbered top-level heading ends the structure). */
  private closeAll(): void {
    this.stack = [];
    this.current = this.preamble;
  }

  private special(id: "recipients" | "signature", heading: string): void {
    this.stack = [];
    this.current = this.b.byId.get(id) ?? addSection(this.b, this.doc, this.style, id, heading, [heading], null, false);
  }

  private addParagraph(text: string): void {
    const p = text.replace(BULLET, "").trim();
    if (p) this.current.paragraphs.push(p);
  }

  private openAppendix(number: string, title: string): void {
    const n = /^\d+$/.test(number) ? Number(number) : romanToInt(number);
    this.stack = [];
    this.mode = "appendix";
    this.tableHeader = null;
    this.open("appendix", `PL${n}`, title, false);
  }

  /** A row of an appendix table: a group (I, II …), a task row (1, 1.2 …) or a continuation of the last row. */
  private handleRow(cells: string[]): void {
    const [first = "", ...rest] = cells;
    if (!this.tableHeader) {
      this.tableHeader = cells;
      return;
    }
    const key = first.replace(/\.$/, "").trim();
    if (/^[IVXL]+$/.test(key)) this.open("group", key, rest.find(Boolean) ?? "", false);
    else if (/^\d+(\.\d+)?$/.test(key)) this.openRow(key, rest);
    else this.continueRow(cells);
  }

  private openRow(key: string, rest: string[]): void {
    const group = this.stack.find((o) => o.kind === "group")?.section ?? this.stack.find((o) => o.kind === "appendix")?.section;
    while (this.stack.length && this.top()!.kind === "row") this.stack.pop();
    const task = rest[0] ?? "";
    const s = this.open("row", key, task, false, group);
    if (task) s.paragraphs.push(task);
    const fields: Record<string, string> = {};
    rest.slice(1).forEach((v, i) => {
      const name = this.tableHeader?.[i + 2];
      if (v && name) fields[name] = v;
    });
    s.fields = fields;
  }

  /** A continuation row: keep only text that the previous row does not already hold. */
  private continueRow(cells: string[]): void {
    const current = this.current;
    for (const c of cells.filter(Boolean)) {
      if (!current.paragraphs.some((p) => p.includes(c)) && !c.split(" ").every((w) => current.heading.includes(w)))
        current.paragraphs.push(c);
    }
  }

  /**
   * A Markdown table in the body (DOCX and PDF tables arrive as pipe rows): a task table (a task column and an agency
   * or time column) becomes one section per row under the section it sits in, its cells named by the header.
   * False for other tables, whose cells are read as text.
   */
  private handleBodyTable(cells: string[]): boolean {
    const t = this.bodyTable;
    if (!t) {
      const header = taskTableHeader(cells);
      if (!header) return false;
      this.bodyTable = { ...header, header: cells, parent: this.current, rows: 0 };
      return true;
    }
    const task = cells[t.task]?.trim() ?? "";
    // The header again (Word repeats it on every page of a long table, a next table follows): nothing to add.
    if (taskTableHeader(cells) && fold(task) === fold(t.header[t.task] ?? "")) return true;
    const key = t.key >= 0 ? (cells[t.key] ?? "").replace(/\.$/, "").trim() : "";
    if (!task || (t.key >= 0 && !key)) {
      // A continuation row (no task, or no number in a numbered table): its text belongs to the row above.
      const text = cells.filter((c, i) => c && i !== t.key);
      if (this.current !== t.parent) this.continueRow(text);
      else for (const c of text) this.addParagraph(c);
      return true;
    }
    if (key && !/^\d+(\.\d+)*$/.test(key)) {
      // A group row ("I | Nhóm nhiệm vụ về thể chế"): said by the section the table sits in.
      this.current = t.parent;
      this.addParagraph(task);
      return true;
    }
    t.rows++;
    const label = key || String(t.rows);
    const row = addSection(
      this.b,
      this.doc,
      this.style,
      `${t.parent.id}.${label}`,
      task,
      [...t.parent.breadcrumb, displayHeading("row", label, task)],
      t.parent,
      false,
    );
    row.paragraphs.push(task);
    row.fields = namedCells(t.header, cells, [t.task, t.key]);
    this.current = row;
    return true;
  }

  /**
   * A table row: appendix tables keep their groups (I, II …) and numbered rows (1, 1.2 …); a task table (in the body,
   * or an appendix table whose rows are not numbered) gives a section per row. False for other tables' rows.
   */
  private handleCells(cells: string[]): boolean {
    if (this.bodyTable) return this.handleBodyTable(cells);
    if (this.mode !== "appendix") return this.handleBodyTable(cells);
    const unnumbered = !this.tableHeader && (taskTableHeader(cells)?.key ?? 0) < 0;
    if (unnumbered) return this.handleBodyTable(cells);
    this.handleRow(cells);
    return true;
  }

  /** After a body table, text belongs to the section the table sits in again. */
  private closeBodyTable(): void {
    if (!this.bodyTable) return;
    this.current = this.bodyTable.parent;
    this.bodyTable = null;
  }

  private handleText(text: string, md: number): void {
    if (this.handleClosingPart(text)) return;
    if ((this.mode === "signature" || this.mode === "recipients") && this.stayInClosingPart(text, md)) return;
    const h = classify(text, this.style);
    if (!h || (this.style === "plan" && this.current === this.preamble && h.kind === "num" && this.stack.length === 0)) {
      if (md === 1 && this.stack.length) this.closeAll();
      else this.addParagraph(text);
      return;
    }
    if (h.kind === "subnum") this.openSubnumber(h.parentNum, h.label, h.text);
    else this.open(h.kind, h.label, h.text, h.kind !== "roman" && h.kind !== "part" && isProvision(h.text));
  }

  /** "Nơi nhận:" and the signature block start their own sections. */
  private handleClosingPart(text: string): boolean {
    const recipients = RE.recipients.exec(text);
    if (recipients) {
      this.mode = "recipients";
      this.special("recipients", "Nơi nhận");
      if (recipients[2]) this.addParagraph(recipients[2]);
      return true;
    }
    if (RE.signature.test(text) && (this.mode === "recipients" || this.style !== "articles")) {
      this.mode = "signature";
      this.special("signature", "Phần ký ban hành");
      this.current.paragraphs.push(text);
      return true;
    }
    return false;
  }

  /**
   * After "Nơi nhận" or the signature: text belongs there, unless a new top-level structure (e.g. the
   * Government's programme after the resolution's signature) resumes the body. False when the body resumes.
   */
  private stayInClosingPart(text: string, md: number): boolean {
    const h = classify(text, this.style);
    if (h && (h.kind === "roman" || h.kind === "part" || md === 1)) {
      this.mode = "body";
      return false;
    }
    if (md === 1 && !h) {
      this.mode = "body";
      this.closeAll();
    } else if (this.mode === "signature") this.current.paragraphs.push(text);
    else this.addParagraph(text);
    return true;
  }

  /** "2.1. …": a child of the open "2." when there is one, else a numbered section of its own. */
  private openSubnumber(parentNum: string | undefined, label: string, text: string): void {
    const numOpen = [...this.stack].reverse().find((o) => o.kind === "num");
    const parent = numOpen && numOpen.section.id.split(".").pop() === parentNum ? numOpen.section : undefined;
    if (!parent) {
      this.open("num", `${parentNum}.${label}`, text, isProvision(text));
      return;
    }
    while (this.stack.length && this.top()!.section !== parent) this.stack.pop();
    this.open("subnum", label, text, isProvision(text));
  }
}

/**
 * A heading that names who or what its text is about (an agency, a programme, a target year), as written. A law's
 * article title names a doer only as "Trách nhiệm của …" or the like: "Điều 15. Văn phòng đại diện, chi nhánh …" is
 * the article's topic, and its clauses are not duties of an office.
 */
function subjectOf(heading: string, kind: Kind): string | undefined {
  const text = heading.replace(/[.:]$/, "").trim();
  if (kind === "dieu" && AGENCY_HEADING.test(text) && !DOER_HEADING.test(text)) return undefined;
  return text.length <= 150 && SUBJECT_HEADING.test(text) ? text : undefined;
}

/** The header row of a task table: the task column, and the number column (TT/STT) if any; null for other tables. */
function taskTableHeader(cells: string[]): { task: number; key: number } | null {
  const folded = cells.map((c) => fold(c).trim());
  const task = folded.findIndex((c) => TABLE_COLUMNS.task.test(c));
  const other = folded.some((c, i) => i !== task && (TABLE_COLUMNS.agency.test(c) || TABLE_COLUMNS.time.test(c)));
  if (task < 0 || !other) return null;
  return { task, key: folded.findIndex((c) => TABLE_COLUMNS.number.test(c)) };
}

/** A row's cells under their header names, leaving out the given columns and empty cells. */
function namedCells(header: string[], cells: string[], skip: number[]): Record<string, string> {
  const out: Record<string, string> = {};
  header.forEach((name, i) => {
    const v = cells[i]?.trim();
    if (name && v && !skip.includes(i)) out[name] = v;
  });
  return out;
}

export function parseSections(doc: string, raw: string, style: DocumentStyle): Section[] {
  return new SectionParser(doc, style).parse(raw);
}

/** The headings above a section, root first; a provision heading that is its text is the section, not above it. */
export function headingsAbove(s: Pick<Section, "breadcrumb" | "headingIsText">): string[] {
  return s.headingIsText ? s.breadcrumb.slice(0, -1) : s.breadcrumb;
}

/** The text a section itself says: a provision heading, then its paragraphs. */
export function ownText(s: Pick<Section, "heading" | "paragraphs" | "headingIsText">): string[] {
  return s.headingIsText ? [s.heading, ...s.paragraphs] : s.paragraphs;
}
