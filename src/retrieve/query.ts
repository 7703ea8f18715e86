// Question analysis: what kind of question it is, which document it names, whether it is an injection attempt.
import { fold } from "../text/vietnamese.js";
import type { DocumentMeta, Intent } from "../types.js";

const has = (folded: string, re: RegExp) => re.test(` ${folded} `);

const DOCUMENT_FACT = /\s(ai ky|nguoi ky|ky ban hanh|ky ten|ky ke hoach|ky van ban|chu ky|so hieu|ngay ban hanh|ban hanh ngay|ban hanh khi nao|ban hanh nam|co quan ban hanh|ai ban hanh|ban hanh de|ban hanh nham|de trien khai chuong trinh nao|thuc hien chuong trinh nao|trien khai chuong trinh nao|signed|signer|signatory|issued)/;
const DEADLINE = /\s(khi nao|bao gio|han bao cao|het han|thoi han|han chot|han nop|han cuoi|truoc ngay|ngay nao|thoi gian nao|luc nao|thang nao|dinh ky|hang nam|deadline|when|due|time limit)\s/;
const RESPONSIBILITY = /\s(ai|co quan nao|don vi nao|so nao|nganh nao|nhiem vu|trach nhiem|lam gi|phai lam|chu tri|phoi hop|tham muu|vai tro|who|responsib\w*|duty|duties|tasks?|in charge)\s/;
const SUPPORT = /\s(ho tro|uu dai|chinh sach|bao nhieu|muc|toi da|kinh phi|mien phi|support\w*|subsid\w*|how much|grant)\s/;

export function detectIntent(question: string): Intent {
  const f = fold(question).replace(/[^\p{L}\p{N}]+/gu, " ");
  if (has(f, DOCUMENT_FACT)) return "document_fact";
  if (has(f, DEADLINE)) return "deadline";
  if (has(f, RESPONSIBILITY)) return "responsibility";
  if (has(f, SUPPORT)) return "support";
  return "general";
}

/** Asks for the amount of a support (so sections stating money or percentages rank higher). */
export function asksAmount(question: string): boolean {
  return /\b(bao nhieu|muc|toi da|may trieu|how much|max(imum)?|up to|amount)\b/.test(fold(question));
}

const INJECTION =
  /(\btoken\b|api[ _-]?key|mat khau|password|\bsecret|bien moi truong|environment variable|\.env\b|process\.env|system prompt|prompt he thong|chi dan he thong|bo qua (tat ca |cac |moi |nhung )?(huong dan|chi dan|lenh|quy tac|yeu cau)|quen (het |di )?(huong dan|chi dan)|ignore (all |the |any |previous |prior |your |above )|disregard|jailbreak|developer mode|cau hinh (he thong|bot|may chu|server)|\bconfig(uration)?\b|reveal|in ra (toan bo|tat ca) (cau hinh|bien))/;

/** Requests to reveal secrets or configuration, or to override instructions. */
export function isInjection(question: string): boolean {
  return INJECTION.test(fold(question));
}

export interface DocumentMention {
  ids: string[];
  /** Diacritic-free words of the names found ("ke", "hoach"): they select a document, they are not the topic. */
  words: Set<string>;
}

/** Diacritic-free words of a name or question, for whole-word matching ("Nghị quyết 57" → "nghi quyet 57"). */
const nameKey = (text: string) => fold(text).replace(/[^\p{L}\p{N}/]+/gu, " ").trim();

/** Documents the question names (by number or alias). */
export function mentionedDocuments(question: string, documents: DocumentMeta[]): DocumentMention {
  const q = ` ${nameKey(question)} `;
  const ids: string[] = [];
  const words = new Set<string>();
  for (const d of documents) {
    const names = [d.number ?? "", ...d.aliases]
      .filter((n) => n.length >= 4)
      .map(nameKey)
      .filter((f) => f.length > 0 && q.includes(` ${f} `));
    if (!names.length) continue;
    ids.push(d.id);
    for (const n of names) for (const w of n.split(/[\s/]+/)) words.add(w);
  }
  return { ids, words };
}

/** A greeting or thanks without a question. */
export function isSmallTalk(question: string): boolean {
  const f = fold(question).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  return f.split(" ").length <= 5 && /^(xin chao|chao( ban| bot| anh| chi| em)?|hello|hi|hey|alo|cam on|thank|thanks|ok|oke|good (morning|afternoon))( .*)?$/.test(f) && !/\b(bao cao|ho tro|ke hoach|nhiem vu|khi nao|ai)\b/.test(f);
}

/** Whether the question mentions one of `names` (diacritic-insensitive, whole words). */
export function mentions(question: string, names: string[]): boolean {
  const q = ` ${nameKey(question)} `;
  return names.map(nameKey).some((f) => f.length > 0 && q.includes(` ${f} `));
}
