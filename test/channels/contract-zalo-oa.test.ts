// The channel contract (contract.ts) for the Zalo Official Account: signed webhook events in, consultation messages
// out, against the OA API emulator (single-use refresh tokens; every token it issues must stay out of the logs).
import { ZaloOaApiDouble } from "../doubles/zalo-oa-api.js";
import { runChannelContract } from "./contract.js";
import { startTestApp, type TestApp } from "./helpers.js";

let api: ZaloOaApiDouble;
let app: TestApp | undefined;

runChannelContract({
  name: "Zalo OA",
  get secrets() {
    return [api.appSecret, api.secretKey, ...api.issued];
  },
  redelivers: true,
  async start(env, opts) {
    api = new ZaloOaApiDouble();
    await api.start();
    app = await startTestApp({ ...api.env(), ...env }, opts);
    return app;
  },
  async stop() {
    await app?.close();
    await api?.stop();
  },
  async send(user, text) {
    const event = api.textEvent(`oa${user}`, text);
    const res = await api.deliver(app!.url, event);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return { redeliver: async () => void (await api.deliver(app!.url, event)) };
  },
  received: (user) => api.sent(`oa${user}`),
  failNextReply: () => api.failNext("message/cs", { status: 200, body: { error: -230, message: "User has not interacted with the OA" } }),
});
