// Metadata read from a Vietnamese administrative document's header (Nghị định 30/2020/NĐ-CP layout):
// issuer top-left, "Số: …" under it, "<place>, ngày … tháng … năm …" top-right, then the document type in
// capitals ("KẾ HOẠCH") and its subject. Markdown front matter (title:, number:, …) wins when present.
import path from "node:path";
import { cleanInline, stripFrontMatter } from "../../sections/clean.js";
import type { DocumentStyle } from "../../types.js";
import { fold, isAllCaps, isTitleInCapitals, lowerTitle, sentenceCase } from "../../text/vietnamese.js";

export interface DetectedMeta {
  /** "Kế hoạch", "Nghị định"… as written in the header. */
  docType?: string;
  title?: string;
  shortTitle?: string;
  number?: string;
  /** ISO date (YYYY-MM-DD). */
  date?: string;
  issuer?: string;
  style: DocumentStyle;
}

/** Document types and the id prefix used for each (matches the shipped ids: nd-80-2021-nd-cp). */
const DOC_TYPES: Array<[string, string]> = [
  ["KẾ HOẠCH", "kh"],
  ["NGHỊ ĐỊNH", "nd"],
  ["NGHỊ QUYẾT", "nq"],
  ["THÔNG TƯ LIÊN TỊCH", "ttlt"],
  ["THÔNG TƯ", "tt"],
  ["BỘ LUẬT", "luat"],
  ["LUẬT", "luat"],
  ["HIẾN PHÁP", "hien-phap"],
  ["QUYẾT ĐỊNH", "qd"],
  ["KẾT LUẬN", "kl"],
  ["CHỈ THỊ", "ct"],
  ["CHƯƠNG TRÌNH", "ctr"],
  ["CÔNG VĂN", "cv"],
  ["HƯỚNG DẪN", "hd"],
  ["THÔNG BÁO", "tb"],
  ["BÁO CÁO", "bc"],
  ["ĐỀ ÁN", "da"],
  ["QUY CHẾ", "qc"],
  ["QUY ĐỊNH", "qdi"],
  ["PHÁP LỆNH", "pl"],
];

const NATIONAL = /CỘNG HÒA XÃ HỘI CHỦ NGHĨA|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA|ĐỘC LẬP\s*[-–]\s*TỰ DO|ĐẢNG CỘNG SẢN VIỆT NAM/u;
const NUMBER = /(?:^|\s)Số\s*(?:hiệu)?\s*[:.]?\s*(\d+[\p{L}\d/.\-–]*[/\-–][\p{L}\d/.\-–]*)/iu;
const DATE_WORDS = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu;
const DATE_SLASH = /ngày\s+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/iu;
const STRUCTURE = /^(Điều\s+\d+|[IVXL]+\s*[.\-–]\s|\d+(\.\d+)?\s*[.-]\s|[a-zđ]\)\s|Căn cứ|Thực hiện|Nơi nhận|PHẦN|CHƯƠNG|Chương)/u;

export function isoDate(d: string | number, m: string | number, y: string | number): string | undefined {
  const [dd, mm, yy] = [Number(d), Number(m), Number(y)];
  const date = new Date(Date.UTC(yy, mm - 1, dd));
  if (yy < 1945 || yy > 2100 || date.getUTCMonth() !== mm - 1 || date.getUTCDate() !== dd) return undefined;
  return `${yy}-${String(mm).padStart(2, "0")}-${String(dd).padStart(2, "0")}`;
}

/** "16/5/2024", "16-05-2024" or "2024-05-16" → ISO; undefined when not a real date. */
export function parseDate(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return isoDate(m[3]!, m[2]!, m[1]!);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  return m ? isoDate(m[1]!, m[2]!, m[3]!) : undefined;
}

/** "dd/mm/yyyy" for display. */
export function displayDate(iso: string | null | undefined): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "chưa rõ";
}

