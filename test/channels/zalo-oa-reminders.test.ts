// Deadline reminders through the Zalo OA: /nhacnho sent as an OA message subscribes; the reminder goes out as a
// consultation message; one Zalo refuses (the user has not written recently) is sent at a later check, once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDutiesFeature, type DutiesFeature } from "../../src/http/duties.js";
import { ZaloOaApiDouble } from "../doubles/zalo-oa-api.js";
import { startTestApp, until, type TestApp } from "./helpers.js";

let now = new Date("2026-11-01T09:00:00+07:00");
let api: ZaloOaApiDouble;
let app: TestApp;
let feature: DutiesFeature;

beforeAll(async () => {
  api = new ZaloOaApiDouble();
  await api.start();
  feature = createDutiesFeature({ clock: () => now, autoStart: false });
  app = await startTestApp(api.env(), { extensions: [feature.extension] });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await api?.stop();
});

const reminders = () => api.sent("f1").filter((t) => t.includes("Nhắc hạn"));

describe("deadline reminders on the Zalo OA", () => {
  it("subscribe by message; a reminder Zalo refuses goes out at the next check, once", async () => {
    await api.deliver(app.url, api.textEvent("f1", "/nhacnho"));
    await until(() => api.sent("f1").some((t) => t.startsWith("Đã bật nhắc hạn")), 15_000, "subscribed");

    now = new Date("2026-11-23T09:00:00+07:00"); // 7 days before the shipped plan's 30/11 deadline
    api.failNext("message/cs", { status: 200, body: { error: -213, message: "User has not interacted with the OA recently" } });
    await feature.scheduler!.tick();
    expect(reminders()).toEqual([]);
    await feature.scheduler!.tick();
    await until(() => reminders().length === 1, 10_000, "reminder at the next check");
    expect(reminders()[0]).toContain("30/11/2026");
    await feature.scheduler!.tick();
    expect(reminders()).toHaveLength(1);
  });
});
