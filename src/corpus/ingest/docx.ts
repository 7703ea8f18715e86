// DOCX → plain lines, one paragraph per line, tables as Markdown rows (what parseSections reads).
// mammoth reads the document; we walk its document tree (not its HTML) so paragraphs, table cells and
// Word's automatic list numbers stay distinguishable.
import mammoth from "mammoth";
import { CorpusError } from "./errors.js";
import { decodeLegacy, fontEncoding, legacyEncoding } from "./legacy-fonts.js";
import { DEFAULT_LIMITS, type IngestLimits } from "./limits.js";
import type { ConversionNotes, LegacyEncoding } from "./notes.js";
import { checkZip } from "./zip.js";

interface El {
  type: string;
  children?: El[];
  value?: string;
  isAllCaps?: boolean;
  isBold?: boolean;
  /** A run's own font (w:rFonts w:ascii); null when it comes from a style. */
  font?: string | null;
  /** Paragraphs in a Word list: mammoth gives the level object shared by every item of that list level. */
  numbering?: { level: string; isOrdered: boolean } | null;
}

/** Vietnamese legal point letters skip f, j, w, z: a) b) c) d) đ) e) g) h) i) k) … */
const POINTS = "a b c d đ e g h i k l m n o p q r s t u v x y".split(" ");

/**
 * Word's automatic numbering is not in the text. mammoth does not expose the number format, so we use the
 * Vietnamese convention: level 0 → "1.", level 1 → "a)", deeper or bulleted → "-".
 */
function numberer() {
  const counters = new Map<object, { level: number; n: number }>();
  const label = (num: NonNullable<El["numbering"]>): string => {
    const level = Number(num.level) || 0;
    if (!num.isOrdered) return "- ";
    for (const [key, c] of counters) if (c.level > level) counters.delete(key);
    const c = counters.get(num) ?? { level, n: 0 };
    c.n += 1;
    counters.set(num, c);
    if (level === 0) return `${c.n}. `;
    if (level === 1) return `${POINTS[(c.n - 1) % POINTS.length]}) `;
    return "- ";
  };
  /**
   * A typed heading between list items restarts the lists under it (Word restarts them with a new list
   * instance, which mammoth does not tell apart): "Điều 2." or "II." restarts all, "2." the points.
   */
  const heading = (text: string) => {
    const top = /^(Điều\s+\d+|[IVXL]+\s*[.\-–]\s)/u.test(text);
    if (!top && !/^\d{1,3}\s*\.\s/u.test(text)) return;
    for (const [key, c] of counters) if (top || c.level > 0) counters.delete(key);
  };
  return { label, heading };
}

/** A run's text → Unicode: runs in a legacy font by that font's encoding, runs without a font by the document's. */
type Decode = (run: El, text: string) => string;
const asIs: Decode = (_run, text) => text;

function textOf(el: El, decode: Decode): string {
  switch (el.type) {
    case "text":
      return el.value ?? "";
    case "tab":
      return " ";
    case "break":
      return "\n";
    case "run": {
      // Decoded before capitals are applied: a legacy code's upper-case form is another letter.
      const text = decode(el, (el.children ?? []).map((c) => textOf(c, decode)).join(""));
      return el.isAllCaps ? text.toUpperCase() : text;
    }
    case "noteReference":
    case "commentReference":
    case "comment":
    case "image":
    case "checkbox":
      return "";
    default:
      return (el.children ?? []).map((c) => textOf(c, decode)).join("");
  }
}

const cellText = (cell: El, decode: Decode) =>
  (cell.children ?? [])
    .map((c) => textOf(c, decode).replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join(" ")
    .replace(/\|/g, "/");

/** Every run under an element, in document order. */
function runsOf(el: El, out: El[] = []): El[] {
  if (el.type === "run") out.push(el);
  else for (const c of el.children ?? []) runsOf(c, out);
  return out;
}

/**
 * A paragraph whose every run with text is bold is marked **…** (Markdown, which section parsing strips): the
 * header reader takes a bold block under "KẾ HOẠCH" as the title, and stops at the first plain paragraph.
 */
function isBold(p: El): boolean {
  const runs = runsOf(p).filter((r) => textOf(r, asIs).trim());
  return runs.length > 0 && runs.every((r) => r.isBold);
}

const emphasise = (line: string) => (line.trim() ? `**${line.trim()}**` : line);

function walk(el: El, out: string[], num: ReturnType<typeof numberer>, decode: Decode): void {
  if (el.type === "paragraph") {
    const text = textOf(el, decode);
    if (!text.trim()) return;
    if (!el.numbering) num.heading(text.trim());
    const prefix = el.numbering ? num.label(el.numbering) : "";
    const bold = isBold(el);
    text.split("\n").forEach((line, i) => out.push((i === 0 ? prefix : "") + (bold ? emphasise(line) : line)));
    return;
  }
  if (el.type === "table") {
    for (const row of el.children ?? []) {
      if (row.type !== "tableRow") continue;
      const cells = (row.children ?? []).filter((c) => c.type === "tableCell").map((c) => cellText(c, decode));
      if (cells.some(Boolean)) out.push(`| ${cells.join(" | ")} |`);
    }
    out.push("");
    return;
  }
  for (const child of el.children ?? []) walk(child, out, num, decode);
}

/**
 * How runs are decoded, decided once for the whole document: a run in a legacy font (.VnTime, VNI-Times…)
 * by its font; runs without a font of their own (the style's font, which mammoth does not report) by what
 * their text as a whole reads as; runs in any other font as they are. Records the conversion in `notes`.
 */
function legacyDecoder(root: El, notes: ConversionNotes): Decode {
  const runs = runsOf(root);
  const byFont = new Map<LegacyEncoding, number>();
  for (const r of runs) {
    const f = fontEncoding(r.font);
    if (f) byFont.set(f.encoding, (byFont.get(f.encoding) ?? 0) + 1);
  }
  const implicit = legacyEncoding(
    runs
      .filter((r) => !r.font)
      .map((r) => textOf(r, asIs))
      .join(" "),
  );
  const fontMost = [...byFont].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!fontMost && !implicit) return asIs;
  notes.legacyFont = { encoding: fontMost ?? implicit!, detectedBy: fontMost ? "font" : "text" };
  return (run, text) => {
    const f = fontEncoding(run.font);
    if (f) return decodeLegacy(text, f.encoding, f.capitals);
    return !run.font && implicit ? decodeLegacy(text, implicit) : text;
  };
}

export async function docxToText(
  bytes: Buffer,
  fileName: string,
  limits: IngestLimits = { ...DEFAULT_LIMITS, maxBytes: bytes.length },
  notes: ConversionNotes = {},
): Promise<string> {
  // mammoth unpacks everything into memory: the archive is measured first.
  await checkZip(bytes, fileName, limits);
  let root: El | undefined;
  try {
    await mammoth.convertToHtml(
      { buffer: bytes },
      {
        transformDocument: (doc: El) => (root = doc),
        // The HTML is thrown away: do not read images.
        convertImage: mammoth.images.imgElement(async () => ({ src: "" })),
      },
    );
  } catch (err) {
    throw new CorpusError(
      "corrupt_docx",
      `Tệp «${fileName}» bị hỏng hoặc không phải tài liệu Word hợp lệ nên không đọc được. Hãy mở bằng Word, lưu lại dạng .docx rồi gửi lại.`,
      `mammoth could not read the DOCX: ${(err as Error).message}`,
    );
  }
  const out: string[] = [];
  if (root) walk(root, out, numberer(), legacyDecoder(root, notes));
  return out.join("\n");
}
