// /lich.ics over a fixture plan of our own (not the shipped one): every dated deadline of the plan, yearly ones
// repeating, each with its quoted duty and section; ?co-quan= keeps one agency's own and group deadlines.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDutiesFeature } from "../../src/http/duties.js";
import { ROOT, startTestApp, type TestApp } from "../channels/helpers.js";

const CORPUS = path.join(ROOT, "test/console/fixtures/corpus");
let app: TestApp;

beforeAll(async () => {
  const duties = createDutiesFeature({ clock: () => new Date("2026-11-28T09:00:00+07:00"), autoStart: false });
  app = await startTestApp({ CORPUS_DIR: CORPUS, PUBLIC_BASE_URL: "https://tro-ly.example.vn" }, { extensions: [duties.extension] });
}, 180_000);
afterAll(() => app?.close());

interface IcsEvent {
  [field: string]: string;
}

/** A minimal RFC 5545 reader: unfolds continuation lines, returns each VEVENT's properties (names without parameters). */
function parseEvents(ics: string): IcsEvent[] {
  const lines = ics.replace(/\r\n[ \t]/g, "").split(/\r\n/);
  const events: IcsEvent[] = [];
  let current: IcsEvent | null = null;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT" && current) {
      events.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).split(";")[0]!;
      current[name] = line
        .slice(colon + 1)
        .replace(/\\n/g, "\n")
        .replace(/\\([,;\\])/g, "$1");
      if (name === "DTSTART") current.DTSTART_PARAMS = line.slice(0, colon);
    }
  }
  return events;
}

async function feed(query = ""): Promise<{ status: number; type: string | null; events: IcsEvent[]; text: string }> {
  const res = await fetch(`${app.url}/lich.ics${query}`);
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), events: parseEvents(text), text };
}

describe("deadline calendar /lich.ics", () => {
  it("holds every dated deadline of the plan; the yearly report repeats every year from its next date", async () => {
    const { status, type, events, text } = await feed();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/calendar/);
    expect(text.startsWith("BEGIN:VCALENDAR")).toBe(true);
    expect(events).toHaveLength(3);

    const report = events.find((e) => e.DTSTART === "20261215");
    expect(report).toBeDefined();
    expect(report!.DTSTART_PARAMS).toContain("VALUE=DATE");
    expect(report!.RRULE).toBe("FREQ=YEARLY");
    expect(report!.DESCRIPTION).toContain(
      "“Các sở, ngành, địa phương báo cáo kết quả thực hiện Kế hoạch, gửi về Sở Công Thương trước ngày 15/12 hằng năm",
    );
    expect(report!.DESCRIPTION).toContain("Nguồn: Kế hoạch chợ số 2027 (giả lập) — Mục III.1");
    expect(report!.URL).toBe("https://tro-ly.example.vn/#doc=kh-cho-so&section=III.1");

    const once = events.find((e) => e.DTSTART === "20270630");
    expect(once?.RRULE).toBeUndefined();
    expect(once?.SUMMARY).toContain("Sở Công Thương");
    expect(events.map((e) => e.DTSTART).sort()).toEqual(["20261215", "20270630", "20271020"]);
  });

  it("keeps one agency's own deadlines and its groups' with ?co-quan=, typed without diacritics", async () => {
    const { status, events, text } = await feed(`?co-quan=${encodeURIComponent("so y te")}`);
    expect(status).toBe(200);
    expect(text).toContain("Hạn chót — Sở Y tế");
    // Own (III.2, 20/10) and the group "các sở, ngành, địa phương" (III.1, 15/12); not Sở Công Thương's own task.
    expect(events.map((e) => e.DTSTART).sort()).toEqual(["20261215", "20271020"]);
    expect(events.find((e) => e.DTSTART === "20271020")!.DESCRIPTION).toContain("Mục III.2");
  });

  it("refuses an unknown agency in Vietnamese", async () => {
    const { status, text } = await feed(`?co-quan=${encodeURIComponent("Bộ Ngoại giao")}`);
    expect(status).toBe(404);
    expect(text).toContain("Không nhận ra cơ quan «Bộ Ngoại giao»");
  });

  it("is linked from /trach-nhiem and from the /hanchot reply", async () => {
    expect(await (await fetch(`${app.url}/trach-nhiem`)).text()).toContain('href="/lich.ics"');
    const res = await fetch(`${app.url}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "/hanchot" }),
    });
    expect(((await res.json()) as { answer: string }).answer).toContain("https://tro-ly.example.vn/lich.ics");
  });
});
