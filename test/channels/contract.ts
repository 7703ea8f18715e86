// What every channel adapter must do, as one suite each adapter runs over its own loopback double (in the
// spirit of Hono's shared router tests): answer with a verbatim quote and its section, abstain politely, run
// /help /nguon /viec, answer a duplicate delivery once, rate-limit and refuse over-long questions in
// Vietnamese, survive a failed delivery, keep secrets out of the logs. Expected facts come from the fixture
// document's text (test/channels/fixtures), never from the app's own answer.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDutiesFeature } from "../../src/http/duties.js";
import type { StartOptions } from "../../src/http/server.js";
import { FIXTURE_DOCUMENT, fixtureCorpus, ROOT, until, type TestApp } from "./helpers.js";

/** One adapter under the contract, driven through its platform's loopback double. */
export interface ChannelHarness {
  name: string;
  /** Secrets of this channel that must never reach the logs. */
  secrets: string[];
  /** Start the app (fixture corpus in env.CORPUS_DIR, features as `npm start` has them) with this channel enabled. */
  start(env: Record<string, string>, opts: StartOptions): Promise<TestApp>;
  stop(): Promise<void>;
  /** `user` sends `text`; returns a handle to deliver the same update again. */
  send(user: number, text: string): Promise<{ redeliver(): Promise<void> }>;
  /** Everything `user` has been shown so far as plain text, one entry per message (or HTTP response). */
  received(user: number): string[];
  /** The next reply to `user` fails on its way out (the platform refuses it, the web client hangs up). */
  failNextReply(user: number): Promise<void> | void;
  /** Delivering the same update twice is possible on this channel (not on request/response HTTP). */
  redelivers: boolean;
}

const RATE_LIMIT = 3;
const MAX_LENGTH = 200;
export const CONTRACT_ENV = {
  RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
  MAX_QUESTION_LENGTH: String(MAX_LENGTH),
  ADMIN_TOKEN: "contract-admin-token-never-logged",
};

const FIXTURE_TEXT = fs.readFileSync(path.join(ROOT, "test/channels/fixtures", path.basename(FIXTURE_DOCUMENT.file)), "utf8");
/** A question only the fixture document answers, the clause of Điều 1 khoản 1 điểm c that answers it, and its section. */
export const FACT = {
  question: "Thiết bị cảm biến đo độ ẩm đất ở những tầng sâu nào?",
  clause: "thiết bị cảm biến đo được độ ẩm đất ở ba tầng sâu 20, 40 và 60 centimét với sai số không quá hai phần trăm",
  section: /Điều 1, khoản 1, điểm c/,
};
const OUT_OF_SCOPE = "Cách nấu phở bò ngon nhất là gì?";

const settle = () => new Promise((r) => setTimeout(r, 700));
const squash = (s: string) => s.replace(/\s+/g, " ");

/** Quotes in a reply (“…” or «…», 30 characters or more). */
const quotesIn = (text: string) => [...text.matchAll(/[“«]([^”»]{30,})[”»]/g)].map((m) => squash(m[1]!));

export function runChannelContract(harness: ChannelHarness): void {
  let app: TestApp;
  let corpusText = "";
  let nextUser = 9100;
  const user = () => nextUser++;
  const shown = (u: number) => harness.received(u).join("\n");
  const replyTo = async (u: number, text: string, count = 1) => {
    await harness.send(u, text);
    await until(() => harness.received(u).length >= count, 30_000, `${harness.name} reply to «${text}»`);
    return shown(u);
  };

  describe(`${harness.name} channel contract`, () => {
    beforeAll(async () => {
      const corpusDir = fixtureCorpus();
      corpusText = squash(
        fs
          .readdirSync(path.join(corpusDir, "documents"))
          .map((f) => fs.readFileSync(path.join(corpusDir, "documents", f), "utf8"))
          .join("\n"),
      );
      // The duties feature (/viec) as `npm start` adds it; its reminder scheduler stays off.
      app = await harness.start(
        { CORPUS_DIR: corpusDir, ...CONTRACT_ENV },
        { extensions: [createDutiesFeature({ autoStart: false }).extension] },
      );
    }, 180_000);
    afterAll(() => harness.stop());

    it("answers with the verbatim clause of the fixture document and names its section", async () => {
      expect(squash(FIXTURE_TEXT)).toContain(FACT.clause);
      const text = await replyTo(user(), FACT.question);
      expect(squash(text)).toContain(FACT.clause);
      expect(text).toMatch(FACT.section);
    });

    it("abstains politely, in Vietnamese, on what the documents do not cover", async () => {
      const text = await replyTo(user(), OUT_OF_SCOPE);
      expect(text).toMatch(/Xin lỗi/);
      expect(text).toMatch(/không đề cập/);
    });

    it("/help lists the commands; /nguon lists the corpus's documents", async () => {
      const help = await replyTo(user(), "/help");
      expect(help).toContain("/nguon");
      expect(help).toContain("/viec");
      expect(await replyTo(user(), "/nguon")).toContain(FIXTURE_DOCUMENT.shortTitle);
    });

    it("/viec <cơ quan> lists the agency's duties quoting the documents verbatim", async () => {
      const text = await replyTo(user(), "/viec Sở Tài chính");
      expect(text).toContain("Sở Tài chính");
      const quotes = quotesIn(text);
      expect(quotes.length).toBeGreaterThan(0);
      expect(quotes.some((q) => corpusText.includes(q.replace(/…$/, "")))).toBe(true);
    });

    it.skipIf(!harness.redelivers)("answers an update delivered twice only once", async () => {
      const once = user();
      await replyTo(once, OUT_OF_SCOPE);
      const twice = user();
      const update = await harness.send(twice, OUT_OF_SCOPE);
      await update.redeliver();
      await until(() => harness.received(twice).length > 0, 30_000, "answer to a duplicate");
      await settle();
      expect(harness.received(twice)).toHaveLength(harness.received(once).length);
    });

    it(`tells a user over ${RATE_LIMIT} questions a minute to wait, in Vietnamese`, async () => {
      const u = user();
      for (let i = 0; i <= RATE_LIMIT; i++) await replyTo(u, `${OUT_OF_SCOPE} (${i})`, i + 1);
      expect(harness.received(u).at(-1)).toContain(`quá ${RATE_LIMIT} câu hỏi trong một phút`);
    });

    it(`refuses a question over ${MAX_LENGTH} characters in Vietnamese and answers the next one`, async () => {
      const u = user();
      const text = await replyTo(u, `${FACT.question} ${"rất ".repeat(60)}`);
      expect(text).toContain(`vượt quá giới hạn ${MAX_LENGTH} ký tự`);
      expect(squash(await replyTo(u, FACT.question, 2))).toContain(FACT.clause);
    });

    it("a reply that fails on its way out never stops the channel", async () => {
      const u = user();
      await harness.failNextReply(u);
      await harness.send(u, OUT_OF_SCOPE).catch(() => undefined);
      await settle();
      const before = harness.received(u).length;
      expect(squash(await replyTo(u, FACT.question, before + 1))).toContain(FACT.clause);
    });

    it("never writes a secret to the logs", () => {
      const logs = app.logs.text();
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of [...harness.secrets, CONTRACT_ENV.ADMIN_TOKEN]) expect(logs).not.toContain(secret);
    });
  });
}
