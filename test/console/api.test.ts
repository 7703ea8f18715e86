// The console's JSON API and the /admin reports over HTTP: session cookie, CSRF, throttled sign-in, the
// unanswered/stats reports for scripts, and the audit log naming who changed what from which channel.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/app.js";
import { consoleFeature } from "../../src/console/index.js";
import { PUBLIC_DIR } from "../../src/http/app.js";
import { emptyDataDir, ROOT, startTestApp, testDataDir, type TestApp } from "../channels/helpers.js";
import { consoleClient, json } from "./helpers.js";

const TOKEN = "console-api-token-51d0-long-enough";
let app: TestApp;

beforeAll(async () => {
  const corpus = path.join(emptyDataDir(), "corpus");
  fs.cpSync(path.join(ROOT, "test/console/fixtures/corpus"), corpus, { recursive: true });
  const extensions = [adminExtension({ features: [consoleFeature({ publicDir: PUBLIC_DIR })] })];
  app = await startTestApp(
    { CORPUS_DIR: corpus, ADMIN_TOKEN: TOKEN, TELEGRAM_ADMIN_IDS: "4242" },
    { dataDir: await testDataDir(corpus), extensions },
  );
}, 180_000);
afterAll(() => app?.close());

const { api, signIn, bearer } = consoleClient(() => app.url, TOKEN);

describe("console API", () => {
  it("serves the page, and data only with a session; changes only with its CSRF token", async () => {
    const page = await fetch(`${app.url}/quan-tri`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Quản trị kho văn bản");
    expect((await api("/van-ban")).status).toBe(401);

    const { cookie, csrf } = await signIn();
    const docs = (await (await api("/van-ban", { headers: { cookie } })).json()) as { documents: { id: string }[] };
    expect(docs.documents.map((d) => d.id)).toEqual(["kh-cho-so"]);
    const noCsrf = await api("/van-ban/kh-cho-so", { method: "DELETE", headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    const wrongCsrf = await api("/van-ban/kh-cho-so", { method: "DELETE", headers: { cookie, "x-csrf-token": `${csrf}x` } });
    expect(wrongCsrf.status).toBe(403);
    // With the token it reaches the change path, which refuses to remove the last document (and logs that).
    const refused = await api("/van-ban/kh-cho-so", { method: "DELETE", headers: { cookie, "x-csrf-token": csrf } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toContain("văn bản cuối cùng");

    await api("/dang-xuat", { method: "POST", headers: { cookie, "x-csrf-token": csrf } });
    expect((await api("/van-ban", { headers: { cookie } })).status).toBe(401);
  });

  it("records who tried which change from which channel in the audit log", async () => {
    await fetch(`${app.url}/admin/documents/khong-co`, { method: "DELETE", headers: bearer });
    const { cookie } = await signIn();
    const { entries } = (await (await api("/nhat-ky", { headers: { cookie } })).json()) as {
      entries: { who: string; channel: string; action: string; target: string; outcome: string; detail: string }[];
    };
    expect(entries[0]).toMatchObject({ who: "admin-token", channel: "http", action: "remove", target: "khong-co", outcome: "refused" });
    expect(entries[0]!.detail).toContain("Không có văn bản mã «khong-co»");
    expect(entries[1]).toMatchObject({ who: "admin-token", channel: "console", action: "remove", target: "kh-cho-so", outcome: "refused" });

    const [reply] = await app.chat.collect({ channel: "telegram", userId: "4242", chatId: "4242", text: "/hieuluc khong-co in_force" });
    expect(reply).toBeDefined();
    const after = (await (await api("/nhat-ky", { headers: { cookie } })).json()) as {
      entries: { who: string; channel: string; action: string }[];
    };
    expect(after.entries[0]).toMatchObject({
      who: "telegram:4242",
      channel: "chat",
      action: "setStatus",
      target: "khong-co",
      outcome: "refused",
    });
  });

  it("sets a document's role through the validated change path, recorded under the signed-in account", async () => {
    const { cookie, csrf } = await signIn();
    const headers = { cookie, "x-csrf-token": csrf, ...json };
    const res = await api("/van-ban/kh-cho-so", { method: "PATCH", headers, body: JSON.stringify({ role: "reference", title: "" }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toContain("Phiên bản chỉ mục:");
    const { documents } = (await (await api("/van-ban", { headers: { cookie } })).json()) as {
      documents: { role: string; title: string }[];
    };
    // An empty field is "unchanged", not "erase".
    expect(documents[0]).toMatchObject({
      role: "reference",
      title: "Kế hoạch ứng dụng công nghệ số trong quản lý chợ nông sản năm 2027 (văn bản giả lập)",
    });
    const { entries } = (await (await api("/nhat-ky", { headers: { cookie } })).json()) as { entries: unknown[] };
    expect(entries[0]).toMatchObject({ who: "admin-token", channel: "console", action: "update", target: "kh-cho-so", outcome: "ok" });
    const bad = await api("/van-ban/kh-cho-so", { method: "PATCH", headers, body: JSON.stringify({ role: "chinh" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^Thông tin văn bản không hợp lệ/);
  });

  it("gives scripts /admin/unanswered and /admin/stats behind the bearer token", async () => {
    const question = "Lịch thi đấu bóng đá tuần này thế nào?";
    for (const q of [question, "lich thi dau bong da tuan nay the nao"])
      await fetch(`${app.url}/api/ask`, { method: "POST", headers: json, body: JSON.stringify({ question: q }) });
    expect((await fetch(`${app.url}/admin/unanswered`)).status).toBe(401);
    const { groups } = (await (await fetch(`${app.url}/admin/unanswered`, { headers: bearer })).json()) as {
      groups: { question: string; count: number; channels: string[] }[];
    };
    expect(groups.find((g) => g.question === question)).toMatchObject({ count: 2, channels: ["web"] });
    const stats = (await (await fetch(`${app.url}/admin/stats`, { headers: bearer })).json()) as {
      total: number;
      days: { channel: string; abstained: number }[];
    };
    expect(stats.total).toBeGreaterThanOrEqual(2);
    expect(stats.days.find((d) => d.channel === "web")!.abstained).toBeGreaterThanOrEqual(2);
  });

  it("throttles repeated failed sign-ins from one address", async () => {
    const attempt = () => api("/dang-nhap", { method: "POST", headers: json, body: JSON.stringify({ password: "sai" }) });
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(((await blocked.json()) as { error: string }).error).toMatch(
      /^Đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau khoảng 15 phút\.$/,
    );
    // Even the right token waits: guessing cannot continue by mixing in a known one.
    const right = await api("/dang-nhap", { method: "POST", headers: json, body: JSON.stringify({ password: TOKEN }) });
    expect(right.status).toBe(429);
    expect(app.logs.text()).not.toContain(TOKEN);
  });
});
