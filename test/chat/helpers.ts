// A corpus of our own for conversation tests: a fictional province's e-commerce plan and a support regulation
// (test/chat/fixtures/corpus), with the shipped vocabulary files (glossary, agencies, follow-up words).
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll } from "vitest";
import { CORPUS_DIR, emptyDataDir, ROOT, startTestApp, testDataDir, type TestApp } from "../channels/helpers.js";

const FIXTURE = path.join(ROOT, "test/chat/fixtures/corpus");

export function conversationCorpus(): string {
  const dir = path.join(emptyDataDir(), "corpus");
  fs.cpSync(FIXTURE, dir, { recursive: true });
  for (const file of ["glossary.json", "agencies.json", "followups.json"]) {
    fs.copyFileSync(path.join(CORPUS_DIR, file), path.join(dir, file));
  }
  return dir;
}

export const TELEGRAM_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk";
export const ZALO_TOKEN = "1459232241454765289:ZaloBotSecretForTests";

/**
 * Apps over the conversation corpus, one per test: `start` runs the app with extra environment, `double` starts a
 * platform or model double; the app and every double are stopped after each test.
 */
export function conversationApps() {
  let corpusDir = "";
  let app: TestApp | undefined;
  const stops: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    corpusDir = conversationCorpus();
    await testDataDir(corpusDir);
  }, 180_000);
  afterEach(async () => {
    await app?.close();
    app = undefined;
    for (const stop of stops.splice(0)) await stop();
  });
  return {
    async start(env: Record<string, string>): Promise<TestApp> {
      app = await startTestApp({ CORPUS_DIR: corpusDir, ...env }, { dataDir: await testDataDir(corpusDir) });
      return app;
    },
    async double<T extends { start(): Promise<unknown>; stop(): Promise<void> }>(double: T): Promise<T> {
      await double.start();
      stops.push(() => double.stop());
      return double;
    },
    url: () => app!.url,
  };
}
