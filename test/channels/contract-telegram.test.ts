// The channel contract (contract.ts) for Telegram: real telegraf, long polling, against the Bot API double.
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { runChannelContract } from "./contract.js";
import { startTestApp, type TestApp } from "./helpers.js";

const TOKEN = "123456789:AAContractTokenForTestsOnly_xyz";
const BLOCKED = { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } };

let api: TelegramApiDouble;
let app: TestApp | undefined;

runChannelContract({
  name: "Telegram",
  secrets: [TOKEN, TOKEN.split(":")[1]!],
  redelivers: true,
  async start(env, opts) {
    api = new TelegramApiDouble();
    await api.start();
    app = await startTestApp({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url, ...env }, opts);
    return app;
  },
  async stop() {
    await app?.close();
    await api?.stop();
  },
  async send(user, text) {
    const update = api.textUpdate(text, { userId: user });
    api.push(update);
    return { redeliver: async () => void api.push(update) };
  },
  received: (user) => api.sent(user).map((m) => m.text),
  failNextReply: () => void api.failNext("sendMessage", BLOCKED),
});
