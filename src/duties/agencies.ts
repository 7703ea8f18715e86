// The agency alias table (corpus/agencies.json): canonical ids, names, aliases, group membership.
// Matching is diacritic-, case- and punctuation-insensitive, expands abbreviations (KH&CN, UBND, TP) and ignores
// the filler words "và"/"các", so "so kh&cn", "Sở Khoa học Công nghệ" and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" all meet.
import fs from "node:fs";
import { z } from "zod";
import { tokenSpans } from "../text/tokens.js";
import { fold } from "../text/vietnamese.js";
import type { Agency } from "./types.js";

const agencySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(1),
  short: z.string().optional(),
  kind: z.enum(["agency", "group"]),
  aliases: z.array(z.string().min(1)).default([]),
  memberOf: z.array(z.string()).default([]),
  note: z.string().optional(),
  /** The agency that took this one over (2025 mergers: Sở KH&ĐT → Sở Tài chính). */
  mergedInto: z.string().optional(),
  /**
   * The former agencies this one replaces, with the date (Sở Nông nghiệp và Môi trường ← Sở Nông nghiệp và Phát
   * triển nông thôn and Sở Tài nguyên và Môi trường, 2025-03-01). Each former agency gets `mergedInto` this one.
   */
  replaces: z.array(z.object({ id: z.string(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })).default([]),
});

