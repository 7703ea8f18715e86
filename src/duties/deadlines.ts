// Deadline dates: the next concrete occurrence of each dated duty in local time (Asia/Ho_Chi_Minh by default),
// and the Vietnamese texts for /hanchot and reminders.
import type { DocumentMeta } from "../types.js";
import type { AgencyRegistry } from "./agencies.js";
import { type DocumentLookup, lookupDocuments } from "./scope.js";
import type { Deadline, Duty } from "./types.js";

export interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const DAY_MS = 86_400_000;

/** The calendar date at `now` in a zone `tzOffsetMinutes` east of UTC (420 = UTC+7). */
export function localDate(now: Date, tzOffsetMinutes: number): LocalDate {
  const t = new Date(now.getTime() + tzOffsetMinutes * 60_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function localHour(now: Date, tzOffsetMinutes: number): number {
  return new Date(now.getTime() + tzOffsetMinutes * 60_000).getUTCHours();
}

const dayNumber = (x: LocalDate) => Date.UTC(x.y, x.m - 1, x.d) / DAY_MS;
export const daysBetween = (from: LocalDate, to: LocalDate): number => dayNumber(to) - dayNumber(from);
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, "0");

/** "30/11/2026" */
export const formatDate = (x: LocalDate): string => `${pad(x.d)}/${pad(x.m)}/${x.y}`;
/** "2026-11-30": the occurrence key stored in the sent-log. */
export const isoDate = (x: LocalDate): string => `${x.y}-${pad(x.m)}-${pad(x.d)}`;

/**
 * The next date on or after today (local) when the deadline falls: annual dates roll to next year once passed,
 * a fixed date that has passed yields null, and so do deadlines without a date (on request, when arising).
 * A month-only or year-only date means its last day ("6/2025" → 30/06/2025).
 */
export function nextOccurrence(deadline: Deadline, now: Date, tzOffsetMinutes: number): { date: LocalDate; daysLeft: number } | null {
  const today = localDate(now, tzOffsetMinutes);
  let date: LocalDate;
  if (deadline.kind === "annual" || deadline.kind === "semiannual") {
    if (!deadline.day || !deadline.month) return null;
    const at = (y: number): LocalDate => ({ y, m: deadline.month!, d: Math.min(deadline.day!, lastDay(y, deadline.month!)) });
    date = at(today.y);
    if (daysBetween(today, date) < 0) date = at(today.y + 1);
  } else if (deadline.kind === "once") {
    if (!deadline.year) return null;
    const m = deadline.month ?? 12;
    date = { y: deadline.year, m, d: Math.min(deadline.day ?? lastDay(deadline.year, m), lastDay(deadline.year, m)) };
    if (daysBetween(today, date) < 0) return null;
  } else return null;
  return { date, daysLeft: daysBetween(today, date) };
}

/** "còn 7 ngày", "còn 1 ngày", "hôm nay là hạn chót" */
export function daysLeftText(daysLeft: number): string {
  return daysLeft <= 0 ? "hôm nay là hạn chót" : `còn ${daysLeft} ngày`;
}

/** Short Vietnamese description of when a duty falls due. */
export function describeDeadline(d: Deadline): string {
  switch (d.kind) {
    case "annual":
      return d.day && d.month ? `hằng năm, trước ngày ${d.day}/${d.month}` : "hằng năm";
    case "semiannual":
      return d.day && d.month ? `6 tháng, trước ngày ${d.day}/${d.month}` : "định kỳ 6 tháng";
    case "quarterly":
      return d.day && d.month ? `hằng quý, trước ngày ${d.day}/${d.month}` : "hằng quý";
    case "once":
      if (d.day && d.month && d.year) return `trước ngày ${d.day}/${d.month}/${d.year}`;
      // A quarter ("Quý II/2026") keeps its wording: "tháng 6/2026" would read as a month's task.
      if (d.month && d.year)
        return /^quý/iu.test(d.text) ? `${d.text.charAt(0).toLowerCase()}${d.text.slice(1)}` : `tháng ${d.month}/${d.year}`;
      return d.year ? `năm ${d.year}` : d.text;
    case "on_request":
      return "khi có yêu cầu";
    case "when_arising":
      return /vuong mac|kho khan|vướng mắc|khó khăn/i.test(d.text) ? "khi phát sinh vướng mắc, khó khăn" : d.text;
  }
}

/** One dated deadline (deduplicated across the actors that share it) and its next occurrence. */
export interface UpcomingDeadline {
  /** Stable key for the sent-log: doc#section#kind#day-month-year. */
  key: string;
  doc: string;
  section: string;
  sectionLabel: string;
  deadline: Deadline;
  date: LocalDate;
  daysLeft: number;
  /** The duties that fall due (subject duties first). */
  duties: Duty[];
}

export function deadlineKey(d: Duty): string {
  const dl = d.deadline;
  return `${d.doc}#${d.section}#${dl?.kind ?? "none"}#${dl?.day ?? ""}-${dl?.month ?? ""}-${dl?.year ?? ""}`;
}

/** Dated deadlines with their next occurrence, soonest first. */
export function upcomingDeadlines(duties: Duty[], now: Date, tzOffsetMinutes: number): UpcomingDeadline[] {
  const byKey = new Map<string, UpcomingDeadline>();
  for (const duty of [...duties].sort(byOrder)) {
    if (!duty.deadline) continue;
    const next = nextOccurrence(duty.deadline, now, tzOffsetMinutes);
    if (!next) continue;
    const key = deadlineKey(duty);
    const item = byKey.get(key);
    if (item) item.duties.push(duty);
    else
      byKey.set(key, {
        key,
        doc: duty.doc,
        section: duty.section,
        sectionLabel: duty.sectionLabel,
        deadline: duty.deadline,
        ...next,
        duties: [duty],
      });
  }
  return [...byKey.values()].sort((a, b) => a.daysLeft - b.daysLeft || a.key.localeCompare(b.key));
}

const byOrder = (a: Duty, b: Duty) => (a.via ? 1 : 0) - (b.via ? 1 : 0) || a.order - b.order;

export interface TextOptions {
  agencies: AgencyRegistry;
  docs?: DocumentMeta[];
}

/** "Các Sở, ngành, địa phương báo cáo tình hình thực hiện Kế hoạch này → Sở KH&CN" */
export function dutyLine(d: Duty, reg: AgencyRegistry): string {
  const actor = reg.get(d.actor) ? reg.name(d.actor) : d.actorText;
  const action = d.action.charAt(0).toLowerCase() + d.action.slice(1);
  const to = d.recipient ? ` → ${reg.get(d.recipient) ? reg.shortName(d.recipient) : (d.recipientText ?? d.recipient)}` : "";
  return `${actor} ${action}${to}`;
}

/** "<short title of the plan> — Mục IV.2" (or just the label without the manifest). */
export function sourceTitle(d: { doc: string; sectionLabel: string }, docOf?: DocumentLookup): string {
  const meta = docOf?.(d.doc);
  return meta ? `${meta.shortTitle} — ${d.sectionLabel}` : d.sectionLabel;
}

/** The /hanchot reply: dated deadlines with the next date and days left, then the undated ones. */
export function formatHanchot(duties: Duty[], now: Date, tzOffsetMinutes: number, opts: TextOptions & { remindHint?: boolean }): string {
  const reg = opts.agencies;
  const docOf = opts.docs && lookupDocuments(opts.docs);
  const today = localDate(now, tzOffsetMinutes);
  const lines: string[] = [];
  const upcoming = upcomingDeadlines(duties, now, tzOffsetMinutes);
  if (upcoming.length) {
    lines.push(`Hạn chót sắp tới (tính từ ${formatDate(today)}):`);
    for (const u of upcoming) {
      const d = u.duties[0]!;
      lines.push(
        `• ${formatDate(u.date)} — ${daysLeftText(u.daysLeft)}: ${dutyLine(d, reg)} (${describeDeadline(u.deadline)}; ${sourceTitle(u, docOf)})`,
      );
    }
  } else lines.push("Hiện không có hạn chót nào có ngày cụ thể.");

  // Undated duties (on request, when difficulties arise): one line per section and kind.
  const seen = new Set<string>();
  const undated: string[] = [];
  for (const d of [...duties].sort(byOrder)) {
    const k = d.deadline?.kind;
    // Undated: on request, when arising, and periodic duties without a day ("hằng quý").
    if (d.via || !d.deadline || k === "once" || nextOccurrence(d.deadline, now, tzOffsetMinutes)) continue;
    const key = `${d.doc}#${d.section}#${k}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const when = describeDeadline(d.deadline!);
    undated.push(`• ${when.charAt(0).toUpperCase()}${when.slice(1)}: ${dutyLine(d, reg)} (${sourceTitle(d, docOf)})`);
  }
  if (undated.length) lines.push("", "Không có ngày cố định:", ...undated);
  if (opts.remindHint !== false) lines.push("", "Gõ /nhacnho để nhận nhắc trước mỗi hạn chót, /huynhac để tắt.");
  return lines.join("\n");
}

/** The reminder message for one deadline occurrence. */
export function reminderText(u: UpcomingDeadline, opts: TextOptions): string {
  const reg = opts.agencies;
  const d = u.duties[0]!;
  return [
    `Nhắc hạn: ${formatDate(u.date)} — ${daysLeftText(u.daysLeft)}.`,
    `${dutyLine(d, reg)} (${describeDeadline(u.deadline)}).`,
    `“${d.quote}”`,
    `Nguồn: ${sourceTitle(u, opts.docs && lookupDocuments(opts.docs))}`,
    "Gõ /huynhac để tắt nhắc hạn.",
  ].join("\n");
}
