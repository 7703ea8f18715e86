// Ranked sections → { answer, citations, abstained }: a one-line lead, the verbatim sentences that answer, each
// with its citation, and a "Nguồn:" list. Abstains when the best section does not cover the question.
import type { LoadedIndex } from "../index/store.js";
import type { Retrieval } from "../retrieve/hybrid.js";
import { answerOf, type Answer, type Citation, type DocumentMeta, type Section } from "../types.js";
import { assistantSubject, assistantTopics, exampleQuestions } from "../corpus/manifest.js";
import { ownText } from "../sections/parse.js";
import { rankQuotes } from "./quotes.js";

/** Below this share of the question's topic found in the best section, the corpus does not answer it. */
export const MIN_COVERAGE = 0.55;
const MAX_CITATIONS = 3;
const RELATIVE_SCORE = 0.5;

type ProfileSource = Pick<LoadedIndex, "profile" | "documents">;

/** What the assistant can answer, as list lines, from the corpus profile (or the documents' titles). */
function canAnswerText(index: ProfileSource): string {
  const lines = assistantTopics(index.profile, index.documents);
  const topics = lines.map((t, i) => `- ${t}${i === lines.length - 1 ? "." : ";"}`);
  const example = exampleQuestions(index.profile)[0];
  return ["Trợ lý có thể trả lời về:", ...topics, ...(example ? ["", `Ví dụ: «${example}»`] : [])].join("\n");
}

export function abstainText(index: ProfileSource): string {
  const intro = "Xin lỗi, các văn bản trợ lý đang có không đề cập đến nội dung này, nên trợ lý không trả lời để tránh cung cấp thông tin sai.";
  return `${intro}\n\n${canAnswerText(index)}`;
}

export function greetingText(index: ProfileSource): string {
  const subject = assistantSubject(index.profile, index.documents);
  const examples = exampleQuestions(index.profile).map((q) => `- ${q}`);
  return [`Xin chào! Trợ lý trả lời câu hỏi về ${subject}, kèm trích dẫn nguyên văn và nguồn.`, "", "Ví dụ:", ...examples].join("\n");
}

export function refusalText(index: ProfileSource): string {
  const intro =
    "Xin lỗi, trợ lý không cung cấp thông tin cấu hình, mã truy cập hay chỉ dẫn nội bộ và không thay đổi cách làm việc theo yêu cầu này.";
  return `${intro}\n\n${canAnswerText(index)}`;
}

export function abstain(question: string, text: string): Answer {
  return answerOf({ question, answer: text, abstained: true, mode: "extractive", citations: [] });
}

export function citationTitle(meta: DocumentMeta | undefined, section: Section): string {
  return `${meta?.shortTitle ?? section.doc} — ${section.label}`;
}

const DATE_PHRASE =
  /(định kỳ (?:hàng|hằng) năm|hằng năm|hàng năm|(?:trước|chậm nhất là|chậm nhất|đến|từ) ngày \d{1,2}\/\d{1,2}(?:\/\d{2,4})?|\d{1,2}\/\d{1,2}\/\d{4}|khi có yêu cầu|định kỳ \d+ tháng|quý [IV]+\/\d{4}|\d{1,2}\/\d{4})/giu;
const SUBJECT =
  /^((?:Thủ trưởng |Chủ tịch )?(?:Sở|Ủy ban nhân dân|UBND|Các Sở|Các cơ quan|Hiệp hội|Báo|Bộ|Ban|Văn phòng|Đảng đoàn|Mặt trận|Ủy ban|Liên hiệp|Hội|Tỉnh đoàn|Chính phủ|Thủ tướng|Cơ quan)[^;:.]{0,140}?)\s+(?:chủ trì|phối hợp|theo chức năng|chủ động|thúc đẩy|tham mưu|có trách nhiệm|chịu trách nhiệm|lãnh đạo|chỉ đạo|thực hiện|báo cáo)/u;