export const agencyFileSchema = z
  .object({
    expansions: z.array(z.object({ forms: z.array(z.string().min(1)).min(1), expansion: z.string().min(1) })).default([]),
    noise: z.array(z.string()).default([]),
    titles: z.array(z.string()).default([]),
    agencies: z.array(agencySchema),
  })
  .superRefine((f, ctx) => {
    const ids = new Set<string>();
    for (const a of f.agencies) {
      if (ids.has(a.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `duplicate agency id ${a.id}` });
      ids.add(a.id);
    }
    for (const a of f.agencies) {
      for (const g of a.memberOf) if (!ids.has(g)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${a.id}: unknown group ${g}` });
      if (a.mergedInto && !ids.has(a.mergedInto))
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${a.id}: unknown successor ${a.mergedInto}` });
      for (const r of a.replaces)
        if (!ids.has(r.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${a.id}: unknown former agency ${r.id}` });
    }
  });
export type AgencyFile = z.infer<typeof agencyFileSchema>;

/** A normalised word with its span in the original string. */
export interface NormToken {
  /** Diacritic-free lower-case word. */
  t: string;
  /** Lower-case word without tone marks but with vowel/đ marks ("sở"→"sơ", "số"→"sô"), when it carries any. */
  m?: string;
  /** The word as typed (lower-case, canonical tone placement), when it carries any mark. */
  a?: string;
  /** Preceded by a dropped plural marker ("các"): a singular agency never matches across it. */
  pl?: true;
  start: number;
  end: number;
}

export interface AgencyMention {
  agency: Agency;
  /** Token range [from, to) in the token list, and the character span in the text. */
  from: number;
  to: number;
  start: number;
  end: number;
  /** The title the name was preceded by ("chu tich" in "Chủ tịch Ủy ban nhân dân các xã"), folded. */
  title?: string;
}

export interface AgencyRegistry {
  readonly agencies: readonly Agency[];
  get(id: string): Agency | undefined;
  /** Normalised tokens of a text, with spans (abbreviations expanded, filler words dropped). */
  tokens(text: string): NormToken[];
  /** Longest alias starting at token i (a leading title such as "Thủ trưởng" may precede it). */
  matchAt(tokens: NormToken[], i: number): AgencyMention | null;
  /** All non-overlapping mentions, left to right. */
  find(text: string): AgencyMention[];
  /** The first agency named in a free text, or null. */
  resolve(text: string): Agency | null;
  /** Transitive groups of an agency, nearest first (depth 1 = direct group). */
  groupsOf(id: string): { id: string; depth: number }[];
  /** Short display form ("Sở KH&CN"), falling back to the name. */
  shortName(id: string): string;
  name(id: string): string;
}

/**
 * Fold one code unit at a time so that offsets in the result equal offsets in the input
 * (fold() of a whole string may change its length around combining marks).
 */
export function foldAligned(text: string): string {
  let out = "";
  for (const ch of text) {
    const f = fold(ch);
    out += f.length === ch.length ? f : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
  }
  return out;
}

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;

/** Tone-free but mark-preserving form: typists often drop or misplace tones, but "sở" ≠ "số" matters. */
function marks(word: string): string | undefined {
  const m = word.normalize("NFD").replace(TONES, "").normalize("NFC").toLowerCase();
  return m === fold(word) ? undefined : m;
}

/** Words of a text with their spans, from the one tokenizer (src/text/tokens.ts), plus the mark-only form. */
function rawTokens(text: string): NormToken[] {
  return tokenSpans(text).map(({ token, start, end }) => {
    const mk = marks(token.orig);
    return mk ? { t: token.fold, m: mk, a: token.acc, start, end } : { t: token.fold, start, end };
  });
}

// Unaccented words match any accent. A word typed with marks must keep its vowel marks ("số" ≠ "sở"), and
// its tone too when the alias is a single word: "hồ sơ" must not name "các Sở".
const sameWord = (a: NormToken | undefined, w: NormToken, single = false): boolean =>
  !!a && a.t === w.t && (!a.m || !w.m || (a.m === w.m && (!single || a.a === w.a)));

/** Tokens with abbreviations expanded ("KH&CN" → "khoa học công nghệ") and filler words dropped. */
function agencyTokenizer(file: AgencyFile): (text: string) => NormToken[] {
  const noise = new Set(file.noise.map((w) => fold(w)));
  const PLURAL = new Set(["cac", "nhung"]);
  // Abbreviation forms as raw token sequences → expansion words. Longest first.
  const expansions = file.expansions
    .flatMap((e) => e.forms.map((f) => ({ form: rawTokens(f).map((t) => t.t), exp: rawTokens(e.expansion).map((t) => t.t) })))
    .filter((e) => e.form.length > 0)
    .sort((a, b) => b.form.length - a.form.length);
  return (text) => {
    const raw = rawTokens(text);
    const out: NormToken[] = [];
    let plural = false;
    const emit = (tok: NormToken) => {
      out.push(plural ? { ...tok, pl: true } : tok);
      plural = false;
    };
    for (let i = 0; i < raw.length; ) {
      const e = expansions.find((x) => x.form.every((w, k) => raw[i + k]?.t === w));
      if (e) {
        const start = raw[i]!.start;
        const end = raw[i + e.form.length - 1]!.end;
        for (const w of e.exp) if (!noise.has(w)) emit({ t: w, start, end });
        i += e.form.length;
        continue;
      }
      const tok = raw[i]!;
      if (noise.has(tok.t)) plural ||= PLURAL.has(tok.t);
      else emit(tok);
      i++;
    }
    return out;
  };
}

type AliasIndex = Map<string, { words: NormToken[]; agency: Agency }[]>;

/** First word → aliases (as word lists), longest first. */
function aliasIndex(agencies: Agency[], tokens: (text: string) => NormToken[]): AliasIndex {
  const index: AliasIndex = new Map();
  for (const a of agencies) {
    for (const alias of new Set([a.name, ...(a.short ? [a.short] : []), ...a.aliases])) {
      const words = tokens(alias);
      if (!words.length) continue;
      const key = words.map((w) => w.m ?? w.t).join(" ");
      const list = index.get(words[0]!.t) ?? [];
      if (!list.some((x) => x.agency === a && x.words.map((w) => w.m ?? w.t).join(" ") === key)) list.push({ words, agency: a });
      index.set(words[0]!.t, list);
    }
  }
  for (const list of index.values()) list.sort((x, y) => y.words.length - x.words.length);
  return index;
}

/** Longest alias at token i, after an optional leading title ("Thủ trưởng các Sở, ngành"). */
function aliasMatcher(index: AliasIndex, titles: NormToken[][]): (toks: NormToken[], i: number) => AgencyMention | null {
  const aliasAt = (toks: NormToken[], i: number): { agency: Agency; to: number } | null => {
    const first = toks[i];
    if (!first) return null;
    for (const cand of index.get(first.t) ?? []) {
      if (!cand.words.every((w, k) => sameWord(toks[i + k], w, cand.words.length === 1))) continue;
      // "Ủy ban nhân dân các tỉnh", "các Tỉnh ủy" name many bodies: a single agency never follows a plural marker
      // its alias does not have.
      if (cand.agency.kind === "agency" && cand.words.some((w, k) => toks[i + k]!.pl && !w.pl)) continue;
      return { agency: cand.agency, to: i + cand.words.length };
    }
    return null;
  };
  return (toks, i) => {
    let hit = aliasAt(toks, i);
    let title: NormToken[] | undefined;
    if (!hit) {
      title = titles.find((t) => t.every((w, k) => sameWord(toks[i + k], w)));
      if (title) hit = aliasAt(toks, i + title.length);
    }
    if (!hit) return null;
    const span = { agency: hit.agency, from: i, to: hit.to, start: toks[i]!.start, end: toks[hit.to - 1]!.end };
    return title ? { ...span, title: title.map((w) => w.t).join(" ") } : span;
  };
}

/** Transitive groups of an agency, nearest first (breadth first over memberOf). */
function groupsFinder(byId: Map<string, Agency>): (id: string) => { id: string; depth: number }[] {
  return (id) => {
    const out: { id: string; depth: number }[] = [];
    const seen = new Set([id]);
    let frontier = [id];
    for (let depth = 1; frontier.length; depth++) {
      const next: string[] = [];
      for (const g of frontier.flatMap((f) => byId.get(f)?.memberOf ?? []))
        if (!seen.has(g)) {
          seen.add(g);
          out.push({ id: g, depth });
          next.push(g);
        }
      frontier = next;
    }
    return out;
  };
}

/** Each former agency points at the one that replaced it, with the date ("replaces" read backwards). */
function withHistory(file: AgencyFile): Agency[] {
  const agencies: Agency[] = file.agencies.map(({ replaces, ...a }) => (replaces.length ? { ...a, replaces } : { ...a }));
  const byId = new Map(agencies.map((a) => [a.id, a]));
  for (const a of agencies)
    for (const r of a.replaces ?? []) {
      const former = byId.get(r.id)!;
      former.mergedInto ??= a.id;
      if (former.mergedInto === a.id) former.mergedOn = r.date;
    }
  return agencies;
}

export function createAgencyRegistry(file: AgencyFile): AgencyRegistry {
  const agencies = withHistory(file);
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const tokens = agencyTokenizer(file);
  const matchAt = aliasMatcher(
    aliasIndex(agencies, tokens),
    file.titles.map((t) => tokens(t)).filter((t) => t.length),
  );
  const find = (text: string): AgencyMention[] => {
    const toks = tokens(text);
    const out: AgencyMention[] = [];
    for (let i = 0; i < toks.length; ) {
      const m = matchAt(toks, i);
      if (m) {
        out.push(m);
        i = m.to;
      } else i++;
    }
    return out;
  };
  return {
    agencies,
    get: (id) => byId.get(id),
    tokens,
    matchAt,
    find,
    resolve: (text) => find(text)[0]?.agency ?? null,
    groupsOf: groupsFinder(byId),
    shortName: (id) => byId.get(id)?.short ?? byId.get(id)?.name ?? id,
    name: (id) => byId.get(id)?.name ?? id,
  };
}

/** A registry from the agency table's JSON (the corpus's agencies.json); `source` names it in errors. */
export function agencyRegistryFrom(raw: unknown, source: string): AgencyRegistry {
  const parsed = agencyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid agency table ${source}: ${issues}`);
  }
  return createAgencyRegistry(parsed.data);
}

export function loadAgencyRegistry(filePath: string): AgencyRegistry {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(filePath, "utf8"));
  } catch (err) {
    throw new Error(`Cannot read agency table ${filePath}: ${(err as Error).message}`);
  }
  return agencyRegistryFrom(raw, filePath);
}

