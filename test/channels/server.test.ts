// Start-up and shutdown: channels enabled by their tokens, `npm start` (src/main.ts) as a real process.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { CORPUS_DIR, ROOT, startTestApp, testDataDir, until, type TestApp } from "./helpers.js";

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

describe("npm start (src/main.ts)", () => {
  it("starts the server and the Telegram channel, then shuts down cleanly on SIGTERM", async () => {
    const tg = new TelegramApiDouble();
    await tg.start();
    const token = "555:MainProcessTokenNeverPrinted";
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "src/main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: await testDataDir(),
        CORPUS_DIR,
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: tg.url,
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const port = await until(() => /"msg":"http server listening".*"port":(\d+)/.exec(output)?.[1], 60_000, "listening");
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await until(() => output.includes("telegram started (long polling)"), 20_000, "telegram started");
      tg.push(tg.textUpdate("/help", { userId: 77 }));
      await until(() => tg.sent(77)[0], 20_000, "help reply");

      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"shutting down","signal":"SIGTERM"');
      expect(output).toContain('"msg":"stopped"');
      expect(output).toContain("zalo channel disabled: set ZALO_BOT_TOKEN to enable it");
      expect(output).not.toContain("MainProcessTokenNeverPrinted");
      const polls = tg.callsOf("getUpdates").length;
      await new Promise((r) => setTimeout(r, 600));
      expect(tg.callsOf("getUpdates").length).toBe(polls);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await tg.stop();
    }
  }, 90_000);
});
