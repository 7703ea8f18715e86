// Tuning of the follow-up reading weights (`readingOptions`, src/chat/readings.ts) on the train and dev
// splits of a conversation set — never on test. Prints the best settings by follow-up pass rate (ties: whole
// conversations right). Answers are cached by question, so a grid is quick.
// Usage: npx tsx scripts/tune-readings.mts [test/conversations.jsonl]
import { agencySpans } from "../src/answer/index.js";
import { openAssistant } from "../src/app.js";
import { openConversations } from "../src/chat/conversation.js";
import { openSqliteConversationStore } from "../src/chat/conversation-store.js";
import { readingOptions, type ReadingOptions } from "../src/chat/readings.js";
import { loadConfig } from "../src/config.js";
import { conversationMetrics, readConversationFile, scoreTurn, splitOf, type TurnResult } from "../src/eval/conversations.js";
import { loadSourceTexts } from "../src/eval/metrics.js";
import type { Answer } from "../src/types.js";

const file = process.argv[2] ?? "test/conversations.jsonl";
const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" });
const assistant = await openAssistant(config);
const cache = new Map<string, Promise<Answer>>();
const core = {
  ask(q: string, options?: { near?: readonly string[] }): Promise<Answer> {
    const key = options?.near ? `${q}\u0000${options.near.join(" ")}` : q;
    let answer = cache.get(key);
    if (!answer) cache.set(key, (answer = assistant.ask(q, options)));
    return answer;
  },
  documents: () => assistant.documents(),
  index: () => assistant.index(),
  section: (doc: string, id: string) => assistant.section(doc, id),
};
const all = readConversationFile(file);
const splits = splitOf(all.map((c) => c.id));
const tuning = all.filter((c) => splits.get(c.id) !== "test");
const sources = loadSourceTexts(config.corpusDir, assistant.documents());

async function run(options: ReadingOptions) {
  const store = openSqliteConversationStore(":memory:", { ttlMs: 3_600_000, maxTurns: config.CONVERSATION_MAX_TURNS });
  const conversations = openConversations(config, { agencies: agencySpans(config.corpusDir), store, readingOptions: options });
  const results: TurnResult[] = [];
  for (const c of tuning)
    for (const [i, turn] of c.turns.entries())
      results.push(scoreTurn(c.id, i, turn, await conversations.answer(c.id, turn.question, core), sources));
  conversations.close();
  return conversationMetrics(results);
}

// Coordinate ascent from the defaults: each weight in turn takes the value of its grid that scores best on
// train+dev (ties keep the current value), two rounds.
const grid: Partial<Record<keyof ReadingOptions, number[]>> = {
  coverage: [0.25, 0.5, 0.75, 1],
  agreement: [0.15, 0.3, 0.5],
  sectionAgreement: [0, 0.1, 0.2, 0.4],
  neighbourAgreement: [0, 0.1, 0.2],
  headingFocus: [0, 0.25, 0.5, 1],
  thinWords: [2, 3, 4, 5],
  standAloneWords: [4, 5, 6],
  ownPrior: [0.05, 0.15, 0.3],
  signalled: [0.1, 0.25, 0.4],
  minFocus: [0.4, 0.5, 0.6],
  standAloneFocus: [0.7, 0.8, 0.9],
};
const key = (m: Awaited<ReturnType<typeof run>>) => m.followup_pass * 1000 + m.conversations_right;
let best = { ...readingOptions };
let bestScore = key(await run(best));
console.log(`defaults: ${bestScore}`);
for (let round = 0; round < 2; round++)
  for (const k of Object.keys(grid) as Array<keyof ReadingOptions>)
    for (const v of grid[k]!) {
      if (v === best[k]) continue;
      const score = key(await run({ ...best, [k]: v }));
      if (score > bestScore) {
        best = { ...best, [k]: v };
        bestScore = score;
        console.log(`${k}=${v}: ${score}`);
      }
    }
console.log(`best (follow-up pass × 1000 + conversations right): ${bestScore}`, JSON.stringify(best));
