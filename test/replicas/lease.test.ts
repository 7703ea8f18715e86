// One poller per bot: of two replicas in long-polling mode only the lease holder polls; after `kill -9` of the
// holder, the other takes the lease and answers within 10 s.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { fixtureCorpus, startReplica, until, type Replica } from "./harness.js";
import { createDatabase } from "./postgres.js";

const TG_TOKEN = "123456789:AALeaseTestTokenOnly_abcdefghij";
const TAKEN = "polling lease taken";

let tg: TelegramApiDouble;
let a: Replica;
let b: Replica | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  tg = new TelegramApiDouble();
  await tg.start();
  const corpus = fixtureCorpus(30);
  env = {
    DATABASE_URL: await createDatabase(inject("pgAdminUrl"), "lease"),
    CORPUS_DIR: corpus.dir,
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_API_ROOT: tg.url,
  };
  a = await startReplica("a", env);
  await until(() => a.output().includes(TAKEN), 30_000, "A polls");
});

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await tg?.stop();
});

describe("polling lease", () => {
  it("lets one replica poll, and moves to the other within 10 s of kill -9", async () => {
    b = await startReplica("b", env);
    await new Promise((r) => setTimeout(r, 3000)); // B tries the lease (every 2 s) while A holds it
    expect(b.output()).not.toContain(TAKEN);
    expect(b.output()).not.toContain("telegram started (long polling)");
    tg.push(tg.textUpdate("/help", { userId: 701 }));
    await until(() => tg.sent(701).length > 0, 20_000, "answer from A");

    await a.kill();
    const killedAt = Date.now();
    await until(() => b!.output().includes("telegram started (long polling)"), 10_000, "B polls");
    tg.push(tg.textUpdate("/help", { userId: 702 }));
    await until(() => tg.sent(702).length > 0, 10_000 - (Date.now() - killedAt), "answer from B");
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(tg.sent(701)).toHaveLength(1);
  });
});
