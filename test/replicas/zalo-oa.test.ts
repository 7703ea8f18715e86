// Two replicas of the Zalo OA channel sharing one database: starting together, and both meeting an expired access
// token at once, they renew it with one refresh call each time (the refresh token is single-use: two calls would
// lock one of them out); an event delivered to both is answered once; no token reaches either log.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ZaloOaApiDouble } from "../doubles/zalo-oa-api.js";
import { fixtureCorpus, startReplica, until, type Replica } from "./harness.js";
import { createDatabase } from "./postgres.js";

const STARTED = "zalo-oa started (webhook)";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let api: ZaloOaApiDouble;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  api = new ZaloOaApiDouble();
  await api.start();
  // A slow OAuth server: the second replica asks while the first one's renewal is still in flight.
  api.refreshDelayMs = 800;
  const env = {
    ...api.env(),
    DATABASE_URL: await createDatabase(inject("pgAdminUrl"), "zalo_oa"),
    CORPUS_DIR: fixtureCorpus(30).dir,
  };
  [a, b] = await Promise.all([startReplica("a", env), startReplica("b", env)]);
  await until(() => a.output().includes(STARTED) && b.output().includes(STARTED), 60_000, "both OA channels started");
});

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await api?.stop();
});

describe("two replicas, one Zalo OA", () => {
  it("starting together, renew the first token with one refresh call", () => {
    expect(api.callsOf("access_token")).toHaveLength(1);
  });

  it("meeting an expired access token at once, renew it with one refresh call and both deliver", async () => {
    api.expireAccessTokens();
    await Promise.all([
      api.deliver(a.url, api.textEvent("ra", "Mỗi năm mở mấy khóa đào tạo kỹ thuật viên?")),
      api.deliver(b.url, api.textEvent("rb", "Mỗi năm mở mấy khóa đào tạo kỹ thuật viên?")),
    ]);
    await until(() => api.sent("ra").length > 0 && api.sent("rb").length > 0, 30_000, "both answers");
    expect(api.sent("ra")[0]).toContain("hai khóa");
    expect(api.sent("rb")[0]).toContain("hai khóa");
    expect(api.callsOf("access_token")).toHaveLength(2);
    expect(api.callsOf("access_token").every((c) => c.error === 0)).toBe(true);
  });

  it("answer an event delivered to both replicas once", async () => {
    const event = api.textEvent("rc", "Mỗi năm mở mấy khóa đào tạo kỹ thuật viên?");
    await Promise.all([api.deliver(a.url, event), api.deliver(b.url, event)]);
    await until(() => api.sent("rc").length > 0, 30_000, "answer");
    await sleep(2000);
    expect(api.sent("rc")).toHaveLength(1);
  });

  it("write no token to either log", () => {
    for (const r of [a, b]) for (const secret of [...api.issued, api.appSecret, api.secretKey]) expect(r.output()).not.toContain(secret);
  });
});
