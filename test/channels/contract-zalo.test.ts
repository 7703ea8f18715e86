// The channel contract (contract.ts) for Zalo: our typed client, long polling, against the Bot API double.
import { ZaloApiDouble } from "../doubles/zalo-api.js";
import { runChannelContract } from "./contract.js";
import { startTestApp, type TestApp } from "./helpers.js";

const TOKEN = "1459232241454765289:ZaloContractSecretForTests";

let api: ZaloApiDouble;
let app: TestApp | undefined;

runChannelContract({
  name: "Zalo",
  secrets: [TOKEN, "ZaloContractSecretForTests"],
  redelivers: true,
  async start(env, opts) {
    api = new ZaloApiDouble();
    await api.start();
    app = await startTestApp({ ZALO_BOT_TOKEN: TOKEN, ZALO_API_BASE: api.url, ...env }, opts);
    return app;
  },
  async stop() {
    await app?.close();
    await api?.stop();
  },
  async send(user, text) {
    const update = api.textUpdate(text, { userId: `z${user}` });
    api.push(update);
    return { redeliver: async () => void api.push(update) };
  },
  received: (user) => api.sent(`z${user}`),
  failNextReply: () => void api.failNext("sendMessage", { status: 400, body: { ok: false, error_code: 400, description: "Bad Request" } }),
});
