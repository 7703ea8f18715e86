// Option syntax shared by the CLI and chat captions ("--id kh-12 --title "Kế hoạch …" --replace").
import type { DocumentRole, DocumentStyle } from "../types.js";
import { CorpusError, type MetaOverrides } from "../corpus/ingest/index.js";

const VALUE_FLAGS = [
  "id",
  "title",
  "short-title",
  "number",
  "date",
  "issuer",
  "style",
  "status",
  "by",
  "note",
  "supersedes",
  "alias",
  "source",
  "role",
] as const;
const BOOL_FLAGS = ["replace", "yes", "dry-run", "json", "help"] as const;
const SHORT: Record<string, string> = { y: "yes", h: "help" };

export type Flags = Partial<Record<(typeof VALUE_FLAGS)[number], string[]>> & Partial<Record<(typeof BOOL_FLAGS)[number], boolean>>;

/** Shell-like split: spaces separate, "…", '…' and the “…” that phone keyboards type group. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|“([^”]*)”|(\S+)/gu;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  return out;
}

export function parseFlags(argv: string[]): { positionals: string[]; flags: Flags } {
  const positionals: string[] = [];
  const flags: Record<string, string[] | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!.replace(/^[—–]/, "--"); // phones turn "--" into a dash
    if (!a.startsWith("-") || a === "-" || /^-\d/.test(a)) {
      positionals.push(a);
      continue;
    }
    let [name, value] = a.replace(/^--?/, "").split(/=(.*)/s, 2) as [string, string | undefined];
    name = SHORT[name] ?? name;
    if ((BOOL_FLAGS as readonly string[]).includes(name)) {
      flags[name] = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name))
      throw new CorpusError("usage", `Không hiểu tùy chọn «${a}».`, `unknown option ${a}`);
    value ??= argv[++i];
    if (value === undefined) throw new CorpusError("usage", `Tùy chọn --${name} cần một giá trị.`, `option --${name} needs a value`);
    flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
  }
  return { positionals, flags: flags as Flags };
}

const last = (v: string[] | undefined) => v?.[v.length - 1];
const list = (v: string[] | undefined) =>
  v
    ?.flatMap((x) => x.split(","))
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Aliases: the flag is repeatable and one value may hold several separated by ";". Commas belong to names
 * ("Luật Phòng, chống ma túy"), so they never separate.
 */
export const aliasList = (v: string[]) =>
  v
    .flatMap((x) => x.split(";"))
    .map((s) => s.trim())
    .filter(Boolean);

export function overridesFrom(flags: Flags): MetaOverrides {
  const style = last(flags.style);
  if (style !== undefined && !["plan", "party", "articles"].includes(style))
    throw new CorpusError("usage", `Kiểu văn bản «${style}» không hợp lệ: dùng plan, party hoặc articles.`, `bad style ${style}`);
  const status = last(flags.status);
  if (status !== undefined && !["in_force", "superseded", "unknown"].includes(status))
    throw new CorpusError("usage", `Tình trạng «${status}» không hợp lệ: dùng in_force, superseded hoặc unknown.`, `bad status ${status}`);
  const role = last(flags.role);
  if (role !== undefined && !["primary", "reference"].includes(role))
    throw new CorpusError(
      "usage",
      `Vai trò «${role}» không hợp lệ: dùng primary (kế hoạch chính) hoặc reference (tham khảo).`,
      `bad role ${role}`,
    );
  const o: MetaOverrides = {};
  if (role) o.role = role as DocumentRole;
  if (flags.id) o.id = last(flags.id);
  if (flags.title) o.title = last(flags.title);
  if (flags["short-title"]) o.shortTitle = last(flags["short-title"]);
  if (flags.number) o.number = last(flags.number);
  if (flags.date) o.date = last(flags.date);
  if (flags.issuer) o.issuer = last(flags.issuer);
  if (style) o.style = style as DocumentStyle;
  if (status) o.status = status as MetaOverrides["status"];
  if (flags.by) o.supersededBy = last(flags.by);
  if (flags.note) o.statusNote = last(flags.note);
  if (flags.alias) o.aliases = aliasList(flags.alias);
  if (flags.source) o.source = last(flags.source);
  return o;
}

export const supersedesFrom = (flags: Flags) => list(flags.supersedes) ?? [];
