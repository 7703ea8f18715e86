// Structured duties ("who does what, with whom, reporting to whom, by when") extracted from sections.

export type DutyRole = "chu_tri" | "phoi_hop" | "thuc_hien" | "tham_muu";

/**
 * annual / semiannual / quarterly: periodic (day/month when the text names a date; a 6-month report's date recurs
 * yearly); once: a fixed date; on_request / when_arising: no date.
 */
export type DeadlineKind = "annual" | "semiannual" | "quarterly" | "once" | "on_request" | "when_arising";

export interface Deadline {
  kind: DeadlineKind;
  day?: number;
  month?: number;
  year?: number;
  /** The wording in the source ("Định kỳ hàng năm (trước ngày 30/11)", "khi có yêu cầu"). */
  text: string;
}

export interface Duty {
  /** Agency id from corpus/agencies.json, or "auto:<slug>" for a name the alias table does not know. */
  actor: string;
  /** The actor as the source writes it. */
  actorText: string;
  role: DutyRole;
  /** The predicate as written (partner clause removed), e.g. "tham mưu cấp có thẩm quyền bố trí kinh phí …". */
  action: string;
  /** Who receives the report / document (agency id). */
  recipient?: string;
  recipientText?: string;
  /** Agencies the actor works with ("phối hợp với …"). */
  partners?: string[];
  deadline?: Deadline;
  doc: string;
  section: string;
  /** Human label of the section ("Mục III.3"), for citation titles. */
  sectionLabel: string;
  /** Verbatim sentence from ownText(section). */
  quote: string;
  /**
   * How the actor was found when it is not the sentence's subject: "partner" (named after "chủ trì, phối hợp
   * với"), "purpose" ("gửi về X để tổng hợp, báo cáo Y" → X reports to Y), "recipients" (Nơi nhận "(Báo cáo)"),
   * "context" (inherited from a heading such as "Điều 28. Trách nhiệm của …" or "1. Sở Tài chính" over its dash items),
   * "table" (a row of a task table: Cơ quan chủ trì / phối hợp). Absent for the subject itself.
   */
  via?: "partner" | "purpose" | "recipients" | "context" | "table";
  /** Position in extraction order (document order), for stable sorting. */
  order: number;
}

export interface Agency {
  id: string;
  name: string;
  short?: string;
  kind: "agency" | "group";
  aliases: string[];
  memberOf: string[];
  note?: string;
  /** The agency that took this one over (a merger), and since when (ISO date) when the table says. */
  mergedInto?: string;
  mergedOn?: string;
  /** The former agencies this one replaces (the 2025 reorganisation), with the date. */
  replaces?: { id: string; date: string }[];
}
