// Vietnamese typed in pre-Unicode fonts, converted to Unicode at ingestion.
// TCVN3 (ABC; fonts .VnTime, .VnArial …): one byte per letter, on Latin-1 code points; capitals with tone marks
// have no code of their own: the "H" fonts (.VnTimeH, .VnArialH) draw the lower-case codes as capitals.
// VNI (VNI-Times, VNI-Helve …): a base letter followed by a mark character (also on Latin-1 code points),
// e.g. "Vieät" = V i e + "ä" (circumflex and dot below) t. Word stores both as the Latin-1 characters, which is
// what reaches us (from DOCX, PDF text layers or pasted text).
import type { LegacyEncoding } from "./notes.js";

/**
 * TCVN3 code points → letters, as runs of consecutive codes (lower-case forms; A1–A7 are the only capitals).
 * The codes in between (B0–B4, BA, C0–C5, CD, D9–DB, E0, F0) are not letters.
 */
const TCVN3_RUNS: Array<[number, string]> = [
  [0xa1, "ĂÂÊÔƠƯĐăâêôơưđ"],
  [0xb5, "àảãáạ"],
  [0xbb, "ằẳẵắ"],
  [0xc6, "ặầẩẫấậè"],
  [0xce, "ẻẽéẹềểễếệìỉ"],
  [0xdc, "ĩíịò"],
  [0xe1, "ỏõóọồổỗốộờởỡớợù"],
  [0xf1, "ủũúụừửữứựỳỷỹýỵ"],
];
const TCVN3 = new Map(TCVN3_RUNS.flatMap(([first, letters]) => [...letters].map((l, i) => [first + i, l] as const)));
const TCVN3_OF = new Map([...TCVN3].map(([code, ch]) => [ch, String.fromCharCode(code)]));

/** Combining marks (NFD): shapes and tones. */
const CIRC = "\u0302";
const BREVE = "\u0306";
const HORN = "\u031b";
const TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]; // none, sắc, huyền, hỏi, ngã, nặng

/** VNI mark characters (lower-case; the upper-case letter of each marks a capital): [shape, tone index]. */
// biome-ignore format: a code table reads best in rows
const VNI_MARKS: Record<string, [string, number]> = {
  ù: ["", 1], ø: ["", 2], û: ["", 3], õ: ["", 4], ï: ["", 5],
  â: [CIRC, 0], á: [CIRC, 1], à: [CIRC, 2], å: [CIRC, 3], ã: [CIRC, 4], ä: [CIRC, 5],
  ê: [BREVE, 0], é: [BREVE, 1], è: [BREVE, 2], ú: [BREVE, 3], ü: [BREVE, 4], ë: [BREVE, 5],
};
/** VNI letters typed as one character: ơ ư đ and i/ỵ with tone marks. */
const VNI_LETTERS: Record<string, string> = { ô: "ơ", ö: "ư", ñ: "đ", í: "í", ì: "ì", æ: "ỉ", ó: "ĩ", ò: "ị", î: "ỵ" };
const VNI_BASES = new Set(["a", "e", "o", "u", "y", "ô", "ö"]);

const lower = (c: string) => c.toLowerCase();
const isUpper = (c: string) => c !== c.toLowerCase();
const withCase = (c: string, upper: boolean) => (upper ? c.toUpperCase() : c);

export function decodeTcvn3(text: string, capitals = false): string {
  let out = "";
  for (const c of text) out += TCVN3.get(c.charCodeAt(0)) ?? c;
  return capitals ? out.toUpperCase() : out;
}

/** A VNI mark after a base letter → the Unicode letter, or null when the pair is not a Vietnamese letter. */
function vniLetter(base: string, mark: string): string | null {
  const m = VNI_MARKS[lower(mark)];
  if (!m) return null;
  const [shape, tone] = m;
  const b = lower(base);
  const letter = VNI_LETTERS[b] ?? b;
  if (shape === CIRC && !"aeo".includes(letter)) return null;
  if (shape === BREVE && letter !== "a") return null;
  if ((b === "ô" || b === "ö") && shape) return null;
  return withCase(`${letter}${shape}${TONES[tone]}`.normalize("NFC"), isUpper(base));
}

