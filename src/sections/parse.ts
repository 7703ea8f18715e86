// Document → section tree along the document's own hierarchy, with ids, labels and breadcrumbs.
//   plan      (kế hoạch):  I. › 1. › a)                     ids "II.3.b"
//   party     (nghị quyết, kết luận, chương trình): A- › I- › 1. › 2.1- › a), Điều N., PHỤ LỤC tables
//   articles  (luật, nghị định, thông tư): Điều N. › khoản 1. › điểm a)   ids "D22.1.b"
// Every style also yields "preamble", "recipients" (Nơi nhận) and "signature" when present.
import type { DocumentStyle, Section } from "../types.js";
import { isAllCaps, sentenceCase } from "../text/vietnamese.js";
import { cleanLines, type Line } from "./clean.js";

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
  dieu: /^Điều\s+(\d+[a-zđ]?)\s*\.\s*(.*)$/u,
  part: /^([A-E])\s*-\s*(\S.*)$/u,
  roman: /^([IVXL]+)\s*[.\-–]\s*(\S.*)$/u,
  subnum: /^(\d{1,2})\.(\d{1,2})\s*[.\-]\s*(\S.*)$/u,
  num: /^(\d{1,3})\s*[.\-]\s*(\S.*)$/u,
  point: /^([a-zđ])\)\s*(\S.*)$/u,
  recipients: /^(Nơi|Noi) nhận\s*:?\s*(.*)$/iu,
  signature: /^(TM\.|T\/M|KT\.|TL\.|Q\.\s)/u,
  appendix: /^PHỤ LỤC\s+([IVXL]+|\d+)\b\s*(.*)$/u,
};

function romanToInt(r: string): number {
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };
  let n = 0;
  for (let i = 0; i < r.length; i++) {
    const cur = v[r[i]!] ?? 0;
    const next = v[r[i + 1] ?? ""] ?? 0;
    n += cur < next ? -cur : cur;
  }
  return n;
}

