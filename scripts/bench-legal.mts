// Distinct documents for the benchmark's quality at scale: the 17 laws of the public legal benchmark
// (../shared/eval/legal, read in place, never copied into the repository) added to a synthetic corpus, and
// their questions scored by the gold article. Synthetic copies of the shipped documents are filler around
// them: the copies cannot win by a tie-break, because no legal question is about them.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DocumentMeta } from "../src/types.js";

export interface LegalQuestion {
  id: string;
  question: string;
  gold: { doc: string; article: string }[];
}

export const defaultLegalDir = (root: string) => path.resolve(root, "../shared/eval/legal");

/** Split by a hash of the id (stable whatever the file order): test is the last quarter, as the eval does. */
export function legalSplit(id: string): "train" | "dev" | "test" {
  const h = crypto.createHash("sha256").update(`legal-split-v1:${id}`).digest().readUInt32BE(0) / 2 ** 32;
  return h < 0.5 ? "train" : h < 0.75 ? "dev" : "test";
}

export function readLegalQuestions(dir: string, split?: string): LegalQuestion[] {
  const lines = fs.readFileSync(path.join(dir, "questions.jsonl"), "utf8").split("\n").filter(Boolean);
  const all = lines.map((l) => JSON.parse(l) as LegalQuestion);
  return split ? all.filter((q) => legalSplit(q.id) === split) : all;
}

function frontMatter(raw: string): { fields: Record<string, string>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(raw);
  if (!m) return { fields: {}, body: raw };
  const fields = Object.fromEntries(
    m[1]!.split("\n").flatMap((l) => {
      const i = l.indexOf(":");
      return i > 0 ? [[l.slice(0, i).trim(), l.slice(i + 1).trim()]] : [];
    }),
  );
  return { fields, body: raw.slice(m[0].length) };
}

/** Write each law into `corpusDir/documents` and return its manifest entry (id = the file name). */
export function writeLaws(legalDir: string, corpusDir: string, except: string[] = []): DocumentMeta[] {
  const lawsDir = path.join(legalDir, "laws");
  return fs
    .readdirSync(lawsDir)
    .filter((f) => f.endsWith(".txt") && !except.includes(f.replace(/\.txt$/, "")))
    .sort()
    .map((f) => {
      const id = f.replace(/\.txt$/, "");
      const { fields, body } = frontMatter(fs.readFileSync(path.join(lawsDir, f), "utf8"));
      const file = `documents/${id}.txt`;
      fs.writeFileSync(path.join(corpusDir, file), `${fields.title ?? id}\n\n${body}`);
      const title = fields.title ?? id;
      return {
        id,
        file,
        style: "articles" as const,
        title,
        shortTitle: title,
        number: fields.number ?? null,
        issuer: fields.issuer ?? "Quốc hội",
        date: null,
        status: "in_force" as const,
        aliases: [],
        source: "../shared/eval/legal (benchmark only)",
        completeness: "",
      } satisfies DocumentMeta;
    });
}

/** Rank (1-based) of the first citation of a gold article (D32, D32.1, D32.1.a count for article 32). */
export function goldRank(q: LegalQuestion, cited: { doc: string; section: string }[]): number | null {
  const at = cited.findIndex((c) => q.gold.some((g) => c.doc === g.doc && new RegExp(`^D${g.article}(\\.|$)`).test(c.section)));
  return at < 0 ? null : at + 1;
}
