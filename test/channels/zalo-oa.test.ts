// The Zalo OA channel beyond the shared contract: signatures, 200 before answering, follow and non-text events,
// access tokens renewed on -216, a rejected refresh token raised once (log, /readyz, staff console) and never retried,
// and the token source on its own (renewal ahead of expiry, one renewal for concurrent callers, which grant wins).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/app.js";
import { createZaloOaClient } from "../../src/channels/zalo-oa-client.js";
import { createOaTokenSource, OaReauthorizationNeeded } from "../../src/channels/zalo-oa-tokens.js";
import { consoleFeature } from "../../src/console/index.js";
import { exampleQuestions } from "../../src/corpus/manifest.js";
import { PUBLIC_DIR } from "../../src/http/app.js";
import { silentLogger } from "../../src/log.js";
import { openSqliteStores } from "../../src/store/index.js";
import { ZaloOaApiDouble } from "../doubles/zalo-oa-api.js";
import { emptyDataDir, startTestApp, until, type TestApp } from "./helpers.js";

const ADMIN_TOKEN = "zalo-oa-admin-token-0123456789";
const REAUTHORIZE = "cần cấp lại quyền cho ứng dụng Zalo OA";
const settle = (ms = 600) => new Promise((r) => setTimeout(r, ms));

let api: ZaloOaApiDouble;
let app: TestApp;
let nextUser = 1;
const user = () => `oa-user-${nextUser++}`;

beforeAll(async () => {
  api = new ZaloOaApiDouble();
  await api.start();
  const extensions = [adminExtension({ features: [consoleFeature({ publicDir: PUBLIC_DIR })] })];
  app = await startTestApp({ ...api.env(), ADMIN_TOKEN }, { extensions });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await api?.stop();
});