export function decodeVni(text: string): string {
  const chars = [...text];
  let out = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    if (VNI_BASES.has(lower(c)) && next) {
      const letter = vniLetter(c, next);
      if (letter) {
        out += letter;
        i++;
        continue;
      }
    }
    const single = VNI_LETTERS[lower(c)];
    out += single ? withCase(single, isUpper(c)) : c;
  }
  return out;
}

export function decodeLegacy(text: string, encoding: LegacyEncoding, capitals = false): string {
  return encoding === "tcvn3" ? decodeTcvn3(text, capitals) : decodeVni(text);
}

/**
 * Unicode → TCVN3, for tests and fixtures. Capitals with tone marks have no TCVN3 code: they are written as
 * the lower-case code, which only the "H" fonts draw as capitals (as documents typed in .VnTimeH do).
 */
export function encodeTcvn3(text: string): string {
  let out = "";
  for (const c of text.normalize("NFC")) out += TCVN3_OF.get(c) ?? TCVN3_OF.get(lower(c)) ?? c;
  return out;
}

const VNI_TONE_MARKS = ["", "ù", "ø", "û", "õ", "ï"];
const VNI_CIRC_MARKS = ["â", "á", "à", "å", "ã", "ä"];
const VNI_BREVE_MARKS = ["ê", "é", "è", "ú", "ü", "ë"];
const VNI_I = ["i", "í", "ì", "æ", "ó", "ò"];

/** Unicode → VNI, for tests and fixtures. */
export function encodeVni(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC")) {
    const parts = [...ch.normalize("NFD")];
    const up = isUpper(ch);
    const base = lower(parts[0]!);
    const marks = parts.slice(1);
    const tone = Math.max(
      0,
      TONES.findIndex((t, i) => i > 0 && marks.includes(t)),
    );
    const c = (s: string) => withCase(s, up);
    if (ch === "đ" || ch === "Đ") out += c("ñ");
    else if (!marks.length || !"aeiouy".includes(base)) out += ch;
    else if (base === "i") out += c(VNI_I[tone]!);
    else if (base === "y" && tone === 5) out += c("î");
    else if (marks.includes(HORN)) out += c(base === "o" ? "ô" : "ö") + c(VNI_TONE_MARKS[tone]!);
    else if (marks.includes(CIRC)) out += c(base) + c(VNI_CIRC_MARKS[tone]!);
    else if (marks.includes(BREVE)) out += c(base) + c(VNI_BREVE_MARKS[tone]!);
    else out += c(base) + c(VNI_TONE_MARKS[tone]!);
  }
  return out;
}

/** The encoding a DOCX font implies: .VnTime/.VnArial… (TCVN3; "H" fonts draw capitals), VNI-Times… (VNI). */
export function fontEncoding(font: string | null | undefined): { encoding: LegacyEncoding; capitals: boolean } | null {
  if (!font) return null;
  const f = font.trim();
  if (/^\.?vn[a-z]/i.test(f) && !/^vni\b/i.test(f)) return { encoding: "tcvn3", capitals: /H$/.test(f.replace(/\s+/g, "")) };
  if (/^vni[-\s]/i.test(f)) return { encoding: "vni", capitals: false };
  return null;
}

/**
 * Characters that legacy-font text is full of and Unicode Vietnamese never uses: in TCVN3 the codes of
 * ă â ê ô ơ ư đ and of letters with tone marks ("Céng hoµ x· héi"); in VNI the marks after a vowel
 * ("Coäng hoøa xaõ hoäi"). None of them is a Vietnamese letter.
 */
const TCVN3_CHARS = /[µ¶·¸¹¨©ª«¬®§½¾ÆÇË×Þßþ¡¢£¤¥¦Ü]/g;
const VNI_CHARS = /[øûïäåëöñÑÖØÛÏÄ]/g;
/** Letters only Unicode Vietnamese has: precomposed tone marks (ạ…ỹ) and ă đ ơ ư. */
const VIETNAMESE = /[\u1EA0-\u1EF9ăđơưĂĐƠƯ]/g;

/** "tcvn3" or "vni" when the text as a whole reads as typed in an old font encoding, else null. */
export function legacyEncoding(text: string): LegacyEncoding | null {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  const tcvn = count(TCVN3_CHARS);
  const vni = count(VNI_CHARS);
  const suspect = Math.max(tcvn, vni);
  if (suspect < 10 || suspect < count(VIETNAMESE)) return null;
  return tcvn >= vni ? "tcvn3" : "vni";
}
