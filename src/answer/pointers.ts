// Where to read when the assistant will not answer: a refusal below the decision to answer still knows which
// titled parts of the documents came nearest ("Điều 328. Đặt cọc"). It names them, without quoting and without
// claiming that they answer, so the asker is not left with a refusal that says nothing, or that says the documents do
// not mention a topic they do mention.
import type { LoadedIndex } from "../index/store.js";
import type { Retrieval } from "../retrieve/hybrid.js";
import type { Section, SectionPointer } from "../types.js";
import { answerProbability, decisionFeatures, UNSEEN_SHARE } from "./decision.js";

export interface PointerOptions {
  /** At most this many titled parts are named. */
  max: number;
  /**
   * Named only when the fitted decision gives answering at least this probability of being right (below its own
   * threshold, or it would have answered): further down, the nearest text is mostly about something else and naming
   * it would send the asker astray. Without a fitted decision nothing is named.
   */
  minProbability: number;
  /** Titled parts are taken from this many best ranked sections. */
  depth: number;
}

/**
 * Chosen on the train splits of the real-user legal sets (README, "Refusals that point"): at 0.2, 24 of their 80
 * refused train questions get pointers, 22 of them holding the gold article, and 7 of 187 questions the documents do
 * not answer get pointers; on dev 10 (9 holding the gold article) and none of 80.
 */
export const POINTER_OPTIONS: PointerOptions = { max: 3, minProbability: 0.2, depth: 8 };

/** The nearest titled ancestor of a section, itself included ("Điều 22, khoản 1, điểm b" → "Điều 22"). */
function titled(index: LoadedIndex, section: Section): Section {
  let s: Section | undefined = section;
  while (s?.headingIsText && s.parent) s = index.section(s.doc, s.parent);
  return s && !s.headingIsText ? s : section;
}

function pointerTitle(index: LoadedIndex, section: Section): string {
  const doc = index.document(section.doc)?.shortTitle ?? section.doc;
  const heading = section.headingIsText ? "" : `: ${section.heading.replace(/\s+/g, " ").trim()}`;
  return `${doc} — ${section.label}${heading}`;
}

/** The titled parts nearest to a question the decision will not answer, best first; [] when none is near enough. */
export function nearestParts(index: LoadedIndex, retrieval: Retrieval, options = POINTER_OPTIONS): SectionPointer[] {
  const decision = index.profile.decision;
  // A topic resting on words no document uses is one the documents do not mention: the plain refusal says so.
  if (!decision || !retrieval.ranked.length || retrieval.query.unseenShare >= UNSEEN_SHARE) return [];
  if (answerProbability(decision, decisionFeatures(retrieval)) < options.minProbability) return [];
  const out: SectionPointer[] = [];
  for (const r of retrieval.ranked.slice(0, options.depth)) {
    const part = titled(index, r.section);
    if (out.length < options.max && !out.some((p) => p.doc === part.doc && p.section === part.id))
      out.push({ doc: part.doc, section: part.id, title: pointerTitle(index, part) });
  }
  return out;
}

/** The refusal that names them. */
export function pointersText(pointers: SectionPointer[]): string {
  return [
    "Xin lỗi, trợ lý chưa tìm thấy đoạn văn bản trả lời chắc chắn câu hỏi này, nên không trả lời để tránh cung cấp thông tin sai.",
    "",
    "Các phần văn bản gần nhất với câu hỏi (trợ lý không khẳng định chúng trả lời câu hỏi; xin đọc trực tiếp):",
    ...pointers.map((p) => `- ${p.title}`),
    "",
    "Bạn có thể hỏi lại cụ thể hơn, ví dụ nêu tên văn bản hoặc số điều.",
  ].join("\n");
}

/** Questions the documents cannot answer by their nature: what the reply says, and what to ask instead. */
export const NOT_IN_DOCUMENTS = {
  opinion: {
    intro:
      "Trợ lý chỉ trích dẫn những gì văn bản quy định, không đưa ra ý kiến, đánh giá hay dự báo riêng (chẳng hạn một mục tiêu có khả thi hay không), nên không trả lời câu hỏi này.",
    read: "Các phần văn bản liên quan, để bạn tự đọc và đánh giá:",
    instead: "Bạn có thể hỏi văn bản quy định gì, ví dụ mục tiêu, nhiệm vụ hay mức hỗ trợ cụ thể.",
  },
  actualFigure: {
    intro:
      "Xin lỗi, các văn bản trợ lý đang có nêu mục tiêu, nhiệm vụ và quy định, không nêu số liệu hay tình hình thực tế (đã chi, đã nhận, hiện có bao nhiêu, việc đang diễn ra), nên trợ lý không trả lời câu hỏi này.",
    read: "Các phần văn bản liên quan (mục tiêu, quy định, chế độ báo cáo):",
    instead: "Số liệu thực tế do cơ quan được giao theo dõi, tổng hợp báo cáo cung cấp.",
  },
  contact: {
    intro: "Xin lỗi, các văn bản trợ lý đang có không nêu thông tin liên hệ (số điện thoại, thư điện tử, địa chỉ) của cơ quan, đơn vị.",
    read: "Các phần văn bản nhắc đến nội dung bạn hỏi:",
    instead: "Thông tin liên hệ của cơ quan nhà nước thường được công bố trên cổng thông tin điện tử của chính cơ quan đó.",
  },
  file: {
    intro: "Xin lỗi, trợ lý chỉ trả lời bằng trích dẫn từ các văn bản đang có, không gửi được tệp, biểu mẫu hay đường dẫn tải.",
    read: "Các phần văn bản liên quan mà trợ lý có thể trích dẫn:",
    instead: "Văn bản gốc và biểu mẫu kèm theo do cơ quan ban hành hoặc cơ quan được giao thực hiện cung cấp.",
  },
} as const;

/** The reply to such a question: no answer, and where to read, if the ranking knows. */
export function notInDocumentsText(kind: keyof typeof NOT_IN_DOCUMENTS, pointers: SectionPointer[]): string {
  const t = NOT_IN_DOCUMENTS[kind];
  const read = pointers.length ? ["", t.read, ...pointers.map((p) => `- ${p.title}`)] : [];
  return [t.intro, ...read, "", t.instead].join("\n");
}
