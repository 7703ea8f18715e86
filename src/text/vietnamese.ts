// Vietnamese normalisation: NFC, one tone-mark placement, case folding and diacritic-free folding.

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g; // huyền, sắc, ngã, hỏi, nặng
const TONE_SET = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
const VOWELS = new Set([..."aăâeêioôơuưy"]);
const MODIFIED = new Set([..."ăâêôơư"]);

/** NFC, unify look-alike characters (Icelandic Ð, non-breaking and zero-width spaces). */
export function nfc(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\u00d0/g, "Đ")
    .replace(/\u00f0/g, "đ")
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .replace(/[\u200b\u200c\u200d\ufeff]/g, "");
}

/**
 * Put the tone mark of one lower-case syllable where the "old style" puts it (hòa, thủy, hóa),
 * so that "hoà"/"hòa" and "thuỷ"/"thủy" become the same string.
 */
function placeTone(word: string): string {
  const decomposed = word.normalize("NFD");
  let tone = "";
  for (const ch of decomposed) if (TONE_SET.has(ch)) tone = ch;
  if (!tone) return word;
  const bare = [...decomposed.replace(TONE_MARKS, "").normalize("NFC")];
  let start = 0;
  if (bare[0] === "q" && bare[1] === "u") start = 2;
  else if (bare[0] === "g" && bare[1] === "i" && bare.length > 2 && VOWELS.has(bare[2]!)) start = 2;
  let i = start;
  while (i < bare.length && !VOWELS.has(bare[i]!)) i++;
  const first = i;
  while (i < bare.length && VOWELS.has(bare[i]!)) i++;
  const end = i; // exclusive
  if (first >= end) {
    // "gì", "quý"-like words where the only vowel was taken as part of the onset.
    const pos = bare.findIndex((c) => VOWELS.has(c));
    if (pos < 0) return word;
    return insertTone(bare, pos, tone);
  }
  const cluster = bare.slice(first, end);
  let pos: number;
  const lastModified = cluster.map((c) => MODIFIED.has(c)).lastIndexOf(true);
  if (lastModified >= 0) pos = first + lastModified;
  else if (end < bare.length)
    pos = end - 1; // closed syllable: last vowel (hoàn, thuyết)
  else if (cluster.length >= 3)
    pos = first + 1; // open, three vowels: middle (ngoài, khuỷu)
  else pos = first; // open syllable: first vowel (hòa, thủy, tài)
  return insertTone(bare, pos, tone);
}

function insertTone(chars: string[], pos: number, tone: string): string {
  const withTone = chars.map((c, k) => (k === pos ? (c + tone).normalize("NFC") : c));
  return withTone.join("").normalize("NFC");
}

/** Lower-case, NFC, canonical tone placement. Keeps diacritics. */
export function normalizeVietnamese(text: string): string {
  return nfc(text)
    .toLowerCase()
    .replace(/\p{L}+/gu, (w) => placeTone(w));
}

/** Diacritic-free form: "Báo cáo định kỳ" → "bao cao dinh ky". */
export function fold(text: string): string {
  return nfc(text)
    .toLowerCase()
    .replace(/đ/g, "d")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .normalize("NFC");
}

/** Spelling variants that folding alone misses: final "y" after a consonant is written "i" too (kỳ/kì, lý/lí). */
export function foldSpelling(folded: string): string {
  return folded.replace(/^([bcdghklmnprstvx]|ch|kh|ph|th|tr|nh|ng|ngh)y$/, "$1i");
}

/** Upper-case only the first letter ("MỤC ĐÍCH, YÊU CẦU" → "Mục đích, yêu cầu"). */
export function sentenceCase(text: string): string {
  const lower = nfc(text).toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** True for a heading written in capitals ("NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU"). */
export function isAllCaps(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, "");
  return letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/** A document number inside a title ("14-CTr/TU", "57-NQ/TW", "80/2021/NĐ-CP"): it keeps its own case. */
const DOCUMENT_NUMBER = /^[(\p{L}\d]*\d[\p{L}\d]*(?:[-/][\p{L}\d.]+)+[,;.)]?$/u;

/** A title written in capitals, its document numbers aside ("THỰC HIỆN CHƯƠNG TRÌNH … SỐ 14-CTr/TU …"). */
export function isTitleInCapitals(text: string): boolean {
  return isAllCaps(
    text
      .split(/\s+/)
      .filter((w) => !DOCUMENT_NUMBER.test(w))
      .join(" "),
  );
}

/** A title in capitals in lower case, its document numbers as written ("… số 14-CTr/TU ngày 05/8/2025 …"). */
export function lowerTitle(text: string): string {
  return text
    .split(/(\s+)/)
    .map((w) => (DOCUMENT_NUMBER.test(w) ? w : w.toLowerCase()))
    .join("");
}

/** A folded syllable shaped like Vietnamese: initial consonant(s), one to three vowels, an allowed final. */
const SYLLABLE = /^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|nh|ng|[cmnpt])?$/;

export function isVietnameseSyllable(folded: string): boolean {
  return SYLLABLE.test(folded);
}
