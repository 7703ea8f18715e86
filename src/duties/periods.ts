// Deadlines in a sentence, for the genre rather than one file: periodic reports ("Định kỳ 6 tháng (trước ngày 15/6)
// và hằng năm (trước ngày 15/12)", "hằng quý", "trước ngày 31/10 hằng năm"), one-off dates ("trước ngày 30/9/2025",
// "hoàn thành trong năm 2025"), on request, and when difficulties arise. Matching runs on the diacritic-free text,
// whose offsets equal the sentence's, so each deadline keeps its wording verbatim.
import { fold } from "../text/vietnamese.js";
import { foldAligned } from "./agencies.js";
import type { Deadline, DeadlineKind } from "./types.js";

type PeriodKind = Extract<DeadlineKind, "semiannual" | "quarterly" | "annual">;

const PERIODS: Array<{ kind: PeriodKind; re: RegExp }> = [
  { kind: "semiannual", re: /(?:dinh ky )?(?:6|sau) thang(?: mot lan| \/ lan)?/g },
  { kind: "quarterly", re: /(?:dinh ky )?(?:hang|moi) quy|dinh ky theo quy/g },
  { kind: "annual", re: /(?:dinh ky )?(?:hang|moi) nam|thuong nien/g },
];

/** "trước ngày 15/6", "chậm nhất là ngày 15 tháng 12", with an optional year. */
const DATE = /(?:truoc|cham nhat|han cuoi)(?: la)? ngay (\d{1,2})(?:\s*\/\s*| thang )(\d{1,2})(?:(?:\s*\/\s*| nam )(\d{4}))?/g;

interface Span {
  start: number;
  end: number;
}
interface DateMatch extends Span {
  day: number;
  month: number;
  year?: number;
}

function datesIn(f: string): DateMatch[] {
  return [...f.matchAll(DATE)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    day: Number(m[1]),
    month: Number(m[2]),
    ...(m[3] ? { year: Number(m[3]) } : {}),
  }));
}

/** The sentence's text for a span, with a closing parenthesis the span leaves open. */
function wording(sentence: string, start: number, end: number): string {
  let text = sentence.slice(start, end);
  if ((text.match(/\(/g) ?? []).length > (text.match(/\)/g) ?? []).length && sentence[end] === ")") text += ")";
  return text;
}

/** A yearless date right after the period ("hằng năm (trước ngày 15/12)") or before it ("trước ngày 31/10 hằng năm"). */
function attachedDate(f: string, period: Span, dates: DateMatch[]): DateMatch | undefined {
  const after = (d: DateMatch) => d.start >= period.end && /^[\s(,]*$/.test(f.slice(period.end, d.start));
  const before = (d: DateMatch) => d.end <= period.start && /^[\s)]*$/.test(f.slice(d.end, period.start));
  return dates.find((d) => !d.year && (after(d) || before(d)));
}

function periodicDeadlines(sentence: string, f: string, dates: DateMatch[], used: Set<DateMatch>): Deadline[] {
  const out: Deadline[] = [];
  const dinhKy = /dinh ky/.test(f);
  for (const { kind, re } of PERIODS)
    for (const m of f.matchAll(re)) {
      const span = { start: m.index, end: m.index + m[0].length };
      const date = attachedDate(f, span, dates);
      // "trung hạn và hằng năm" budgets are not deadlines: a yearly period needs a date, "định kỳ" or the sentence start.
      if (kind === "annual" && !date && !dinhKy && span.start > 0) continue;
      if (kind === "semiannual" && !date && !dinhKy) continue;
      if (date) used.add(date);
      const start = Math.min(span.start, date?.start ?? span.start);
      const end = Math.max(span.end, date?.end ?? span.end);
      out.push({ kind, text: wording(sentence, start, end), ...(date ? { day: date.day, month: date.month } : {}) });
    }
  return out.sort((a, b) => sentence.indexOf(a.text) - sentence.indexOf(b.text));
}