const titleWord = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** Capitalised issuer names as Vietnamese writes them: "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" → "Ủy ban nhân dân tỉnh Lâm Đồng". */
export function prettyIssuer(caps: string): string {
  const s = caps.replace(/\s+/g, " ").trim();
  if (!isAllCaps(s)) return s;
  const lower = s.toLowerCase();
  const fixed: Record<string, string> = {
    "chính phủ": "Chính phủ",
    "quốc hội": "Quốc hội",
    "bộ chính trị": "Bộ Chính trị",
    "ban bí thư": "Ban Bí thư",
    "thủ tướng chính phủ": "Thủ tướng Chính phủ",
    "ban chấp hành trung ương": "Ban Chấp hành Trung ương",
    "ban chấp hành trung ương đảng": "Ban Chấp hành Trung ương Đảng",
    "ủy ban thường vụ quốc hội": "Ủy ban Thường vụ Quốc hội",
  };
  if (fixed[lower]) return fixed[lower];
  const place = (p: string) => p.split(" ").map(titleWord).join(" ");
  // Party committees: "TỈNH ỦY LÂM ĐỒNG" → "Tỉnh ủy Lâm Đồng".
  const committee = /^(tỉnh|thành|huyện|đảng) (ủy|uỷ) (.+)$/u.exec(lower);
  if (committee) return `${titleWord(committee[1]!)} ${committee[2]} ${place(committee[3]!)}`;
  // Local bodies: the place name after tỉnh/thành phố/huyện/xã/phường keeps capitals on each word.
  const local = /^(.*? )?(tỉnh|thành phố|huyện|quận|thị xã|xã|phường) (.+)$/u.exec(lower);
  if (local)
    return `${local[1] ? `${sentenceCase(local[1].trim())} ` : ""}${local[1] ? local[2] : titleWord(local[2]!)} ${place(local[3]!)}`;
  // Ministries and departments: "BỘ KHOA HỌC VÀ CÔNG NGHỆ" → "Bộ Khoa học và Công nghệ".
  const agency = /^(bộ|sở|cục|tổng cục|ban|ủy ban|văn phòng)\s+(.+)$/u.exec(lower);
  if (agency)
    return `${titleWord(agency[1]!)} ${agency[2]!
      .split(/\s+(và|,)\s+/u)
      .map((part) => (part === "và" || part === "," ? part : titleWord(part)))
      .join(" ")
      .replace(/ , /g, ", ")}`;
  return sentenceCase(s);
}

