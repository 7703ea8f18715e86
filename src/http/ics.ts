// /lich.ics: the dated deadlines of the primary plans as an iCalendar feed (Google Calendar, Outlook, phones
// subscribe once); /lich.ics?co-quan=<agency> keeps one agency's own deadlines and its groups'. Each event
// carries the quoted duty and its section.
import type { RequestHandler } from "express";
import ical, { ICalCalendarMethod, ICalEventRepeatingFreq } from "ical-generator";
import {
  type DocumentLookup,
  describeDeadline,
  dutyLine,
  lookupDocuments,
  sourceTitle,
  upcomingDeadlines,
  type AgencyRegistry,
  type Duty,
  type UpcomingDeadline,
} from "../duties/index.js";
import { primaryDocumentIds, type DocumentMeta } from "../types.js";

export interface CalendarDeps {
  duties: () => Duty[];
  docs: () => DocumentMeta[];
  agencies: () => AgencyRegistry;
  tzOffsetMinutes: number;
  publicBaseUrl?: string;
  clock?: () => Date;
}

/** Duties whose actor is the agency itself or one of its groups ("các Sở, ngành"). */
export function dutiesOfAgency(duties: Duty[], agencyId: string, reg: AgencyRegistry): Duty[] {
  // A former agency the plans do not name (Sở Tài nguyên và Môi trường) stands for the one that replaced it.
  const successor = reg.get(agencyId)?.mergedInto;
  const id = successor && !duties.some((d) => d.actor === agencyId) ? successor : agencyId;
  const merged = reg.agencies.filter((a) => a.mergedInto === id).map((a) => a.id);
  const actors = new Set([id, ...merged, ...reg.groupsOf(id).map((g) => g.id)]);
  return duties.filter((d) => actors.has(d.actor));
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function addEvent(
  cal: ReturnType<typeof ical>,
  u: UpcomingDeadline,
  deps: CalendarDeps,
  docOf: DocumentLookup,
  reg: AgencyRegistry,
  scope: string,
): void {
  const d = u.duties[0]!;
  // All-day events: noon UTC of the local date is that date whatever zone the server runs in.
  const start = new Date(Date.UTC(u.date.y, u.date.m - 1, u.date.d, 12));
  const source = sourceTitle(u, docOf);
  const link = deps.publicBaseUrl
    ? `${deps.publicBaseUrl.replace(/\/$/, "")}/#doc=${encodeURIComponent(u.doc)}&section=${encodeURIComponent(u.section)}`
    : undefined;
  cal.createEvent({
    id: `${u.key}#${scope}`.replace(/[^A-Za-z0-9#.-]/g, "_"),
    start,
    allDay: true,
    summary: clip(`Hạn: ${dutyLine(d, reg)}`, 140),
    description: [`“${d.quote}”`, `Nguồn: ${source}`, `Thời hạn: ${describeDeadline(u.deadline)}`, ...(link ? [link] : [])].join("\n"),
    ...(link ? { url: link } : {}),
    ...(u.deadline.kind === "annual" ? { repeating: { freq: ICalEventRepeatingFreq.YEARLY } } : {}),
  });
}

export function calendarHandler(deps: CalendarDeps): RequestHandler {
  return (req, res) => {
    const reg = deps.agencies();
    const primary = primaryDocumentIds(deps.docs());
    let duties = deps.duties().filter((d) => primary.has(d.doc));
    const wanted = typeof req.query["co-quan"] === "string" ? req.query["co-quan"].trim() : "";
    let name = "Hạn chót theo kế hoạch";
    if (wanted) {
      const agency = reg.get(wanted) ?? reg.resolve(wanted);
      if (!agency) {
        res
          .status(404)
          .type("text/plain; charset=utf-8")
          .send(`Không nhận ra cơ quan «${clip(wanted, 80)}». Hãy ghi tên cơ quan, ví dụ «Sở Tài chính».`);
        return;
      }
      duties = dutiesOfAgency(duties, agency.id, reg);
      name = `Hạn chót — ${reg.shortName(agency.id)}`;
    }
    const cal = ical({
      name,
      method: ICalCalendarMethod.PUBLISH,
      prodId: { company: "tro-ly-ke-hoach", product: "han-chot", language: "VI" },
    });
    const docOf = lookupDocuments(deps.docs());
    for (const u of upcomingDeadlines(duties, (deps.clock ?? (() => new Date()))(), deps.tzOffsetMinutes))
      addEvent(cal, u, deps, docOf, reg, wanted ? "agency" : "all");
    res.type("text/calendar; charset=utf-8").set("Content-Disposition", 'inline; filename="lich-han-chot.ics"').send(cal.toString());
  };
}
