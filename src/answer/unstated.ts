// "Bao nhiêu %?" answered by a text that speaks of the topic but gives no figure ("miễn, giảm … theo quy định của
// pháp luật"): the lead says first that the documents do not state it, then quotes what they do say.
import type { Query } from "../retrieve/query.js";
import { CONTACT_ASKS, cueIn, DURATION_HINT, OFFICE_WORDS, PERSON_ASKS } from "../text/lexicon.js";

/** Every lead that says the asked value is not stated begins with this. */
export const UNSTATED_PREFIX = "Văn bản không nêu";
/** …and this one says no quote holds the contact details asked for. */
export const CONTACT_UNSTATED = `${UNSTATED_PREFIX} thông tin liên hệ này; `;

/** A figure: digits, or a number written in words ("mười tám tuổi", "hai mươi phần trăm", "ba năm"). */
const FIGURE =
  /\d|(?<!\p{L})(?:mười|mươi|trăm|nghìn|ngàn|triệu|tỷ)(?!\p{L})|(?<!\p{L})(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín)\s+(?:năm|tháng|ngày|tuổi|lần|phần)(?!\p{L})/iu;
/** Numbers that are no figure of what is asked: dates, years, document numbers, article and clause numbers. */
const REFERENCES =
  /(?<![\p{L}\d])(?:\d{1,2}\/\d{1,2}\/(?:19|20)\d{2}(?!\d)|(?<=(?:ngày|tháng)\s+)\d{1,2}(?!\d)(?!\s*(?:%|phần trăm))|(?:19|20)\d{2}(?!\d)|\d+(?:\/\d{4})?[/-][\p{L}][\p{L}\d/-]*|(?:Điều|khoản|điểm|Chương|Mục|Phần|số|Kế hoạch|Nghị quyết|Nghị định|Kết luận|Chương trình|Luật)\s+\d+)/giu;
const withoutReferences = (text: string) => text.replace(REFERENCES, " ");

/** A share ("50%", "12,5 %", "hai mươi phần trăm"): what "bao nhiêu phần trăm?" asks. */
const PERCENT = /\d\s?%|phần trăm/iu;
/** A length of time in words ("mười ngày làm việc"); in digits it is the lexicon's DURATION_HINT ("03 năm"). */
const DURATION_IN_WORDS = /(?<!\p{L})(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi)\s+(?:ngày|tháng|năm|tuần)(?!\s*\d)(?!\p{L})/iu;
/** What "bao lâu?", "mấy năm?" ask: a length of time, not a date ("30 tháng 11") nor an amount. */
const DURATION = { test: (text: string) => DURATION_HINT.test(text) || DURATION_IN_WORDS.test(text) };
/** "Được hưởng mức nào?" asks which of the levels applies (the most favourable, the highest), not a figure. */
const WHICH_LEVEL = /(?:^| )muc(?: [a-z]+){0,2} nao(?: |$)/;
const HOW_MUCH = /(?:^| )(?:bao nhieu|toi da|toi thieu|phan tram|may)(?: |$)|%/;
/**
 * "Có được trình mức hỗ trợ cao hơn không?" asks whether, not how much: a yes/no question ends on its particle, or,
 * read with its context, on the document it keeps ("… không theo kế hoạch").
 */
const YES_NO = /(?:^| )(?:khong|ko|k|hong|chua)(?: (?:a|ha|vay|nhi|nhe|the|ad|ban|em|anh|chi))*(?: theo(?: [a-z0-9]+)+)?$/;
const asksPercent = (folded: string) => /(?:^| )phan tram(?: |$)|%/.test(folded);

/** Contact details: a phone number, an e-mail address or a web address. */
const CONTACT = /\d{3,}[\s.]?\d{3,}|[\w.+-]+@[\w-]+\.\w|https?:\/\/|www\./u;

/** A person's name: a common Vietnamese family name followed by capitalised given names ("Lê Văn An"). */
const PERSON_NAME =
  /(?<!\p{L})(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trương|Lương|Đoàn|Tạ|Hà|Lâm|Cao|Trịnh|Quách|Thái|Vương|Tô|Tôn|Châu|Kiều|Lưu|Mạc|Triệu|Đào|Mai)(?:\s+\p{Lu}\p{Ll}*){1,3}(?!\p{L})/u;

/**
 * The note that leads a reply whose quotes do not hold the kind of value asked ("bao nhiêu", "bao lâu", "số điện
 * thoại", who holds an office), or null when they hold one or nothing specific is asked.
 */
export function unstatedNote(query: Pick<Query, "asksAmount" | "asksDuration" | "folded">, quotes: string[]): string | null {
  if (CONTACT_ASKS.test(query.folded)) return quotes.some((q) => CONTACT.test(q)) ? null : CONTACT_UNSTATED;
  if (cueIn(query.folded, PERSON_ASKS) && cueIn(query.folded, OFFICE_WORDS))
    return quotes.some((q) => PERSON_NAME.test(q)) ? null : `${UNSTATED_PREFIX} tên người giữ chức vụ này; `;
  if (!query.asksAmount && !query.asksDuration) return null;
  if ((WHICH_LEVEL.test(query.folded) || YES_NO.test(query.folded)) && !HOW_MUCH.test(query.folded)) return null;
  // The kind of figure asked: a share for "bao nhiêu %", a length of time for "bao lâu" ("12 tháng" is no share).
  const figure = query.asksDuration ? DURATION : asksPercent(query.folded) ? PERCENT : FIGURE;
  if (quotes.some((q) => figure.test(withoutReferences(q)))) return null;
  return query.asksDuration ? `${UNSTATED_PREFIX} thời hạn cụ thể; ` : `${UNSTATED_PREFIX} mức cụ thể; `;
}

/** The lead with the note first ("Văn bản không nêu mức cụ thể; theo …"), when one applies. */
export function withUnstatedNote(lead: string, note: string | null): string {
  return note ? `${note}${lead.charAt(0).toLowerCase()}${lead.slice(1)}` : lead;
}
