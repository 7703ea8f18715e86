// Tokens and features: syllables and syllable bigrams, accented and diacritic-free.
import { fold, foldSpelling, nfc, normalizeVietnamese } from "./vietnamese.js";

export interface Token {
  /** As written (NFC), for case-sensitive glossary forms such as "AI". */
  orig: string;
  /** Lower-case, canonical tone placement. */
  acc: string;
  /** Diacritic-free, spelling-folded. */
  fold: string;
  /** A phrase boundary (punctuation) stands before this token: no bigram across it. */
  brk: boolean;
  /** The word carries diacritics (computed once: matching asks this often). */
  marked: boolean;
}

// A token is a run of letters/digits, "&" joins abbreviations (KH&CN, R&D).
const TOKEN_RE = /[\p{L}\p{N}]+(?:&[\p{L}\p{N}]+)*/gu;

export function makeToken(orig: string, brk = false): Token {
  const folded = fold(orig);
  return { orig, acc: normalizeVietnamese(orig), fold: foldSpelling(folded), brk, marked: folded !== orig.toLowerCase() };
}

/**
 * makeToken with a memo of the word forms seen (an analyzer keeps one per index version or build): a corpus
 * repeats a few thousand syllables, so each is normalised once. The memo is emptied when it reaches `limit`.
 */
export function memoizedTokenMaker(limit = 200_000): (orig: string, brk: boolean) => Token {
  const seen = new Map<string, Token>();
  return (orig, brk) => {
    let t = seen.get(orig);
    if (!t) {
      if (seen.size >= limit) seen.clear();
      seen.set(orig, (t = makeToken(orig)));
    }
    return t.brk === brk ? t : { ...t, brk };
  };
}

