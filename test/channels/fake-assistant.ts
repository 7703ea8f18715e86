// A tiny in-test answering core, only for channel mechanics (splitting, escaping, failures): it echoes
// the question and can produce a very long answer or fail on demand.
import type { Assistant } from "../../src/chat/types.js";
import type { Answer, DocumentMeta, Section } from "../../src/types.js";

/** 14 paragraphs of ~600 characters plus one 5,000-character paragraph: well over both limits. */
export const LONG_PARAGRAPHS: string[] = [
  ...Array.from({ length: 14 }, (_, i) =>
    `Đoạn ${i + 1}: ` + "Sở KH&CN chủ trì, phối hợp với các Sở, ngành <liên quan> triển khai nhiệm vụ. ".repeat(8).trim(),
  ),
  "Đoạn rất dài: " + "Ủy ban nhân dân các huyện xây dựng kế hoạch ứng dụng khoa học và công nghệ hằng năm. ".repeat(60).trim(),
];

const section: Section = {
  doc: "kh-ctr77",
  id: "III.1",
  label: "Mục III.1",
  heading: "Sở Khoa học và Công nghệ (Sở KH&CN) chủ trì theo dõi, đôn đốc <việc> thực hiện.",
  breadcrumb: ["III. Tổ chức thực hiện", "1. Sở Khoa học và Công nghệ (Sở KH&CN)…"],
  paragraphs: [],
  headingIsText: true,
  parent: "III",
  children: [],
};

const document: DocumentMeta = {
  id: "kh-ctr77",
  file: "documents/kh-ctr77.txt",
  style: "plan",
  title: "Kế hoạch",
  shortTitle: "Kế hoạch KH&CN <thử>",
  number: null,
  issuer: "UBND tỉnh",
  date: null,
  status: "in_force",
  aliases: [],
  source: "",
  completeness: "",
};

export function fakeAssistant(): Assistant & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async ask(question): Promise<Answer> {
      asked.push(question);
      if (question.includes("gây lỗi")) throw new Error("core failure for this question");
      const citation = { doc: "kh-ctr77", section: "III.1", title: "Kế hoạch KH&CN <thử> — Mục III.1", quote: section.heading };
      if (question.includes("thật dài"))
        return { question, answer: LONG_PARAGRAPHS.join("\n\n"), abstained: false, mode: "extractive", citations: [citation] };
      return {
        question,
        answer: `Bạn hỏi: ${question}\n\n1. «${section.heading}»\n   (${citation.title})`,
        abstained: false,
        mode: "extractive",
        citations: [citation],
      };
    },
    section: (doc, id) => (doc === section.doc && id === section.id ? section : undefined),
    documents: () => [document],
  };
}