function classify(text: string, style: DocumentStyle): Heading | null {
  let m = RE.dieu.exec(text);
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

function labelFor(doc: DocumentStyle, id: string): string {
  if (id === "preamble") return "Phần mở đầu";
  if (id === "recipients") return "Nơi nhận";
  if (id === "signature") return "Phần ký ban hành";
  const parts = id.split(".");
  const head = parts[0]!;
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
      return `Điều ${label.slice(1)}. ${shown}`;
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

export function parseSections(doc: string, raw: string, style: DocumentStyle): Section[] {
  const lines = cleanLines(raw);
  const b: Builder = { sections: [], byId: new Map() };
  const preamble = addSection(b, doc, style, "preamble", "Phần mở đầu", ["Phần mở đầu"], null, false);
  type Open = { rank: number; section: Section; kind: Kind };
  let stack: Open[] = [];
  let current: Section = preamble;
  let mode: "body" | "recipients" | "signature" | "appendix" = "body";
  let tableHeader: string[] | null = null;

  const open = (kind: Kind, label: string, text: string, headingIsText: boolean, parentOverride?: Section) => {
    const rank = RANK[kind];
    while (stack.length && stack[stack.length - 1]!.rank >= rank) stack.pop();
    const parent = parentOverride ?? stack[stack.length - 1]?.section ?? null;
    const id = parent ? `${parent.id}.${label}` : label;
    const shown = displayHeading(kind, kind === "appendix" ? id : label, text);
    const crumb = [...(parent?.breadcrumb ?? []), shown];
    const s = addSection(b, doc, style, id, text, crumb, parent, headingIsText);
    stack.push({ rank, section: s, kind });
    current = s;
    return s;
  };

  const special = (id: "recipients" | "signature", heading: string) => {
    stack = [];
    current = b.byId.get(id) ?? addSection(b, doc, style, id, heading, [heading], null, false);
  };

  const addParagraph = (text: string) => {
    const p = text.replace(BULLET, "").trim();
    if (p) current.paragraphs.push(p);
  };

  for (const line of lines) {
    if (line.note) {
      current.note = "Bản nguồn chỉ có đoạn đầu của điều này; phần còn lại chưa có trong kho văn bản.";
      continue;
    }
    const appendix = RE.appendix.exec(line.text);
    if (appendix && !line.cells) {
      const n = /^\d+$/.test(appendix[1]!) ? Number(appendix[1]) : romanToInt(appendix[1]!);
      stack = [];
      mode = "appendix";
      tableHeader = null;
      open("appendix", `PL${n}`, appendix[2] ?? "", false);
      continue;
    }
    if (line.cells && mode === "appendix") {
      handleRow(line.cells);
      continue;
    }
    const texts = line.cells ? line.cells.filter(Boolean) : [line.text];
    for (const text of texts) handleText(text, line.md);
  }

  function handleRow(cells: string[]) {
    const [first = "", ...rest] = cells;
    if (!tableHeader) {
      tableHeader = cells;
      return;
    }
    const key = first.replace(/\.$/, "").trim();
    const appendixNode = stack.find((o) => o.kind === "appendix")?.section;
    if (/^[IVXL]+$/.test(key)) {
      open("group", key, rest.find(Boolean) ?? "", false);
      return;
    }
    if (/^\d+(\.\d+)?$/.test(key)) {
      const group = stack.find((o) => o.kind === "group")?.section ?? appendixNode;
      while (stack.length && stack[stack.length - 1]!.kind === "row") stack.pop();
      const task = rest[0] ?? "";
      const s = open("row", key, task, false, group);
      if (task) s.paragraphs.push(task);
      const fields: Record<string, string> = {};
      rest.slice(1).forEach((v, i) => {
        const name = tableHeader?.[i + 2];
        if (v && name) fields[name] = v;
      });
      s.fields = fields;
      return;
    }
    // A continuation row: keep only text that the previous row does not already hold.
    for (const c of cells.filter(Boolean)) {
      if (!current.paragraphs.some((p) => p.includes(c)) && !c.split(" ").every((w) => current.heading.includes(w)))
        current.paragraphs.push(c);
    }
  }

  function handleText(text: string, md: number) {
    const recipients = RE.recipients.exec(text);
    if (recipients) {
      mode = "recipients";
      special("recipients", "Nơi nhận");
      if (recipients[2]) addParagraph(recipients[2]);
      return;
    }
    if (RE.signature.test(text) && (mode === "recipients" || style !== "articles")) {
      mode = "signature";
      special("signature", "Phần ký ban hành");
      current.paragraphs.push(text);
      return;
    }
    if (mode === "signature" || mode === "recipients") {
      // A new top-level structure (e.g. the Government's programme after the resolution's signature) resumes the body.
      const h = classify(text, style);
      if (!h || (h.kind !== "roman" && h.kind !== "part" && md !== 1)) {
        if (md === 1 && !h) {
          mode = "body";
          stack = [];
          current = preamble;
          return;
        }
        if (mode === "signature") current.paragraphs.push(text);
        else addParagraph(text);
        return;
      }
      mode = "body";
    }
    const h = classify(text, style);
    if (!h || (style === "plan" && current === preamble && h.kind === "num" && stack.length === 0)) {
      if (md === 1 && stack.length) {
        // An unnumbered top-level heading closes the open structure.
        stack = [];
        current = preamble;
        return;
      }
      addParagraph(text);
      return;
    }
    if (h.kind === "subnum") {
      const parentNum = h.parentNum;
      const numOpen = [...stack].reverse().find((o) => o.kind === "num");
      const parent = numOpen && numOpen.section.id.split(".").pop() === parentNum ? numOpen.section : undefined;
      if (parent) {
        while (stack.length && stack[stack.length - 1]!.section !== parent) stack.pop();
        open("subnum", h.label, h.text, isProvision(h.text));
        return;
      }
      open("num", `${parentNum}.${h.label}`, h.text, isProvision(h.text));
      return;
    }
    open(h.kind, h.label, h.text, h.kind !== "roman" && h.kind !== "part" && isProvision(h.text));
  }

  return b.sections.filter((s) => s.id !== "preamble" || s.paragraphs.length > 0 || s.children.length > 0);
}

/** The text a section itself says: a provision heading, then its paragraphs. */
export function ownText(s: Section): string[] {
  return s.headingIsText ? [s.heading, ...s.paragraphs] : s.paragraphs;
}
