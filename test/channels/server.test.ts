// Start-up and shutdown: channels enabled by their tokens (`npm start` as a real process: test/integration/main.test.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
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

  it("a channel that cannot start is logged without its token and the rest keeps running", async () => {
    const tg = new TelegramApiDouble();
    const zalo = new ZaloApiDouble();
    await Promise.all([tg.start(), zalo.start()]);
    tg.on("getMe", () => ({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } }));
    const token = "111:BadTokenValueThatMustNotLeak";
    try {
      app = await startTestApp(
        { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: tg.url, ZALO_BOT_TOKEN: "222:ZaloTokenPart", ZALO_API_BASE: zalo.url },
      );
      expect(app.logs.text()).toContain("telegram channel failed to start");
      expect(app.logs.text()).not.toContain("BadTokenValueThatMustNotLeak");
      zalo.push(zalo.textUpdate("Xin chào", { userId: "s1" }));
      const greeting = await until(() => zalo.sent("s1")[0], 10_000, "zalo answer");
      expect(greeting).toContain((await app.assistant.ask("Xin chào")).answer);
    } finally {
      await app?.close();
      app = undefined;
      await Promise.all([tg.stop(), zalo.stop()]);
    }
  });

  it("unreachable APIs: retried, then logged without the tokens in any URL", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const root = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    app = await startTestApp(
      {
        TELEGRAM_BOT_TOKEN: "333:UnreachableTelegramToken",
        TELEGRAM_API_ROOT: root,
        ZALO_BOT_TOKEN: "444:UnreachableZaloToken",
        ZALO_API_BASE: root,
        API_RETRY_ATTEMPTS: "2",
      },
    );
    const logs = app.logs.text();
    expect(logs).toContain("telegram channel failed to start");
    expect(logs).toContain("zalo channel failed to start");
    expect(logs).toContain("api call failed, retrying");
    expect(logs).not.toContain("UnreachableTelegramToken");
    expect(logs).not.toContain("UnreachableZaloToken");
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
