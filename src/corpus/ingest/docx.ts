// DOCX → plain lines, one paragraph per line, tables as Markdown rows (what parseSections reads).
// mammoth reads the document; we walk its document tree (not its HTML) so paragraphs, table cells and
// Word's automatic list numbers stay distinguishable.
import mammoth from "mammoth";
import { CorpusError } from "./errors.js";
import { DEFAULT_LIMITS, type IngestLimits } from "./limits.js";
import { checkZip } from "./zip.js";

interface El {
  type: string;
  children?: El[];
  value?: string;
  isAllCaps?: boolean;
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

function textOf(el: El, caps = false): string {
  switch (el.type) {
    case "text":
      return caps ? (el.value ?? "").toUpperCase() : (el.value ?? "");
    case "tab":
      return " ";
    case "break":
      return "\n";
    case "run":
      return (el.children ?? []).map((c) => textOf(c, caps || !!el.isAllCaps)).join("");
    case "noteReference":
    case "commentReference":
    case "comment":
    case "image":
    case "checkbox":
      return "";
    default:
      return (el.children ?? []).map((c) => textOf(c, caps)).join("");
  }
}

const cellText = (cell: El) =>
  (cell.children ?? [])
    .map((c) => textOf(c).replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join(" ")
    .replace(/\|/g, "/");

function walk(el: El, out: string[], num: ReturnType<typeof numberer>): void {
  if (el.type === "paragraph") {
    const text = textOf(el);
    if (!text.trim()) return;
    if (!el.numbering) num.heading(text.trim());
    const prefix = el.numbering ? num.label(el.numbering) : "";
    text.split("\n").forEach((line, i) => out.push(i === 0 ? prefix + line : line));
    return;
  }
  if (el.type === "table") {
    for (const row of el.children ?? []) {
      if (row.type !== "tableRow") continue;
      const cells = (row.children ?? []).filter((c) => c.type === "tableCell").map(cellText);
      if (cells.some(Boolean)) out.push(`| ${cells.join(" | ")} |`);
    }
    out.push("");
    return;
  }
  for (const child of el.children ?? []) walk(child, out, num);
}

export async function docxToText(
  bytes: Buffer,
  fileName: string,
  limits: IngestLimits = { ...DEFAULT_LIMITS, maxBytes: bytes.length },
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
  if (root) walk(root, out, numberer());
  return out.join("\n");
}
