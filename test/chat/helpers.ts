// A corpus of our own for conversation tests: a fictional province's e-commerce plan and a support regulation
// (test/chat/fixtures/corpus), with the shipped vocabulary files (glossary, agencies, follow-up words).
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll } from "vitest";
import { agencySpans, type Assistant } from "../../src/answer/index.js";
import { openAssistant } from "../../src/app.js";
import { openConversations, type Conversations } from "../../src/chat/conversation.js";
import { openSqliteConversationStore } from "../../src/chat/conversation-store.js";
import { CORPUS_DIR, emptyDataDir, ROOT, startTestApp, testDataDir, type TestApp } from "../channels/helpers.js";
import { testConfig } from "../core/helpers.js";
import { tempDir } from "../support/index-cache.js";

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

/**
 * The real answering core and conversation layer over a corpus of ours (`fixture`, relative to the repository), with
 * the shipped vocabulary files: follow-ups read exactly as the channels read them.
 */
export async function openFixtureTalk(fixture: string): Promise<{ assistant: Assistant; conversations: Conversations }> {
  const corpus = path.join(tempDir(path.basename(fixture)), "corpus");
  fs.cpSync(path.join(ROOT, fixture), corpus, { recursive: true });
  for (const f of ["glossary.json", "agencies.json", "followups.json"]) fs.copyFileSync(path.join(CORPUS_DIR, f), path.join(corpus, f));
  const config = testConfig({ corpusDir: corpus });
  const store = openSqliteConversationStore(":memory:", { ttlMs: 600_000, maxTurns: 6 });
  return {
    assistant: await openAssistant(config),
    conversations: openConversations(config, { agencies: agencySpans(corpus), store }),
  };
}
