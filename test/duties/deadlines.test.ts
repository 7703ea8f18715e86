import { describe, expect, it } from "vitest";
import { formatHanchot, nextOccurrence, upcomingDeadlines } from "../../src/duties/deadlines.js";
import { local, plan } from "./helpers.js";

const annual = { kind: "annual" as const, day: 30, month: 11, text: "trước ngày 30/11" };

describe("next occurrence (UTC+7)", () => {
  it.each([
    ["2026-11-23T09:00:00", "2026-11-30", 7],
    ["2026-11-29T23:59:00", "2026-11-30", 1],
    ["2026-11-30T08:00:00", "2026-11-30", 0],
    ["2026-12-01T00:00:00", "2027-11-30", 364],
    ["2027-01-15T12:00:00", "2027-11-30", 319],
  ])("now %s → %s (%i days)", (now, date, days) => {
    const n = nextOccurrence(annual, local(now), 420)!;
    expect(`${n.date.y}-${String(n.date.m).padStart(2, "0")}-${n.date.d}`).toBe(date);
    expect(n.daysLeft).toBe(days);
  });

  it("uses the local date, not UTC (00:30 on 23/11 in Vietnam is still 22/11 in UTC)", () => {
    expect(nextOccurrence(annual, new Date("2026-11-22T17:30:00Z"), 420)!.daysLeft).toBe(7);
    expect(nextOccurrence(annual, new Date("2026-11-22T17:30:00Z"), 0)!.daysLeft).toBe(8);
  });

  it("drops passed one-off dates and undated kinds", () => {
    expect(nextOccurrence({ kind: "once", month: 6, year: 2025, text: "6/2025" }, local("2025-06-10T10:00:00"), 420)).toMatchObject({
      date: { y: 2025, m: 6, d: 30 },
      daysLeft: 20,
    });
    expect(nextOccurrence({ kind: "once", month: 6, year: 2025, text: "6/2025" }, local("2025-07-01T10:00:00"), 420)).toBeNull();
    expect(nextOccurrence({ kind: "on_request", text: "khi có yêu cầu" }, local("2026-01-01T10:00:00"), 420)).toBeNull();
  });
});

describe("/hanchot text", () => {
  it("lists 30/11 with the days left, then the undated duties", () => {
    const { duties, docs, agencies } = plan();
    const text = formatHanchot(duties, local("2026-11-28T10:00:00"), 420, { docs, agencies });
    expect(text).toContain("30/11/2026 — còn 2 ngày");
    expect(text).toContain("Kế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông) — Mục IV.2");
    expect(text).toMatch(/Khi có yêu cầu: .*Mục IV\.2/);
    expect(text).toMatch(/Khi phát sinh vướng mắc, khó khăn: .*Mục IV\.3/);
    expect(formatHanchot(duties, local("2026-12-01T10:00:00"), 420, { agencies })).toContain("30/11/2027 — còn 364 ngày");
  });

  it("deduplicates a deadline shared by several actors into one item", () => {
    const items = upcomingDeadlines(plan().duties, local("2026-11-23T10:00:00"), 420);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ section: "IV.2", daysLeft: 7, key: "kh-ctr77#IV.2#annual#30-11-" });
  });
});
