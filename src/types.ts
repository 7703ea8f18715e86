// Types shared along the data flow: documents → sections → index → retrieval → answer → channel.

export type DocumentStatus = "in_force" | "superseded" | "unknown";

/** How a document is organised; selects the section parser. */
export type DocumentStyle = "plan" | "party" | "articles";

/** `primary`: what users ask about when they name no document (the province's own plans); `reference`: the rest. */
export type DocumentRole = "primary" | "reference";

/** One manifest entry (validated by corpus/manifest.ts). */
export interface DocumentMeta {
  id: string;
  role?: DocumentRole;
  file: string;
  style: DocumentStyle;
  title: string;
  shortTitle: string;
  number: string | null;
  issuer: string;
  date: string | null;
  status: DocumentStatus;
  supersededBy?: string;
  statusNote?: string;
  aliases: string[];
  source: string;
  completeness: string;
  /** Whether duty records are extracted from this document; unset: only style "plan" (see carriesDuties). */
  duties?: boolean;
}

/** A node of a document's own hierarchy (Mục/Điều/Khoản/Điểm…), with clean text. */
export interface Section {
  doc: string;
  /** Dot path: "II.3.b", "D22.1.b", "preamble", "recipients", "signature". */
  id: string;
  /** Human label of this level: "Mục IV.2", "Điều 22 khoản 1 điểm b". */
  label: string;
  /** Heading text of this node (may be a whole sentence for numbered items). */
  heading: string;
  /** Heading texts from the root to this node. */
  breadcrumb: string[];
  /** Paragraphs that belong to this node itself (not to its children), artefacts repaired. */
  paragraphs: string[];
  /** True when the heading is itself law text (a numbered sentence), so it may be quoted. */
  headingIsText: boolean;
  parent: string | null;
  children: string[];
  /** Editorial note shown with quotes (e.g. the source holds only the first paragraph). */
  note?: string;
  /** Named cells of a table row (Phụ lục): "Cơ quan chủ trì" → "Bộ Công an". */
  fields?: Record<string, string>;
  /**
   * What the heading (or a parent heading) says the text is about, when it names an agency, a programme or a target
   * ("Sở Khoa học và Công nghệ" over "- Là cơ quan thường trực, chủ trì …"): shown with quotes that lack it.
   */
  subject?: string;
}

export interface Citation {
  doc: string;
  section: string;
  /** "Kế hoạch thực hiện Chương trình 14-CTr/TU … — Mục V.2" */
  title: string;
  /** Verbatim source text (artefacts repaired), never paraphrased. */
  quote: string;
}

export type Intent = "responsibility" | "deadline" | "support" | "document_fact" | "general";

export type AnswerMode = "extractive" | "llm";

/** What "Xem thêm" shows: the rest of the evidence (other documents, generic duties, list continuations). */
export interface MoreAnswer {
  text: string;
  citations: Citation[];
}

/** A titled part of a document, named but not quoted: "Bộ luật Dân sự — Điều 328: Đặt cọc". */
export interface SectionPointer {
  doc: string;
  section: string;
  title: string;
}

export interface Answer {
  question: string;
  /** The whole default reply: `lead` as its first paragraph, then the quotes that carry it. */
  answer: string;
  /** The direct answer: the asked fact in one or two sentences (first paragraph of `answer`). */
  lead: string;
  /** More on request (a button, a command, "Xem thêm"); null when there is nothing more. */
  more: MoreAnswer | null;
  abstained: boolean;
  mode: AnswerMode;
  citations: Citation[];
  /** A refusal's nearest titled parts of the documents, named without a claim that they answer (`answer/pointers.ts`). */
  nearest?: SectionPointer[];
  /** Conversation the question was read in (follow-ups); set by the conversation layer. */
  conversationId?: string;
  /** The stand-alone question actually answered, when a follow-up was read with the conversation's context. */
  contextReading?: string;
  /** `contextReading` when it reads as one clean question, shown to the user as "Câu hỏi được hiểu là …". */
  resolvedQuestion?: string;
  /**
   * Declined for what it asks, whatever the documents say (an opinion, a figure of what was actually done, a file):
   * no reading of the question in a conversation's context makes it answerable.
   */
  declinedByNature?: boolean;
}

/** The article (Điều, or a plan's top-level Mục) a section belongs to, as "doc#D32" (D32.1.a → D32, II.3.b → II). */
export const articleKey = (s: Pick<Section, "doc" | "id">): string => `${s.doc}#${s.id.split(".")[0]}`;

/** Primary documents; when the manifest marks none, its plans are. */
export function primaryDocumentIds(documents: DocumentMeta[]): Set<string> {
  const marked = documents.filter((d) => d.role === "primary");
  return new Set((marked.length ? marked : documents.filter((d) => d.style === "plan")).map((d) => d.id));
}

/** An answer whose lead is, unless given, the first paragraph of its text. */
export function answerOf(fields: Omit<Answer, "lead" | "more"> & { lead?: string; more?: MoreAnswer | null }): Answer {
  const lead = fields.lead ?? fields.answer.split(/\n\s*\n/)[0]?.trim() ?? "";
  return { ...fields, lead, more: fields.more ?? null };
}
