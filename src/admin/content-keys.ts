// Content keys of the live corpus's documents (text equality that ignores layout), cached in DATA_DIR by file
// identity (size, modification time, inode): the duplicate check of an upload reads only the files that
// changed since the last check, not every document of a corpus of thousands.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { nfc } from "../text/vietnamese.js";
import type { DocumentMeta } from "../types.js";
import { resolveInCorpus, writeJsonAtomic } from "./files.js";

/** Text equality that ignores layout (a re-upload of the same document in another format still matches). */
export const contentKey = (text: string) => crypto.createHash("sha256").update(nfc(text).replace(/\s+/g, " ").trim()).digest("hex");

type Cached = Record<string, { stat: string; key: string }>;

const cacheFile = (dataDir: string) => path.join(dataDir, "content-keys.json");

function readCache(dataDir: string): Cached {
  try {
    return JSON.parse(fs.readFileSync(cacheFile(dataDir), "utf8")) as Cached;
  } catch {
    return {}; // absent or damaged: every key is computed again
  }
}

/** Each listed document's content key by id (documents whose file is missing are left out). */
export function contentKeys(corpusDir: string, dataDir: string, documents: DocumentMeta[]): Map<string, string> {
  const cached = readCache(dataDir);
  const next: Cached = {};
  const keys = new Map<string, string>();
  for (const d of documents) {
    const file = resolveInCorpus(corpusDir, d.file);
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(file, { bigint: true });
    } catch {
      continue;
    }
    const stat = `${st.size}:${st.mtimeNs}:${st.ino}`;
    const hit = cached[d.file];
    const key = hit?.stat === stat ? hit.key : contentKey(fs.readFileSync(file, "utf8"));
    next[d.file] = { stat, key };
    keys.set(d.id, key);
  }
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    writeJsonAtomic(cacheFile(dataDir), next);
  } catch {
    // A cache that cannot be written (disk full) only costs the next check its speed.
  }
  return keys;
}