export function tokenize(text: string, make: (orig: string, brk: boolean) => Token = makeToken): Token[] {
  const s = nfc(text);
  const out: Token[] = [];
  let last = 0;
  for (const m of s.matchAll(TOKEN_RE)) {
    const gap = s.slice(last, m.index);
    const brk = out.length === 0 || /[.,;:!?()"“”«»[\]|…\n]/.test(gap);
    out.push(make(m[0], brk));
    last = m.index + m[0].length;
  }
  return out;
}

/** Tokens with their character span in `text` (expected in NFC, as questions and sections are). */
export function tokenSpans(text: string): Array<{ token: Token; start: number; end: number }> {
  return [...text.matchAll(TOKEN_RE)].map((m) => ({ token: makeToken(m[0]), start: m.index, end: m.index + m[0].length }));
}

export interface FeatureOptions {
  /** Add accented features (only for tokens that carry diacritics when `onlyMarked`). */
  accented: boolean;
  onlyMarked?: boolean;
  /** For words with diacritics emit only accented features (our own glossary text: "ký" must not match "kỳ"). */
  exactMarked?: boolean;
  weight?: number;
}

/** Accented features count less in ranking (lexical.ts); exact-only words get this factor back. */
export const ACCENTED_ONLY_BOOST = 2.8;

/** The folded word-pair features of a bag ("f:nghiep_nho": "doanh nghiệp nhỏ", which "doanh nghiệp siêu nhỏ" lacks). */
export function wordPairKeys(features: ReadonlyMap<string, number>): string[] {
  return [...features.keys()].filter((k) => k.startsWith("f:") && k.includes("_"));
}

/** Whether two adjacent words make a phrase of the corpus ("siêu nhỏ"); compared diacritic-free. */
export type CorpusPhrase = (word: string, next: string) => boolean;

/**
 * Whether two adjacent words make a phrase of the corpus: their folded word pair ("sieu_nho") is a feature of some
 * indexed unit.
 */
export function corpusPhrase(lexical: { df(feature: string): number }): CorpusPhrase {
  return (word, next) => lexical.df(`f:${fold(word)}_${fold(next)}`) > 0;
}

/** Bag of features with weights: `f:` folded, `a:` accented; unigrams and bigrams ("x_y"). */
export function addFeatures(bag: Map<string, number>, tokens: Token[], opts: FeatureOptions): void {
  const w = opts.weight ?? 1;
  const add = (k: string, v: number) => bag.set(k, (bag.get(k) ?? 0) + v);
  tokens.forEach((t, i) => {
    const prev = i > 0 && !t.brk ? tokens[i - 1] : undefined;
    if (opts.exactMarked && t.marked) {
      add(`a:${t.acc}`, w * ACCENTED_ONLY_BOOST);
      if (prev) add(prev.marked ? `a:${prev.acc}_${t.acc}` : `f:${prev.fold}_${t.fold}`, w * (prev.marked ? ACCENTED_ONLY_BOOST : 1));
      return;
    }
    add(`f:${t.fold}`, w);
    if (prev) add(`f:${prev.fold}_${t.fold}`, w);
    if (opts.accented) {
      const marked = !opts.onlyMarked || t.marked;
      if (marked) add(`a:${t.acc}`, w);
      if (prev && marked && (!opts.onlyMarked || prev.marked)) add(`a:${prev.acc}_${t.acc}`, w);
    }
  });
}

/**
 * Question words and function words: they carry no topic, so coverage checks skip them. Accented forms are
 * exact; the diacritic-free list applies to words typed without diacritics only, and keeps only forms that are
 * far more often the function word ("tai" could be "tài chính").
 */
const STOP_ACCENTED = new Set(
  (
    "là gì nào ai có không được những các của cho và thì ra sao thế như bao nhiêu nhiều khi lúc mình tôi em anh chị bạn " +
    "hỏi xin vui lòng ạ nhé với về tại trong theo để ở đến từ một này đó kia phải cần nên hay hoặc mà vậy biết " +
    "muốn giúp nói đang đã sẽ bị bởi vào lên làm cái chuyện việc người ơi gồm nêu thế mấy nếu chào " +
    // Chat particles and "đâu" (where): typed with diacritics, a word no document uses would hold the question back.
    // "giờ" alone is "now" in chat ("giờ muốn …", "bây giờ"); "giờ làm việc" is a topic pair.
    "à ừ nhỉ chứ đâu nữa rồi vâng dạ nhá hả nhưng nó bây từng giờ bọn luôn hôm đây ấy"
  )
    .split(/\s+/)
    .map((w) => w.normalize("NFC")),
);
const STOP_FOLDED = new Set(
  (
    "la gi nao ai khong duoc nhung cac cua cho va ra sao nhieu khi em xin vui long a nhe voi ve trong theo o den " +
    "mot nay kia phai nen hay hoac vay biet muon giup se bi boi vao len nguoi viec ko k dc j neu chao gom " +
    "what who when where which how why is are the a an of to for in on do does did can i my me please tell about " +
    "must should have has get say says said anything something any under from come comes would could will shall " +
    "might there this that these those its been being by with or and if then they their also " +
    "only does doing according regarding mention mentions mentioned many much after hi hello m s ll ve re d " +
    "we us our ours you your yours instead take takes taken took give gives given gave"
  ).split(/\s+/),
);

/**
 * Typed without diacritics, these are nearly always the function word ("thi" is "thì" far more often than
 * "thi" (exam), "di" is "đi", "co" is "có" — but "co quan" is "cơ quan": UNMARKED_TOPIC_PAIRS); typed with
 * diacritics they are read as typed.
 */
const STOP_UNMARKED = new Set(["thi", "di", "ma", "the", "nhu", "luc", "can", "xong", "roi", "co", "nua"]);

export function isStopword(t: Token): boolean {
  // A word typed with diacritics is read as typed: "bồi" (bồi thường), "khí", "bí", "đền", "mẹ", "tờ" fold like the
  // function words "bởi", "khi", "bị", "đến" and the English "me", "to" but are topic words.
  if (t.marked) return STOP_ACCENTED.has(t.acc);
  return STOP_FOLDED.has(t.fold) || STOP_UNMARKED.has(t.fold);
}

/**
 * Pairs in which a function word is half of a topic word ("thay thế" replace, "thế chấp" mortgage, "việc làm"
 * employment, "ngày làm việc" working days, "trong nước" domestic as against "nước ngoài"), diacritic-free: both halves count as topic words there.
 */
const TOPIC_PAIRS = new Set([
  "thay the",
  "the gioi",
  "the he",
  "the manh",
  "loi the",
  "xu the",
  "vi the",
  "the chap",
  "viec lam",
  "lam viec",
  "gio lam",
  "gio hanh",
  "trong nuoc",
]);

/**
 * Pairs whose bare function word ("co", read "có") is, typed without diacritics, half of a topic word: "co quan" is
 * "cơ quan", "co so" "cơ sở", "co phan" "cổ phần".
 */
const UNMARKED_TOPIC_PAIRS = new Set([
  "co quan",
  "co so",
  "co hoi",
  "co che",
  "co cau",
  "co ban",
  "co khi",
  "co dong",
  "co phan",
  "co phieu",
]);

/**
 * Pronouns typed without diacritics as a pair ("bon minh" bọn mình, "ben toi" bên tôi, "cua minh" của mình): "minh",
 * "toi" and "bon" alone may be topic words ("minh bạch", "tối đa", "bón phân"), in these pairs they are the asker.
 */
const UNMARKED_PRONOUN_PAIRS = new Set([
  "bon minh",
  "ben minh",
  "chung minh",
  "cua minh",
  "cho minh",
  "voi minh",
  "giup minh",
  "chung toi",
  "ben toi",
  "cua toi",
]);

/** Whether tokens[i] and the word before or after it (no sentence break between) form a pair `accepts` takes. */
function inPair(tokens: readonly Token[], i: number, accepts: (pair: string, a: Token, b: Token) => boolean): boolean {
  const at = (a: Token | undefined, b: Token | undefined) => !!a && !!b && !b.brk && accepts(`${a.fold} ${b.fold}`, a, b);
  return at(tokens[i - 1], tokens[i]) || at(tokens[i], tokens[i + 1]);
}

/**
 * What "mấy" (how many) counts, folded: typed without marks, "may" before one of these is the question word ("mỗi năm
 * được may khoá", "may ngay co ket qua"), not "máy" (a machine), which is said before what it is ("máy móc", "máy tính").
 */
const COUNTED_BY_MAY = new Set([
  "nam",
  "thang",
  "tuan",
  "ngay",
  "gio",
  "lan",
  "khoa",
  "lop",
  "nguoi",
  "hoc",
  "dot",
  "buoc",
  "cach",
  "loai",
  "muc",
  "phan",
  "trieu",
  "ty",
]);

/** Whether tokens[i] is a function word where it stands: not when it is half of a topic pair, always in a pronoun pair. */
export function isStopwordAt(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if (inPair(tokens, i, (pair, a, b) => !a.marked && !b.marked && UNMARKED_PRONOUN_PAIRS.has(pair))) return true;
  const next = tokens[i + 1];
  if (!t.marked && t.fold === "may" && next && !next.brk && COUNTED_BY_MAY.has(next.fold)) return true;
  if (!isStopword(t)) return false;
  return !inPair(tokens, i, (pair) => TOPIC_PAIRS.has(pair) || (!t.marked && UNMARKED_TOPIC_PAIRS.has(pair)));
}

/** Phrases that only frame a question ("có nhắc đến … không", "nói gì về", "như thế nào"). */
const QUESTION_PHRASES = [
  "de cap",
  "nhac den",
  "nhac toi",
  "nhac",
  "noi gi",
  "noi ve",
  "nhu the nao",
  "the nao",
  "ra sao",
  "la gi",
  "nhung gi",
  "bao gio",
  "bao nhieu",
  "bao lau",
  "may ngay",
  "may nam",
  "may thang",
  "phan tram",
  "khi nao",
  "o dau",
  "cho biet",
  "cho hoi",
  "hoi them",
  "duoc quy dinh",
  "quy dinh gi",
  "quy dinh the nao",
  "quy dinh",
  "co phai",
  "hay khong",
  "co khong",
  "gom nhung",
  "bao gom",
  "ke ten",
  "liet ke",
  "tom tat",
  "noi chung",
  "cu the",
].map((p) => p.split(" "));

/** Indices of tokens that belong to a question-framing phrase. */
export function questionPhraseTokens(tokens: Token[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < tokens.length; i++)
    for (const p of QUESTION_PHRASES) if (p.every((w, k) => tokens[i + k]?.fold === w)) p.forEach((_, k) => out.add(i + k));
  return out;
}
