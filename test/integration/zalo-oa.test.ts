// The Zalo OA channel in the real server process (`node --import tsx src/main.ts`), against the OA API emulator:
// a signed question answered with its cited section, a bad signature refused, a redelivery answered once, an
// expired access token renewed, and a restart with the original (already used) refresh token still in the
// environment continuing with the stored one. No token the emulator issued ever reaches the log.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FACT } from "../channels/contract.js";
import { fixtureCorpus, ROOT, testDataDir, until } from "../channels/helpers.js";
import { ZaloOaApiDouble } from "../doubles/zalo-oa-api.js";

const squash = (s: string) => s.replace(/\s+/g, " ");
const settle = (ms = 1500) => new Promise((r) => setTimeout(r, ms));

interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<number | null>;
}

let api: ZaloOaApiDouble;
let env: Record<string, string>;
let output = "";
let server: Server | undefined;

/** `npm start` as a process (node --import tsx, so a signal reaches the server itself); resolves once the OA channel is up. */
async function startServer(): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "debug" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const start = output.length;
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const mine = () => output.slice(start);
  const port = await until(() => /"msg":"http server listening".*"port":(\d+)/.exec(mine())?.[1], 90_000, "listening");
  await until(() => mine().includes("zalo-oa started (webhook)"), 30_000, "zalo-oa started");
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

beforeAll(async () => {
  api = new ZaloOaApiDouble();
  await api.start();
  const corpusDir = fixtureCorpus();
  env = { ...api.env(), CORPUS_DIR: corpusDir, DATA_DIR: await testDataDir(corpusDir) };
  server = await startServer();
}, 180_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
  await api?.stop();
});

describe("Zalo OA in the real server process", () => {
  it("answers a signed question with the verbatim clause and its section", async () => {
    expect((await api.deliver(server!.url, api.textEvent("u1", FACT.question))).status).toBe(200);
    const reply = squash((await until(() => api.sent("u1").join("\n") || undefined, 30_000, "answer"))!);
    expect(reply).toContain(FACT.clause);
    expect(reply).toMatch(FACT.section);
  });

  it("refuses an event with a bad signature and does not answer it", async () => {
    const event = api.textEvent("u2", FACT.question);
    const res = await api.deliver(server!.url, event, api.signature(JSON.stringify(event), "a-guessed-secret-key"));
    expect(res.status).toBe(401);
    await settle();
    expect(api.sent("u2")).toEqual([]);
  });

  it("answers an event delivered twice once", async () => {
    const event = api.textEvent("u3", "Cách nấu phở bò ngon nhất là gì?");
    const [a, b] = await Promise.all([api.deliver(server!.url, event), api.deliver(server!.url, event)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await until(() => api.sent("u3").length > 0, 30_000, "answer");
    await settle();
    expect(api.sent("u3")).toHaveLength(1);
  });

  it("renews an expired access token and still delivers the answer", async () => {
    const renewals = api.callsOf("access_token").length;
    api.expireAccessTokens();
    await api.deliver(server!.url, api.textEvent("u4", FACT.question));
    await until(() => api.sent("u4").length > 0, 30_000, "answer after renewal");
    expect(squash(api.sent("u4").join("\n"))).toContain(FACT.clause);
    expect(api.callsOf("access_token")).toHaveLength(renewals + 1);
  });

  it("after a restart with the spent refresh token still in the environment, keeps working with the stored one", async () => {
    expect(await server!.stop()).toBe(0);
    server = await startServer();
    // The stored access token is still valid: no renewal at start; then one renewal with the stored refresh token.
    const renewals = api.callsOf("access_token").length;
    await api.deliver(server.url, api.textEvent("u5", "Cách nấu phở bò ngon nhất là gì?"));
    await until(() => api.sent("u5").length > 0, 30_000, "answer after restart");
    expect(api.callsOf("access_token")).toHaveLength(renewals);
    api.expireAccessTokens();
    await api.deliver(server.url, api.textEvent("u6", FACT.question));
    await until(() => api.sent("u6").length > 0, 30_000, "answer after restart and renewal");
    const used = api.callsOf("access_token").map((c) => (c.body as { refresh_token: string }).refresh_token);
    expect(used.filter((t) => t === env.ZALO_OA_REFRESH_TOKEN)).toHaveLength(1); // the environment's token, once
    expect(api.callsOf("access_token").every((c) => c.error === 0)).toBe(true);
    expect(output).not.toContain(REAUTHORIZE_EN);
  });

  it("never writes a token or secret to the log", () => {
    expect(output).toContain("zalo-oa access token renewed");
    for (const secret of [...api.issued, api.appSecret, api.secretKey]) expect(output).not.toContain(secret);
  });
});

const REAUTHORIZE_EN = "re-authorise the app";
