// Validation of a staged index version before it may serve: every document has text, the corpus's smoke
// questions (corpus/checks.json) are still answered from their sections, each new or changed document is
// found by its own words. The answering core sits above this layer, so it comes in as `AnswerChecks`.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { CorpusError } from "../corpus/ingest/errors.js";
import type { LoadedIndex } from "../index/store.js";
import { ownText } from "../sections/parse.js";
import type { Citation } from "../types.js";

/** What validation needs from the answering core (wired by the composition root, src/app.ts). */
export interface AnswerChecks {
  /** Answer a question from the candidate version. */
  answer(index: LoadedIndex, question: string): Promise<{ abstained: boolean; citations: Pick<Citation, "doc" | "section">[] }>;
  /** Document ids of the sections ranked for a text, best first. */
  rankDocuments(index: LoadedIndex, text: string): Promise<string[]>;
}

const smokeSchema = z.object({ question: z.string().min(1), doc: z.string().min(1), section: z.string().min(1) });
const checksSchema = z.object({ smoke: z.array(smokeSchema).default([]) });
export type SmokeQuestion = z.infer<typeof smokeSchema>;

/** Smoke questions of a corpus (`checks.json`, optional): each must keep citing its section. */
export function readSmokeQuestions(corpusDir: string): SmokeQuestion[] {
  const file = path.join(corpusDir, "checks.json");
  if (!fs.existsSync(file)) return [];
  const parsed = checksSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(`Invalid ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data.smoke;
}

export const invalid = (why: string, english: string) =>
  new CorpusError(
    "validation",
    `Chỉ mục mới không đạt kiểm tra: ${why} Kho văn bản giữ nguyên; hệ thống vẫn trả lời theo phiên bản cũ.`,
    english,
  );

/** A sentence of the document's own text to look it up by. */
function probeOf(index: LoadedIndex, doc: string): string | undefined {
  const sections = index.sectionsOf(doc).filter((s) => ownText(s).length > 0);
  const body = sections.find((s) => !["preamble", "recipients", "signature"].includes(s.id)) ?? sections[0];
  const text = body ? (ownText(body).find((t) => t.split(/\s+/).length >= 4) ?? ownText(body)[0]) : undefined;
  return text?.split(/\s+/).slice(0, 24).join(" ");
}

/** Retrieval units are the paragraphs of sections' own text: a document with none has no text to answer from. */
function checkEveryDocumentHasText(index: LoadedIndex): void {
  const units = new Map(index.meta.documents.map((d) => [d.id, d.units]));
  for (const d of index.documents) {
    if (!units.get(d.id))
      throw invalid(`văn bản «${d.shortTitle}» (${d.id}) không có mục nào có nội dung.`, `document ${d.id} has no section with text`);
  }
}

async function checkSmoke(index: LoadedIndex, smoke: SmokeQuestion, touched: Set<string>, checks: AnswerChecks): Promise<void> {
  const doc = index.documents.find((d) => d.id === smoke.doc);
  // Only while its document is unchanged and in force; a new document may rightly answer it instead.
  if (!doc || doc.status === "superseded" || touched.has(smoke.doc)) return;
  const a = await checks.answer(index, smoke.question);
  const ok = a.citations.some((c) => (c.doc === smoke.doc && c.section === smoke.section) || touched.has(c.doc));
  if (a.abstained || !ok)
    throw invalid(`câu hỏi thử «${smoke.question}» không còn được trả lời đúng (Mục ${smoke.section}).`, "smoke question failed");
}

/** Every document has text; the smoke questions still work; each touched document is findable. */
export async function validateIndex(
  index: LoadedIndex,
  touched: Iterable<string>,
  checks: AnswerChecks,
  smoke: SmokeQuestion[] = [],
): Promise<void> {
  checkEveryDocumentHasText(index);
  const touchedSet = new Set(touched);
  for (const s of smoke) await checkSmoke(index, s, touchedSet, checks);
  for (const id of touchedSet) {
    if (!index.documents.some((d) => d.id === id)) continue;
    const probe = probeOf(index, id);
    const hit = probe ? (await checks.rankDocuments(index, probe)).includes(id) : false;
    if (!hit)
      throw invalid(`không tìm lại được văn bản «${id}» bằng chính nội dung của nó.`, `document ${id} is not retrievable by its own text`);
  }
}
