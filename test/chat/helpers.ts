// A corpus of our own for conversation tests: a fictional province's e-commerce plan and a support regulation
// (test/chat/fixtures/corpus), with the shipped vocabulary files (glossary, agencies, follow-up words).
import fs from "node:fs";
import path from "node:path";
import { CORPUS_DIR, emptyDataDir, ROOT } from "../channels/helpers.js";

const FIXTURE = path.join(ROOT, "test/chat/fixtures/corpus");

export function conversationCorpus(): string {
  const dir = path.join(emptyDataDir(), "corpus");
  fs.cpSync(FIXTURE, dir, { recursive: true });
  for (const file of ["glossary.json", "agencies.json", "followups.json"]) {
    fs.copyFileSync(path.join(CORPUS_DIR, file), path.join(dir, file));
  }
  return dir;
}
