// `npm start` (src/main.ts) as a real process, configured by a .env file under the real environment: the server
// and the Telegram channel start, answer, and shut down cleanly on SIGTERM without printing the token.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS_DIR, ROOT, testDataDir, until } from "../channels/helpers.js";
import { TelegramApiDouble } from "../doubles/telegram-api.js";

describe("npm start (src/main.ts)", () => {
  it("starts the server and the Telegram channel, then shuts down cleanly on SIGTERM", async () => {
    const tg = new TelegramApiDouble();
    await tg.start();
    const token = "555:MainProcessTokenNeverPrinted";
    // Settings in .env of the working directory; the real environment wins over it (PORT=1 would fail).
    const cwd = await testDataDir();
    fs.writeFileSync(path.join(cwd, ".env"), `PORT=1\nTELEGRAM_BOT_TOKEN=${token}\nTELEGRAM_API_ROOT=${tg.url}\nLOG_LEVEL=debug\n`);
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "src/main.ts")], {
      cwd,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: cwd,
        CORPUS_DIR,
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
      expect(output).toContain(`"msg":"web chat ready: open this address in a browser","url":"http://localhost:${port}"`);
      expect(output).not.toContain('"level":"debug"');
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
