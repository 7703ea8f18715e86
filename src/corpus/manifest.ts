// The corpus manifest (corpus/manifest.json): one validated entry per document.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { DocumentMeta } from "../types.js";

export const documentMetaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,80}$/, "id: lower-case letters, digits and '-'"),
    file: z.string().min(1),
    style: z.enum(["plan", "party", "articles"]),
    title: z.string().min(1),
    shortTitle: z.string().min(1),
    number: z.string().nullable(),
    issuer: z.string().min(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    status: z.enum(["in_force", "superseded", "unknown"]),
    supersededBy: z.string().optional(),
    statusNote: z.string().optional(),
    aliases: z.array(z.string()).default([]),
    source: z.string().default(""),
    completeness: z.string().default(""),
  })
  .refine((d) => d.status !== "superseded" || !!d.supersededBy, {
    message: "a superseded document needs supersededBy",
  })
  .refine((d) => !path.isAbsolute(d.file) && !d.file.split(/[\\/]/).includes(".."), {
    message: "file must be a path inside the corpus directory",
  });

export const manifestSchema = z
  .object({ documents: z.array(documentMetaSchema) })
  .refine((m) => new Set(m.documents.map((d) => d.id)).size === m.documents.length, {
    message: "document ids must be unique",
  });

export type Manifest = { documents: DocumentMeta[] };

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
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid corpus manifest ${file}: ${issues}`);
  }
  return parsed.data as Manifest;
}