function frontMatterFields(raw: string): Record<string, string> {
  const { frontMatter } = stripFrontMatter(raw.replace(/\r\n?/g, "\n"));
  const fields: Record<string, string> = {};
  for (const line of (frontMatter ?? "").split("\n")) {
    const m = /^([a-zA-Z_]+):\s*(.+)$/.exec(line);
    if (m) fields[m[1]!.toLowerCase()] = m[2]!.trim().replace(/^["']|["']$/g, "");
  }
  return fields;
}

/** A logical line of the header; `bold` when the converter marked the whole paragraph bold (**…**). */
interface HeaderLine {
  text: string;
  bold: boolean;
}

const MOTTO = /^Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc$/iu;

/**
 * The parts of a header cell that the template puts on separate lines (a Word table cell reaches us as one
 * line): issuer | rule | "Số: …" on the left; national motto | "Độc lập - Tự do - Hạnh phúc" | rule |
 * "<place>, ngày …" on the right.
 */
export function cellParts(cell: string): string[] {
  return cell
    .replace(/\s*(?:^|\s)[-_=–]{3,}(?=\s|$)\s*/gu, "\n")
    .replace(/\s+\*(?=\s|$)\s*/gu, "\n")
    .replace(/\s+(?=Số\s*(?:hiệu)?\s*[:.]?\s*\d)/gu, "\n")
    .replace(/(Hạnh phúc)\s+/giu, "$1\n")
    .replace(/(\S)\s+(?=(?:CỘNG HÒA|CỘNG HOÀ) XÃ HỘI|ĐẢNG CỘNG SẢN VIỆT NAM)/gu, "$1\n")
    .split("\n")
    .flatMap((part) => {
      // "… <Place>, ngày 12 tháng 6 năm 2025": the place and date start a line of their own.
      const m = /\s(?=\p{Lu}[\p{L} .]*,\s*ngày\s+\d)/u.exec(part);
      return m ? [part.slice(0, m.index), part.slice(m.index + 1)] : [part];
    })
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The header's logical lines: table cells and their parts separately, Markdown removed. */
function headerLines(text: string, max = 60): HeaderLine[] {
  const { body } = stripFrontMatter(text.replace(/\r\n?/g, "\n"));
  const out: HeaderLine[] = [];
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const bold = /^\*\*.+\*\*$/u.test(line.replace(/^(\d+\.|[IVXL]+\.)\s*/u, ""));
    const parts = line.startsWith("|") ? line.split("|").flatMap((c) => cellParts(cleanInline(c))) : [line.replace(/^#+\s*/, "")];
    for (const p of parts) {
      const c = cleanInline(p);
      if (c && !/^[-_=*~.\s]+$/.test(c)) out.push({ text: c, bold });
    }
    if (out.length >= max) break;
  }
  return out;
}

export function detectStyle(text: string): DocumentStyle {
  const articles = text.match(/^[#*\s]*Điều\s+\d+[a-zđ]?\s*\./gmu)?.length ?? 0;
  if (articles >= 2) return "articles";
  const head = headerLines(text, 15)
    .map((l) => l.text)
    .join("\n");
  const plan =
    /^KẾ HOẠCH\b/mu.test(head) ||
    (/^[#*\s]*[IVX]+\s*[.\-–]\s/mu.test(text) && /^[#*\s]*\d+\s*\.\s/mu.test(text) && /^[#*\s]*(Nơi|Noi) nhận/imu.test(text));
  return plan ? "plan" : "party";
}

export function detectMetadata(text: string): DetectedMeta {
  const header = headerLines(text);
  const lines = header.map((l) => l.text);
  const fm = frontMatterFields(text);
  const meta: DetectedMeta = { style: detectStyle(text) };

  for (const l of lines) {
    const n = NUMBER.exec(l);
    if (n && !meta.number) meta.number = n[1]!.replace(/[.\-–]+$/, "");
    const d = DATE_WORDS.exec(l) ?? DATE_SLASH.exec(l);
    if (d && !meta.date && l.length < 120) meta.date = isoDate(d[1]!, d[2]!, d[3]!);
    if (meta.number && meta.date) break;
  }

  // Document type line and the subject lines under it.
  const typeAt = lines.findIndex((l, i) => i < 30 && isAllCaps(l) && DOC_TYPES.some(([t]) => l === t || l.startsWith(`${t} `)));
  if (typeAt >= 0) {
    const typeLine = lines[typeAt]!;
    const [type] = DOC_TYPES.find(([t]) => typeLine === t || typeLine.startsWith(`${t} `))!;
    meta.docType = sentenceCase(type);
    const subject: string[] = [];
    const rest = typeLine.slice(type.length).trim();
    if (rest) subject.push(isTitleInCapitals(rest) ? lowerTitle(rest) : rest);
    subject.push(...titleBlock(header.slice(typeAt + 1, typeAt + 1 + TITLE_LINES), header[typeAt]!.bold));
    const joined = subject.join(" ").replace(/\s+/g, " ").trim();
    meta.title = subjectTitle(meta.docType, joined);
  }

  const issuer = issuerOf(lines.slice(0, typeAt >= 0 ? typeAt : 8));
  if (issuer) meta.issuer = issuer;

  // Markdown front matter is the operator's own statement: it wins.
  if (fm.title) meta.title = fm.title;
  if (fm.number) meta.number = fm.number;
  if (fm.date) meta.date = parseDate(fm.date) ?? meta.date;
  if (fm.issuer) meta.issuer = fm.issuer;
  if (fm.shorttitle) meta.shortTitle = fm.shorttitle;
  if (!meta.docType && meta.title) meta.docType = DOC_TYPES.map(([t]) => sentenceCase(t)).find((t) => meta.title!.startsWith(t));

  // A law is known by its name: "Luật Du lịch 09/2017/QH14" rather than "Luật 09/2017/QH14".
  const name = nameAliases(meta)[0];
  if (!meta.shortTitle && meta.docType && meta.number) meta.shortTitle = `${name ?? meta.docType} ${meta.number}`;
  return meta;
}

/** Header lines that are not the issuer: motto, number, place and date, the party's "*". */
const notIssuer = (l: string) => NATIONAL.test(l) || MOTTO.test(l) || NUMBER.test(l) || /ngày/iu.test(l) || l === "*";

/**
 * The issuer: the lines in capitals at the top (of either column), before the document type. The national
 * motto, number and date around it are skipped; the first other line ends it.
 */
function issuerOf(lines: string[]): string | undefined {
  const issuer: string[] = [];
  for (const l of lines) {
    // A two-column header pasted as text puts the issuer and the national motto (or "Độc lập …") on one line.
    const right = NATIONAL.exec(l) ?? /Độc lập\s*[-–]\s*Tự do/u.exec(l);
    const part = right && right.index > 0 ? l.slice(0, right.index).trim() : l;
    if (notIssuer(part)) {
      if (issuer.length) break;
      continue;
    }
    if (!isAllCaps(part) || part.length > 120) break;
    issuer.push(part);
    if (issuer.length === 3) break;
  }
  return issuer.length ? issuerName(issuer.join(" ")) : undefined;
}

/** The heads of a body issuing under a province's name, and of a party committee under its Đảng bộ. */
const UNDER_PROVINCE =
  /^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN) ((?:TỈNH|THÀNH PHỐ) \p{Lu}[\p{Lu} ]*?) ((?:SỞ|BAN|VĂN PHÒNG|CHI CỤC|CỤC|TRUNG TÂM|QUỸ) .+)$/u;
const UNDER_PARTY = /^ĐẢNG BỘ (?:TỈNH|THÀNH PHỐ) (\p{Lu}[\p{Lu} ]*?) (TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ)$/u;

/**
 * "UBND TỈNH X / SỞ KHOA HỌC VÀ CÔNG NGHỆ" is issued by the Sở ("Sở Khoa học và Công nghệ tỉnh X"), "ĐẢNG BỘ
 * TỈNH X / TỈNH ỦY" by the "Tỉnh ủy X"; any other capitals are one name ("ỦY BAN NHÂN DÂN / TỈNH X").
 */
function issuerName(caps: string): string {
  const s = caps
    .replace(/\s+/g, " ")
    .replace(/^UBND\b/u, "ỦY BAN NHÂN DÂN")
    .trim();
  const body = UNDER_PROVINCE.exec(s);
  // "Ủy ban nhân dân tỉnh X" minus its first four words is "tỉnh X".
  if (body) return `${prettyIssuer(body[2]!)} ${prettyIssuer(`ỦY BAN NHÂN DÂN ${body[1]}`).split(" ").slice(4).join(" ")}`;
  const party = UNDER_PARTY.exec(s);
  if (party) return prettyIssuer(`${party[2]} ${party[1]}`);
  return prettyIssuer(s);
}

/** A title block spans at most this many header lines. */
const TITLE_LINES = 10;
/** The body begins: "Căn cứ …", "Thực hiện …, Ủy ban nhân dân tỉnh ban hành Kế hoạch …", or a numbered heading. */
const BODY_START = /^(Căn cứ|Thực hiện|Xét|Theo đề nghị)\b/u;

/**
 * The lines of the title block under the document type ("KẾ HOẠCH"). When the converter kept bold (DOCX) and
 * the type line is bold, the title is the bold or capitalised lines under it, whatever their length or first
 * word ("Thực hiện Chương trình …"), up to the first plain paragraph. Otherwise (PDF, text) it runs to the
 * first "Căn cứ"/"Thực hiện" line of the body or the first sentence ending in ":" or ".". A title may itself
 * begin with "Thực hiện Chương trình …": it does when it is the first line and reads as a title.
 */
export function titleBlock(lines: Array<HeaderLine | string>, formatted = false): string[] {
  if (formatted) {
    const bold = boldTitle(lines);
    if (bold.length) return bold;
  }
  const block: string[] = [];
  for (const item of lines) {
    const l = typeof item === "string" ? item : item.text;
    if (NATIONAL.test(l) || /^Số\s*(hiệu)?\s*[:.]/iu.test(l)) break;
    if (STRUCTURE.test(l) && !(BODY_START.test(l) && block.length === 0 && readsAsTitle(l))) break;
    if (l.length > 400 || (block.length > 0 && /[.:]$/.test(l) && l.length > 80)) break;
    block.push(l);
    if (/[:;]$/.test(l)) break;
  }
  return block;
}

/** The bold or capitalised lines under a bold type line, up to the first plain one. */
function boldTitle(lines: Array<HeaderLine | string>): string[] {
  const block: string[] = [];
  for (const item of lines) {
    if (typeof item === "string") break;
    const l = item.text;
    if (NATIONAL.test(l) || /^Số\s*(hiệu)?\s*[:.]/iu.test(l)) break;
    if (!(item.bold || isAllCaps(l)) || (STRUCTURE.test(l) && !BODY_START.test(l)) || l.length > 600) break;
    block.push(l);
  }
  return block;
}

function readsAsTitle(line: string): boolean {
  return line.length <= 400 && !/[.:;,]$/.test(line) && !/ban hành (kế hoạch|nghị quyết|quyết định)/iu.test(line);
}

function subjectTitle(docType: string, subject: string): string {
  if (!subject) return docType;
  const s = isTitleInCapitals(subject) ? lowerTitle(subject) : subject;
  // "LUẬT KHOA HỌC VÀ CÔNG NGHỆ" names the law: keep its first word capitalised.
  if (docType === "Luật") return `Luật ${titleWord(s)}`;
  return `${docType} ${s.charAt(0).toLowerCase()}${s.slice(1)}`;
}

/**
 * Names users give a document, derived from its header: the number ("Kế hoạch 412", "412/KH-UBND", "KH 412"),
 * the programme it implements ("Chương trình 18-CTr/TU"), the issuer's province ("kế hoạch của tỉnh X") and,
 * for documents known by name (laws, codes, the constitution), the name in its title ("Luật Du lịch", "Luật Du
 * lịch 2017", "Bộ luật Dân sự", "BLDS", "Hiến pháp 2013"). Stored as the manifest's aliases, which staff may edit.
 */
export function deriveAliases(meta: Pick<DetectedMeta, "docType" | "number" | "title" | "issuer" | "date">): string[] {
  const aliases: string[] = [];
  const type = meta.docType ?? "";
  const abbr = DOC_TYPES.find(([t]) => sentenceCase(t) === type)?.[1]?.toUpperCase();
  const numeral = /^(\d+)\b/.exec(meta.number ?? "")?.[1];
  if (meta.number) aliases.push(meta.number);
  // "LUAT 05" is no abbreviation anyone types: only short forms that differ from the type's own word.
  const typed = abbr && !fold(type).toUpperCase().split(" ").includes(abbr) ? [`${abbr} ${numeral}`] : [];
  if (type && numeral) aliases.push(`${type} ${numeral}`, `${type} số ${numeral}`, ...typed);
  const programme = /[Cc]hương trình(?: hành động)?(?: số)? (\d+)-CTr\/(\p{Lu}+)/u.exec(meta.title ?? "");
  if (programme) {
    const [, n, issuer] = programme;
    aliases.push(`Chương trình ${n}-CTr/${issuer}`, `${n}-CTr/${issuer}`, `Chương trình ${n}`);
  }
  const place = /\b(tỉnh|thành phố) (\p{Lu}[\p{L} ]+)$/u.exec(meta.issuer ?? "");
  if (place && type) aliases.push(`${type.toLowerCase()} của ${place[1]} ${place[2]}`, `${place[1]} ${place[2]}`);
  aliases.push(...nameAliases(meta));
  return [...new Set(aliases)];
}

/** Types whose documents people call by the name in their title ("Luật Du lịch"), not by number. */
const NAMED_TYPES = ["Bộ luật", "Luật", "Hiến pháp", "Pháp lệnh"];
/** A name is at most this many words; longer titles are subjects ("Luật sửa đổi, bổ sung một số điều …"). */
const NAME_WORDS = 10;

/**
 * The name of a law-like document and its usual variants: with the year ("Luật Du lịch 2017", "… năm 2017"),
 * the code's initials ("Bộ luật Dân sự" → "BLDS"), a long law's initials ("Luật Bảo vệ môi trường" → "Luật
 * BVMT", "Luật HN&GĐ"). "Hiến pháp nước Cộng hòa … năm 2013" is "Hiến pháp" (of the country: the only one).
 */
export function nameAliases(meta: Pick<DetectedMeta, "docType" | "number" | "title" | "date">): string[] {
  const title = (meta.title ?? "").replace(/\s+/g, " ").trim();
  const type = NAMED_TYPES.find((t) => title.toLowerCase().startsWith(`${t.toLowerCase()} `) || title.toLowerCase() === t.toLowerCase());
  if (!type) return [];
  const yearInTitle = /\s+(?:năm\s+)?((?:19|20)\d{2})$/u.exec(title);
  const year = yearInTitle?.[1] ?? /\/((?:19|20)\d{2})\//.exec(meta.number ?? "")?.[1] ?? meta.date?.slice(0, 4);
  let name = yearInTitle ? title.slice(0, yearInTitle.index) : title;
  const rest = name.slice(type.length).trim();
  if (/^(nước|của)\b/u.test(rest)) name = type;
  if (name.split(" ").length > NAME_WORDS || /sửa đổi|bổ sung/u.test(name)) return [];
  const out = [name, ...(year ? [`${name} ${year}`, `${name} năm ${year}`] : [])];
  const own = name === type ? "" : name.slice(type.length).trim();
  const initials = (text: string, and: string) =>
    text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((w) => (w === "và" ? and : w.charAt(0).toUpperCase()))
      .join("");
  const syllables = own.split(/[\s,]+/).filter((w) => w && w !== "và").length;
  if (type === "Bộ luật" && syllables >= 2) out.push(`BL${initials(own, "")}`);
  else if (type === "Luật" && syllables >= 3) {
    out.push(`Luật ${initials(own, "")}`);
    if (own.includes(" và ")) out.push(`Luật ${initials(own, "&")}`);
  }
  return out;
}

export function slug(text: string, max = 60): string {
  return fold(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

/** A manifest id in the shipped style: "nd-80-2021-nd-cp", "kh-12-kh-ubnd-2025", or from the file name. */
export function suggestId(meta: DetectedMeta, fileName: string): string {
  const prefix = DOC_TYPES.find(([t]) => sentenceCase(t) === meta.docType)?.[1];
  const year = meta.date?.slice(0, 4);
  if (meta.number) {
    const n = slug(meta.number, 50);
    const id = [prefix, n, year && !n.includes(year) ? year : ""].filter(Boolean).join("-");
    if (id.length >= 2) return id.slice(0, 80).replace(/-+$/, "");
  }
  const base = slug(path.basename(fileName, path.extname(fileName)), 60);
  return base.length >= 2 ? base : `vb-${Date.now().toString(36)}`;
}