const readyz = async () => {
  const res = await fetch(`${app.url}/readyz`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return { status: res.status, text: await res.text() };
};
const oaHealth = async () =>
  (JSON.parse((await readyz()).text) as { channels: Record<string, { state: string; lastError?: { message: string } }> }).channels[
    "zalo-oa"
  ];

describe("Zalo OA webhook", () => {
  it("refuses an event without a valid signature with 401 and answers none of them", async () => {
    const u = user();
    const event = api.textEvent(u, "Sở Tài chính phải làm gì?");
    const raw = JSON.stringify(event);
    const tampered = { ...event, message: { text: "Ai báo cáo?", msg_id: "x1" } };
    const attempts = [
      await api.deliver(app.url, event, null),
      await api.deliver(app.url, event, api.signature(raw, "not-the-oa-secret-key")),
      await api.deliver(app.url, event, "mac=00"),
      await api.deliver(app.url, tampered, api.signature(raw)),
      await api.deliver(app.url, { ...event, app_id: "999" }), // signed correctly, but for another app
    ];
    expect(attempts.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    await settle();
    expect(api.sent(u)).toEqual([]);
    expect(app.logs.text()).toContain("zalo-oa webhook rejected: missing or wrong signature");
  });

  it("answers 200 at once and replies afterwards", async () => {
    const u = user();
    api.sendDelayMs = 1500;
    try {
      const started = Date.now();
      const res = await api.deliver(app.url, api.textEvent(u, "Sở Tài chính phải làm gì?"));
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(api.sent(u)).toEqual([]);
      await until(() => api.sent(u).length > 0, 20_000, "the answer");
    } finally {
      api.sendDelayMs = 0;
    }
  });

  it('offers the rest of a long reply ("Xem thêm") as the command /them', async () => {
    const u = user();
    await api.deliver(app.url, api.textEvent(u, "Sở Tài chính phải làm gì?"));
    await until(() => api.sent(u).some((t) => t.includes("Gõ /them để xem thêm")), 20_000, "the answer announcing more");
    const before = api.sent(u).length;
    await api.deliver(app.url, api.textEvent(u, "/them"));
    const more = (await until(() => api.sent(u)[before], 20_000, "the rest"))!;
    expect(more).toMatch(/^Xem thêm/);
    for (const text of api.sent(u)) expect(text.length).toBeLessThanOrEqual(2000);
  });

  it("greets a new follower with example questions; a picture or sticker gets a hint to type; unfollow and echoes get nothing", async () => {
    const follower = user();
    await api.deliver(app.url, api.event("follow", follower));
    const greeting = (await until(() => api.sent(follower)[0], 20_000, "greeting"))!;
    expect(greeting).toMatch(/^Xin chào!/);
    const examples = exampleQuestions(app.assistant.profile!());
    expect(examples.length).toBeGreaterThan(0);
    for (const q of examples) expect(greeting).toContain(q);

    const image = user();
    await api.deliver(app.url, api.event("user_send_image", image, { message: { msg_id: "img-1", attachments: [{ type: "image" }] } }));
    await api.deliver(app.url, api.event("user_send_sticker", image, { message: { msg_id: "st-1", attachments: [{ type: "sticker" }] } }));
    await until(() => api.sent(image).length === 2, 20_000, "hints");
    for (const hint of api.sent(image)) expect(hint).toContain("Vui lòng gõ câu hỏi");

    const quiet = user();
    await api.deliver(app.url, api.event("unfollow", quiet));
    await api.deliver(app.url, api.event("oa_send_text", quiet, { message: { text: "echo", msg_id: "echo-1" } }));
    await settle();
    expect(api.sent(quiet)).toEqual([]);
  });

  it("renews an access token Zalo refuses (-216) once, with the rotated refresh token, and still delivers", async () => {
    const renewals = api.callsOf("access_token").length;
    const previous = api.callsOf("access_token").at(-1)!;
    api.expireAccessTokens();
    const u = user();
    await api.deliver(app.url, api.textEvent(u, "Sở Tài chính phải làm gì?"));
    await until(() => api.sent(u).length > 0, 20_000, "answer after renewal");
    expect(api.callsOf("access_token")).toHaveLength(renewals + 1);
    const refused = api.callsOf("message/cs").filter((c) => c.error === -216);
    expect(refused).toHaveLength(1);
    // The renewal used the refresh token the previous renewal returned, not the spent one from the environment.
    const used = (api.callsOf("access_token").at(-1)!.body as { refresh_token: string }).refresh_token;
    expect(used).not.toBe((previous.body as { refresh_token: string }).refresh_token);
    expect(api.issued).toContain(used);
  });

  it("reports the channel ready on /readyz without any token in it or in the logs", async () => {
    const { status, text } = await readyz();
    expect(status).toBe(200);
    expect((await oaHealth())?.state).toBe("ready");
    for (const secret of [...api.issued, api.appSecret, api.secretKey]) {
      expect(text).not.toContain(secret);
      expect(app.logs.text()).not.toContain(secret);
    }
  });

  it("a rejected refresh token raises one alert (log, /readyz, console) and is never retried", async () => {
    api.revokeRefreshTokens();
    api.expireAccessTokens();
    const renewals = api.callsOf("access_token").length;
    await api.deliver(app.url, api.textEvent(user(), "Sở Tài chính phải làm gì?"));
    await until(() => app.logs.text().includes(REAUTHORIZE), 20_000, "alert in the log");
    let health = await oaHealth();
    for (let tries = 0; health?.state !== "retrying" && tries < 100; tries++) {
      await settle(50);
      health = await oaHealth();
    }
    expect(health?.state).toBe("retrying");
    expect(health?.lastError?.message).toContain(REAUTHORIZE);
    expect((await readyz()).status).toBe(503);

    const signIn = await fetch(`${app.url}/quan-tri/api/dang-nhap`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ password: ADMIN_TOKEN }),
    });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const { alerts } = (await (await fetch(`${app.url}/quan-tri/api/canh-bao`, { headers: { cookie } })).json()) as { alerts: string[] };
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain(REAUTHORIZE);
    expect(alerts[0]).toContain("ZALO_OA_REFRESH_TOKEN");

    // More messages and start-up retries (every few ms in tests) ask Zalo nothing more.
    await api.deliver(app.url, api.textEvent(user(), "Ai báo cáo kết quả?"));
    await settle(1500);
    expect(api.callsOf("access_token")).toHaveLength(renewals + 1);
    for (const secret of api.issued) expect(app.logs.text()).not.toContain(secret);
  });
});