/** A corpus without agencies.json: agencies are still found by their form ("Sở …"), under "auto:" ids. */
export const EMPTY_AGENCY_TABLE: AgencyFile = { expansions: [], noise: ["và", "các", "những"], titles: [], agencies: [] };

/** "Sở Tài nguyên và Môi trường nay là Sở Nông nghiệp và Môi trường (từ 01/03/2025)", for an agency that was replaced. */
export function successorNote(reg: AgencyRegistry, agency: Agency): string | null {
  const next = agency.mergedInto ? reg.get(agency.mergedInto) : undefined;
  if (!next) return null;
  const since = agency.mergedOn ? ` (từ ${agency.mergedOn.split("-").reverse().join("/")})` : "";
  return `${agency.name} nay là ${next.name}${since}`;
}

/** The registry of an index version's copy of agencies.json (built when the version is loaded). */
export function registryOfTable(agencyTable: unknown): AgencyRegistry {
  return agencyTable ? agencyRegistryFrom(agencyTable, "of the index version") : createAgencyRegistry(EMPTY_AGENCY_TABLE);
}

/** The registry of a loaded index version. */
export function agenciesOfIndex(index: { agencies: AgencyRegistry }): AgencyRegistry {
  return index.agencies;
}

/** The agency a user's free text names ("so tai chinh", "Sở TC", "sở kh&cn", "ubnd huyen"), or null. */
export function resolveAgency(text: string, registry: AgencyRegistry): Agency | null {
  return registry.resolve(text);
}