function lead(index: LoadedIndex, retrieval: Retrieval, citations: Citation[], sections: Section[]): string {
  const quotes = citations.map((c) => c.quote).join(" ");
  switch (retrieval.intent) {
    case "deadline": {
      const dates = [...new Set([...quotes.matchAll(DATE_PHRASE)].map((m) => m[1]!))];
      return dates.length
        ? `Thời hạn nêu trong văn bản: ${dates.slice(0, 3).join("; ")}.`
        : "Văn bản không nêu mốc thời gian cụ thể cho nội dung này; các quy định liên quan:";
    }
    case "responsibility": {
      const subject = SUBJECT.exec(citations[0]?.quote ?? "");
      return subject ? `Cơ quan được giao: ${subject[1]}.` : "Theo văn bản, trách nhiệm được giao như sau:";
    }
    case "support":
      return /triệu đồng|%/.test(quotes) ? "Mức và nội dung hỗ trợ theo văn bản:" : "Nội dung hỗ trợ liên quan trong văn bản:";
    case "document_fact": {
      const sig = sections[0]?.id === "signature" ? sections[0] : undefined;
      if (sig && sig.paragraphs.length > 1)
        return `Người ký: ${sig.paragraphs[sig.paragraphs.length - 1]} (${sig.paragraphs.slice(0, -1).join(", ")}).`;
      if (sig) return `Phần ký ban hành: ${sig.paragraphs[0]}.`;
      const top = sections[0];
      const meta = top && index.documents.find((d) => d.id === top.doc);
      if (meta && top?.id === "preamble") {
        // From the manifest (checked by staff), so gaps of the source copy are said plainly.
        const missing = "không có trong bản sao văn bản";
        const date = meta.date ? meta.date.split("-").reverse().join("/") : missing;
        return `${meta.shortTitle}: số hiệu ${meta.number ?? missing}; ngày ban hành ${date}; cơ quan ban hành: ${meta.issuer}.`;
      }
      return "Thông tin về văn bản:";
    }
    default:
      return "Nội dung liên quan trong văn bản:";
  }
}

function statusNote(meta: DocumentMeta | undefined): string | null {
  if (!meta) return null;
  if (meta.status === "superseded")
    return `Lưu ý: ${meta.shortTitle} đã hết hiệu lực${meta.supersededBy ? `, được thay thế bởi ${meta.supersededBy}` : ""}. Nội dung trích chỉ có giá trị tham khảo lịch sử.`;
  if (meta.status === "unknown" && meta.statusNote) return `Lưu ý: ${meta.shortTitle}: ${meta.statusNote}`;
  return null;
}

/** Whole-section quote for short blocks such as the signature ("TM. … Lê Trọng Yên"). */
function wholeBlock(section: Section): string | null {
  return section.id === "signature" ? section.paragraphs.join(" ") : null;
}

export function compose(index: LoadedIndex, retrieval: Retrieval): Answer {
  const { question, ranked } = retrieval;
  const top = ranked[0];
  if (!top || top.coverage < MIN_COVERAGE) return abstain(question, abstainText(index));

  const idf = (k: string) => index.lexical.idf(k);
  const metaOf = (s: Section) => index.documents.find((d) => d.id === s.doc);
  const chosen = ranked
    .filter((r, i) => i === 0 || (r.score >= RELATIVE_SCORE * top.score && r.coverage >= MIN_COVERAGE * 0.9))
    .slice(0, MAX_CITATIONS);

  const citations: Citation[] = [];
  const add = (c: Citation) => {
    if (!citations.some((x) => x.doc === c.doc && x.section === c.section && x.quote === c.quote)) citations.push(c);
  };
  for (const [n, r] of chosen.entries()) {
    const meta = metaOf(r.section);
    const block = wholeBlock(r.section);
    const quotes = block ? [{ text: block, score: 1 }] : rankQuotes(r.section, index.analyzer, retrieval.query, idf);
    const best = quotes[0];
    if (!best) continue;
    const picked = [best];
    // The best section may need a second sentence (e.g. a title and its date in the next sentence).
    const second = quotes[1];
    if (n === 0 && second && second.score >= 0.6 * best.score && second.score > 0) picked.push(second);
    for (const q of picked) add({ doc: r.section.doc, section: r.section.id, title: citationTitle(meta, r.section), quote: q.text });
    // "… theo một trong các tiêu chí sau đây:" — the answer is the list that follows, in the child sections.
    if (/:$/.test(best.text) && r.section.children.length) {
      for (const childId of r.section.children.slice(0, n === 0 ? 5 : 2)) {
        const child = index.section(r.section.doc, childId);
        const text = child ? ownText(child)[0] : undefined;
        if (child && text) add({ doc: child.doc, section: child.id, title: citationTitle(meta, child), quote: text });
      }
    }
  }
  if (!citations.length) return abstain(question, abstainText(index));

  const sections = chosen.map((r) => r.section);
  const lines: string[] = [lead(index, retrieval, citations, sections), ""];
  // One paragraph per quote with its citation, so channels that split long answers keep the two together.
  citations.forEach((c, i) => lines.push(`${i + 1}. «${c.quote}»`, `   (${c.title})`, ""));
  lines.push("Nguồn:");
  // `chosen` holds one entry per section (retrieval ranks sections, not paragraphs).
  for (const { section } of chosen) {
    const crumb = section.breadcrumb.join(" › ");
    lines.push(`- ${citationTitle(metaOf(section), section)}${crumb === section.label ? "" : `: ${crumb}`}`);
    if (section.note) lines.push(`  (${section.note})`);
  }
  const notes = [...new Set(chosen.map((r) => statusNote(metaOf(r.section))))].filter((n): n is string => !!n);
  if (notes.length) lines.push("", ...notes);
  return answerOf({ question, answer: lines.join("\n"), abstained: false, mode: "extractive", citations });
}
