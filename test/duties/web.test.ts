// The duties feature on the web: the responsibility table page and the commands through /api/ask.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDutiesFeature } from "../../src/http/duties.js";
import { startTestApp, type TestApp } from "../channels/helpers.js";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp(
    {},
    { extensions: [createDutiesFeature({ clock: () => new Date("2026-11-28T09:00:00+07:00"), autoStart: false }).extension] },
  );
}, 180_000);
afterAll(() => app.close());

const ask = async (question: string) => {
  const res = await fetch(`${app.url}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question }),
  });
  return (await res.json()) as { answer: string };
};

describe("duties on the web page", () => {
  it("serves the responsibility table with links to the sections", async () => {
    const res = await fetch(`${app.url}/trach-nhiem`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Bảng trách nhiệm");
    for (const agency of ["Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Hiệp hội Doanh nghiệp tỉnh", "Báo Đăk Nông"])
      expect(html).toContain(agency);
    expect(html).toContain('href="/#doc=kh-ctr77&amp;section=III.3"');
    expect(html).toContain("30/11");
  });

  it("answers /viec and /hanchot typed in the web chat", async () => {
    expect((await ask("/viec so tai chinh")).answer).toContain("Mục III.3");
    expect((await ask("/hanchot")).answer).toContain("30/11/2026 — còn 2 ngày");
    expect((await ask("/nhacnho")).answer).toContain("Telegram");
    expect((await ask("/huynhac")).answer).toContain("Telegram");
  });

  it("offers on the web only the commands that work there", async () => {
    const hanchot = (await ask("/hanchot")).answer;
    expect(hanchot).toContain("/lich.ics");
    expect(hanchot).not.toMatch(/\/nhacnho|\/huynhac/);
    const help = (await ask("/help")).answer;
    expect(help).toContain("/viec — Nhiệm vụ của một cơ quan");
    expect(help).toContain("/hanchot — Các hạn chót sắp tới");
    expect(help).not.toMatch(/\/nhacnho|\/huynhac/);
  });
});
