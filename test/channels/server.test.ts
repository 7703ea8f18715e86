// Start-up: channels enabled by their tokens, each started on its own and retried until its API answers
// (`npm start` as a real process: test/integration/main.test.ts).
import { afterEach, describe, expect, it } from "vitest";
import { closedPort } from "../doubles/http.js";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { startTestApp, until, type TestApp } from "./helpers.js";

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("start-up", () => {
  it("with no tokens serves the web page and names the variable enabling each channel", async () => {
    app = await startTestApp({});
    expect((await fetch(`${app.url}/`)).status).toBe(200);
    const logs = app.logs.text();
    expect(logs).toContain("telegram channel disabled: set TELEGRAM_BOT_TOKEN to enable it");
    expect(logs).toContain("zalo channel disabled: set ZALO_BOT_TOKEN to enable it");
    expect(app.chat.channels()).toEqual([]);
  });

  it("a channel that cannot start is logged without its token, keeps retrying, and does not hold the other back", async () => {
    const tg = new TelegramApiDouble();
    const zalo = new ZaloApiDouble();
    await Promise.all([tg.start(), zalo.start()]);
    tg.on("getMe", () => ({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } }));
    const token = "111:BadTokenValueThatMustNotLeak";
    try {
      app = await startTestApp({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: tg.url,
        ZALO_BOT_TOKEN: "222:ZaloTokenPart",
        ZALO_API_BASE: zalo.url,
        CHANNEL_RETRY_MAX_MS: "200",
      });
      zalo.push(zalo.textUpdate("Xin chào", { userId: "s1" }));
      const greeting = await until(() => zalo.sent("s1")[0], 10_000, "zalo answer");
      expect(greeting).toContain((await app.assistant.ask("Xin chào")).answer);
      // Still trying: several getMe calls, one failure log line per attempt, never the token.
      await tg.waitForCount("getMe", 3);
      expect(app.logs.text()).toContain("telegram channel failed to start, retrying");
      expect(app.logs.text()).toContain("401: Unauthorized");
      expect(app.logs.text()).not.toContain("BadTokenValueThatMustNotLeak");
    } finally {
      await app?.close();
      app = undefined;
      await Promise.all([tg.stop(), zalo.stop()]);
    }
  });

  it("APIs down at start: /readyz says retrying with the cause; started late, both channels come back and answer", async () => {
    const [tgPort, zaloPort] = [await closedPort(), await closedPort()];
    const tg = new TelegramApiDouble();
    const zalo = new ZaloApiDouble();
    try {
      app = await startTestApp({
        TELEGRAM_BOT_TOKEN: "333:UnreachableTelegramToken",
        TELEGRAM_API_ROOT: `http://127.0.0.1:${tgPort}`,
        ZALO_BOT_TOKEN: "444:UnreachableZaloToken",
        ZALO_API_BASE: `http://127.0.0.1:${zaloPort}`,
        API_RETRY_ATTEMPTS: "2",
        CHANNEL_RETRY_MAX_MS: "300",
        ADMIN_TOKEN: "admin-token-for-the-comeback-test",
      });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      let down: Readiness | undefined;
      for (const deadline = Date.now() + 10_000; !down && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const res = await fetch(`${app.url}/readyz`, { headers: { authorization: "Bearer admin-token-for-the-comeback-test" } });
        const body = (await res.json()) as Readiness;
        if (res.status === 503 && body.channels.telegram?.state === "retrying" && body.channels.zalo?.state === "retrying") down = body;
      }
      if (!down) throw new Error("timed out waiting for both channels to be retrying");
      expect(down.ready).toBe(false);
      expect(down.channels.zalo!.lastError!.message).toContain("ECONNREFUSED");
      expect(down.channels.telegram!.lastError!.message).toContain("ECONNREFUSED");
      expect(JSON.stringify(down)).not.toMatch(/UnreachableTelegramToken|UnreachableZaloToken/);
      const logs = app.logs.text();
      expect(logs).toContain("zalo channel failed to start, retrying");
      expect(logs).toContain("connect ECONNREFUSED");
      expect(logs).not.toMatch(/UnreachableTelegramToken|UnreachableZaloToken/);

      // The APIs come up well after the first attempts (the bot gave up after four).
      await new Promise((r) => setTimeout(r, 1500));
      await Promise.all([tg.start(tgPort), zalo.start(zaloPort)]);
      tg.push(tg.textUpdate("/help", { userId: 78 }));
      zalo.push(zalo.textUpdate("/help", { userId: "z78" }));
      await until(() => tg.sent(78)[0], 15_000, "telegram reply");
      await until(() => zalo.sent("z78")[0], 15_000, "zalo reply");
      const res = await fetch(`${app.url}/readyz`, { headers: { authorization: "Bearer admin-token-for-the-comeback-test" } });
      const up = (await res.json()) as Readiness;
      expect(res.status).toBe(200);
      expect(up).toMatchObject({ ready: true, channels: { telegram: { state: "ready" }, zalo: { state: "ready" } } });
      expect(up.index?.version).toMatch(/\S/);
      expect(Date.parse(up.channels.telegram!.lastSuccessAt!)).toBeGreaterThan(Date.parse(down.channels.telegram!.lastError!.at));
      // The failures and retries were counted per channel.
      const scrape = await fetch(`${app.url}/metrics`, { headers: { authorization: "Bearer admin-token-for-the-comeback-test" } });
      const metrics = await scrape.text();
      for (const channel of ["telegram", "zalo"]) {
        expect(Number(new RegExp(`channel_api_errors_total\\{channel="${channel}"\\} (\\d+)`).exec(metrics)?.[1])).toBeGreaterThan(1);
        expect(Number(new RegExp(`channel_api_retries_total\\{channel="${channel}"\\} (\\d+)`).exec(metrics)?.[1])).toBeGreaterThan(0);
      }
    } finally {
      await app?.close();
      app = undefined;
      await Promise.all([tg.stop(), zalo.stop()]);
    }
  }, 60_000);
});

type Readiness = {
  ready: boolean;
  index: { version: string } | null;
  channels: Record<string, { state: string; lastError?: { message: string; at: string }; lastSuccessAt?: string } | undefined>;
};
