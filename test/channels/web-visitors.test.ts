// The web page's people: a signed visitor cookie gives each browser its own rate limit (two colleagues behind one
// office address no longer share one), while every request still counts against the address's ceiling, forged
// and missing cookies included; the cookie's key survives a restart. 👍/👎 from the page go to the feedback store
// staff read in /admin/stats and in the review of disliked answers.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/app.js";
import { consoleFeature } from "../../src/console/index.js";
import { PUBLIC_DIR } from "../../src/http/app.js";
import { VISITOR_COOKIE, VISITOR_KEY_FILE } from "../../src/http/visitor.js";
import { webVisitor } from "../support/web-visitor.js";
import { startTestApp, type TestApp } from "./helpers.js";

const ADMIN_TOKEN = "visitor-tests-admin-token-0123456789";
const PERSON_LIMIT = 3;
const ADDRESS_LIMIT = 7;
const QUESTION = "Hạn nộp báo cáo hằng năm là khi nào?";
const PERSON_REFUSAL = /^Bạn đã gửi quá 3 câu hỏi trong một phút\. Vui lòng đợi khoảng \d+ giây/;
const ADDRESS_REFUSAL = /^Có quá nhiều câu hỏi từ cùng một mạng \(cùng địa chỉ\) trong một phút\. Vui lòng đợi khoảng \d+ giây/;

let app: TestApp;
const env = {
  RATE_LIMIT_PER_MINUTE: String(PERSON_LIMIT),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(ADDRESS_LIMIT),
  TRUST_PROXY: "loopback",
  ADMIN_TOKEN,
};
const start = (dataDir?: string) =>
  startTestApp(env, { extensions: [adminExtension({ features: [consoleFeature({ publicDir: PUBLIC_DIR })] })], dataDir });

beforeAll(async () => {
  app = await start();
}, 180_000);
afterAll(async () => {
  await app?.close();
});

const statuses = async (visitor: ReturnType<typeof webVisitor>, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await visitor.ask(QUESTION)).status);
  return out;
};
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

describe("web rate limit by person", () => {
  it("two browsers behind one address each get their own limit, and the address ceiling still holds", async () => {
    const office = "198.51.100.20";
    const lan = webVisitor(() => app.url, office);
    const minh = webVisitor(() => app.url, office);
    expect(await statuses(lan, PERSON_LIMIT)).toEqual([200, 200, 200]);
    const lanRefused = await lan.ask(QUESTION);
    expect(lanRefused.status).toBe(429);
    expect(await errorOf(lanRefused)).toMatch(PERSON_REFUSAL);
    // Lan's limit is hers: Minh, at the same address, still has his.
    expect(lan.cookie()).not.toBe(minh.cookie());
    expect(await statuses(minh, PERSON_LIMIT)).toEqual([200, 200, 200]);
    // Seven requests from the office so far (Lan's refused one included): a third colleague meets the ceiling.
    const third = await webVisitor(() => app.url, office).ask(QUESTION);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await errorOf(third)).toMatch(ADDRESS_REFUSAL);
    // Another address is not affected.
    expect((await webVisitor(() => app.url, "198.51.100.99").ask(QUESTION)).status).toBe(200);
  });

  it("a forged or missing cookie gets a new id, and still counts against the address ceiling", async () => {
    const address = "198.51.100.21";
    const visitor = webVisitor(() => app.url, address);
    expect((await visitor.ask(QUESTION)).status).toBe(200);
    const [id, signature] = visitor.cookie()!.slice(`${VISITOR_COOKIE}=`.length).split(".");
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Someone else's id with a made-up signature is not that person.
    const forged = `${VISITOR_COOKIE}=${id}.${signature!.slice(1)}A`;
    visitor.setCookie(forged);
    expect((await visitor.ask(QUESTION)).status).toBe(200);
    expect(visitor.cookie()).not.toBe(forged);
    expect(visitor.cookie()!.split("=")[1]!.split(".")[0]).not.toBe(id);
    // Dropping the cookie every time gives a new person each time, but not beyond the address's ceiling.
    const cookieless: number[] = [];
    for (let i = 0; i < ADDRESS_LIMIT - 1; i++) {
      visitor.setCookie(undefined);
      cookieless.push((await visitor.ask(QUESTION)).status);
    }
    expect(cookieless).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("sets the cookie HttpOnly and SameSite=Lax, Secure only over HTTPS", async () => {
    const plain = await fetch(`${app.url}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.30" },
      body: JSON.stringify({ question: "/help" }),
    });
    const cookie = plain.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(new RegExp(`^${VISITOR_COOKIE}=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}; `));
    expect(cookie.split("; ").slice(1)).toEqual(["Path=/", "Max-Age=31536000", "HttpOnly", "SameSite=Lax"]);
    // Behind the trusted proxy terminating HTTPS.
    const secure = await fetch(`${app.url}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.31", "x-forwarded-proto": "https" },
      body: JSON.stringify({ question: "/help" }),
    });
    expect(secure.headers.getSetCookie()[0]).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it("keeps its generated key in DATA_DIR: after a restart a visitor is still the same person", async () => {
    const key = path.join(app.config.dataDir, VISITOR_KEY_FILE);
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    const visitor = webVisitor(() => app.url, "198.51.100.40");
    expect((await visitor.ask("/help")).status).toBe(200);
    const cookie = visitor.cookie();
    await app.close();
    app = await start(app.config.dataDir);
    const again = await visitor.ask("/help");
    expect(again.status).toBe(200);
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(visitor.cookie()).toBe(cookie);
  });
});

describe("👍/👎 on the web", () => {
  // A question and two votes: three messages, within one person's limit (a vote counts like a button press).
  const admin = async (route: string) => {
    const res = await fetch(`${app.url}/admin/${route}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    return res.json();
  };

  it("go to the feedback store: /admin/stats counts them per channel, a 👎 lists the question for review", async () => {
    const visitor = webVisitor(() => app.url, "198.51.100.50");
    const question = "Ai phải báo cáo tình hình thực hiện kế hoạch?";
    const answer = (await (await visitor.ask(question)).json()) as { answerId: number };
    expect(answer.answerId).toBeGreaterThan(0);
    const up = await visitor.post("/api/feedback", { answerId: answer.answerId, vote: "up" });
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ok: true, message: "Cảm ơn bạn đã góp ý!" });
    expect(((await admin("stats")) as { votes: unknown }).votes).toEqual([{ channel: "web", up: 1, down: 0 }]);

    // Changing one's mind replaces the vote; the disliked answer is listed for staff.
    expect((await visitor.post("/api/feedback", { answerId: answer.answerId, vote: "down" })).status).toBe(200);
    expect(((await admin("stats")) as { votes: unknown }).votes).toEqual([{ channel: "web", up: 0, down: 1 }]);
    const { groups } = (await admin("unanswered")) as { groups: Array<{ question: string; downvoted: number; channels: string[] }> };
    expect(groups.find((g) => g.question === question)).toMatchObject({ downvoted: 1, channels: ["web"] });
  });

  it("refuses a malformed vote (400) and an unknown answer (404), in Vietnamese", async () => {
    const visitor = webVisitor(() => app.url, "198.51.100.51");
    const bad = await visitor.post("/api/feedback", { answerId: "7", vote: "maybe" });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatch(/^Góp ý không hợp lệ\./);
    const unknown = await visitor.post("/api/feedback", { answerId: 987_654, vote: "up" });
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toBe("Không tìm thấy câu trả lời này nữa. Vui lòng hỏi lại.");
  });
});