function oneOffDeadlines(sentence: string, f: string, dates: DateMatch[], used: Set<DateMatch>): Deadline[] {
  const out: Deadline[] = dates
    .filter((d) => d.year && !used.has(d))
    .map((d) => ({ kind: "once" as const, day: d.day, month: d.month, year: d.year, text: sentence.slice(d.start, d.end) }));
  if (out.length) return out;
  const y = /(?:hoan thanh )?trong nam (\d{4})/.exec(f);
  return y ? [{ kind: "once", year: Number(y[1]), text: sentence.slice(y.index, y.index + y[0].length) }] : [];
}

function undatedDeadlines(sentence: string, f: string, prefixEnd: number): Deadline[] {
  const out: Deadline[] = [];
  const req = /khi (?:co|duoc) yeu cau|theo yeu cau dot xuat|dot xuat khi co yeu cau/.exec(f);
  if (req) out.push({ kind: "on_request", text: sentence.slice(req.index, req.index + req[0].length) });
  const arising = /(?:neu|truong hop|khi) (?:co )?(?:phat sinh )?(?:vuong mac|kho khan)(?:,? (?:vuong mac|kho khan))?/.exec(f);
  if (arising) {
    // Prefer the whole adverbial before the subject ("Trong quá trình triển khai thực hiện nếu có … khó khăn").
    const text =
      arising.index < prefixEnd
        ? sentence.slice(0, prefixEnd).replace(/[,\s]+$/, "")
        : sentence.slice(arising.index, arising.index + arising[0].length);
    out.push({ kind: "when_arising", text });
  }
  return out;
}

/** Every deadline a sentence states, in this order: periodic, one-off, on request, when arising. */
export function findDeadlines(sentence: string, prefixEnd = 0): Deadline[] {
  const f = foldAligned(sentence);
  const dates = datesIn(f);
  const used = new Set<DateMatch>();
  const periodic = periodicDeadlines(sentence, f, dates, used);
  return [...periodic, ...oneOffDeadlines(sentence, f, dates, used), ...undatedDeadlines(sentence, f, prefixEnd)];
}

/**
 * "Thời gian hoàn thành" cell of a table row: "6/2025", "Tháng 12/2026", "Năm 2025", "Quý II/2025", "Hằng năm",
 * also when the cell goes on with the product ("Quý II/2026; Quyết định của UBND tỉnh"): the first part that states a
 * time is the deadline, its wording kept.
 */
export function parseDeadlineCell(cell: string): Deadline | undefined {
  for (const part of cell.split(/\s*(?:[;\n]|,\s|\s[-–]\s)\s*/u)) {
    const found = deadlineOfCell(part.trim());
    if (found) return found;
  }
  return undefined;
}

function deadlineOfCell(cell: string): Deadline | undefined {
  const f = fold(cell).replace(/[.:]$/, "").trim();
  let m = /^(?:ngay |truoc ngay )?(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})$/.exec(f);
  if (m) return { kind: "once", day: Number(m[1]), month: Number(m[2]), year: Number(m[3]), text: cell };
  m = /^(?:thang |truoc thang )?(\d{1,2})\s*\/\s*(\d{4})$/.exec(f);
  if (m) return { kind: "once", month: Number(m[1]), year: Number(m[2]), text: cell };
  m = /^(?:quy|trong quy) (i{1,3}|iv|[1-4])\s*\/?\s*(?:nam )?(\d{4})$/.exec(f);
  if (m) {
    const q = { i: 1, ii: 2, iii: 3, iv: 4 }[m[1]!] ?? Number(m[1]);
    return { kind: "once", month: q * 3, year: Number(m[2]), text: cell };
  }
  m = /^(?:nam |trong nam )?(\d{4})$/.exec(f);
  if (m) return { kind: "once", year: Number(m[1]), text: cell };
  if (/^(?:hang|moi) nam\b/.test(f)) return { kind: "annual", text: cell };
  if (/^(?:hang|moi) quy\b/.test(f)) return { kind: "quarterly", text: cell };
  return undefined;
}