describe("Zalo OA token source", () => {
  let oa: ZaloOaApiDouble;
  beforeAll(async () => {
    oa = new ZaloOaApiDouble();
    await oa.start();
  });
  afterAll(() => oa.stop());

  const source = (dataDir: string, envRefreshToken: string | undefined, now: () => number = Date.now) => {
    const client = createZaloOaClient({ appId: oa.appId, appSecret: oa.appSecret, apiBase: oa.url, oauthBase: oa.url });
    const stores = openSqliteStores(dataDir);
    const tokens = createOaTokenSource({
      appId: oa.appId,
      envRefreshToken,
      store: stores.oaTokens,
      holder: "t",
      client,
      log: silentLogger,
      now,
    });
    return { tokens, stores };
  };
  const renewals = () => oa.callsOf("access_token").length;

  it("renews once for many concurrent callers, and again ahead of expiry", async () => {
    let clock = Date.now();
    const { tokens, stores } = source(emptyDataDir(), oa.authorize(), () => clock);
    const before = renewals();
    const all = await Promise.all(Array.from({ length: 5 }, () => tokens.accessToken()));
    expect(new Set(all).size).toBe(1);
    expect(renewals()).toBe(before + 1);
    clock += 20 * 3_600_000; // 20 h of the 25 h: still good
    expect(await tokens.accessToken()).toBe(all[0]);
    clock += 4.5 * 3_600_000; // within the last hour: renewed ahead of expiry
    expect(await tokens.accessToken()).not.toBe(all[0]);
    expect(renewals()).toBe(before + 2);
    await stores.close();
  });

  it("after a restart keeps the stored (rotated) token over the spent one in the environment; a new grant in the environment wins", async () => {
    const dataDir = emptyDataDir();
    const first = oa.authorize();
    const a = source(dataDir, first);
    const token = await a.tokens.accessToken();
    await a.stores.close();

    oa.expireAccessTokens();
    const b = source(dataDir, first); // restart: the same, already used, refresh token in the environment
    const renewed = await b.tokens.accessToken(token);
    expect(renewed).not.toBe(token);
    await b.stores.close();

    const regrant = oa.authorize();
    const c = source(dataDir, regrant);
    const before = renewals();
    await c.tokens.accessToken();
    expect(renewals()).toBe(before + 1);
    expect((oa.callsOf("access_token").at(-1)!.body as { refresh_token: string }).refresh_token).toBe(regrant);
    expect(fs.existsSync(path.join(dataDir, "zalo-oa.sqlite"))).toBe(true);
    await c.stores.close();
  });

  it("a wrong app secret is a configuration error: the refresh token is neither spent nor marked rejected", async () => {
    const dataDir = emptyDataDir();
    const grant = oa.authorize();
    const client = createZaloOaClient({ appId: oa.appId, appSecret: "not-the-app-secret", apiBase: oa.url, oauthBase: oa.url });
    const stores = openSqliteStores(dataDir);
    const wrong = createOaTokenSource({
      appId: oa.appId,
      envRefreshToken: grant,
      store: stores.oaTokens,
      holder: "t",
      client,
      log: silentLogger,
    });
    await expect(wrong.accessToken()).rejects.toThrow(/Invalid secret key: check ZALO_OA_APP_ID and ZALO_OA_APP_SECRET/);
    expect(await stores.oaTokens.get(oa.appId)).toBeUndefined();
    await stores.close();
    const fixed = source(dataDir, grant);
    expect(await fixed.tokens.accessToken()).toMatch(/\S/);
    await fixed.stores.close();
  });

  it("without any refresh token it asks for re-authorisation without calling Zalo", async () => {
    const before = renewals();
    const { tokens, stores } = source(emptyDataDir(), undefined);
    await expect(tokens.accessToken()).rejects.toThrow(OaReauthorizationNeeded);
    await expect(tokens.accessToken()).rejects.toThrow(REAUTHORIZE);
    expect(renewals()).toBe(before);
    await stores.close();
  });
});
