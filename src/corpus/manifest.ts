// The corpus manifest (corpus/manifest.json): one validated entry per document.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { DocumentMeta } from "../types.js";
import { profileSchema, type Profile } from "./profile.js";

export { assistantSubject, assistantTopics, carriesDuties, EMPTY_PROFILE, exampleQuestions, primaryDocuments } from "./profile.js";
export type { Profile } from "./profile.js";

export const documentMetaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,80}$/, "id: lower-case letters, digits and '-'"),
    file: z.string().min(1),
    style: z.enum(["plan", "party", "articles"]),
    title: z.string().min(1),
    shortTitle: z.string().min(1),
    number: z.string().nullable(),
    issuer: z.string().min(1),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    status: z.enum(["in_force", "superseded", "unknown"]),
    supersededBy: z.string().optional(),
    statusNote: z.string().optional(),
    aliases: z.array(z.string()).default([]),
    source: z.string().default(""),
    completeness: z.string().default(""),
    /** "primary": what a question naming no document is answered from; "reference": everything else. */
    role: z.enum(["primary", "reference"]).default("reference"),
    /** Whether duty records (who does what, by when) are extracted; unset: true for style "plan". */
    duties: z.boolean().optional(),
  })
  .refine((d) => d.status !== "superseded" || !!d.supersededBy, {
    message: "a superseded document needs supersededBy",
  })
  .refine((d) => !path.isAbsolute(d.file) && !d.file.split(/[\\/]/).includes(".."), {
    message: "file must be a path inside the corpus directory",
  });

/** Documents that users ask about but whose text the corpus does not hold (answers say so). */
export const missingDocumentSchema = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string().min(4)).default([]),
  note: z.string().default(""),
});

export const manifestSchema = z
  .object({
    documents: z.array(documentMetaSchema),
    notInCorpus: z.array(missingDocumentSchema).default([]),
    profile: profileSchema.optional(),
  })
  .refine((m) => new Set(m.documents.map((d) => d.id)).size === m.documents.length, {
    message: "document ids must be unique",
  });

export type MissingDocument = z.infer<typeof missingDocumentSchema>;
export type Manifest = { documents: DocumentMeta[]; notInCorpus?: MissingDocument[]; profile?: Profile };

export function manifestPath(corpusDir: string): string {
  return path.join(corpusDir, "manifest.json");
}

export function readManifest(corpusDir: string): Manifest {
  const file = manifestPath(corpusDir);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`Cannot read corpus manifest ${file}: ${(err as Error).message}`);
  }
  try {
    return validateManifest(raw);
  } catch (err) {
    throw new Error(`${(err as Error).message} (${file})`);
  }
}

/** Validate a manifest, throwing an English error listing the issues (for writes). */
export function validateManifest(value: unknown): Manifest {
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid corpus manifest: ${issues}`);
  }
  return parsed.data as Manifest;
}

/**
 * Write manifest.json after validating it, in the file's existing layout (2-space JSON, no final newline),
 * through a temporary file and a rename so a reader never sees half a manifest.
 */
export function writeManifest(corpusDir: string, manifest: Manifest): void {
  validateManifest(manifest);
  const file = manifestPath(corpusDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(manifest, null, 2));
  fs.renameSync(tmp, file);
}
