// Print how each turn of the chosen conversations is read: every candidate reading, its answer's top
// citations and its measured score (SHOW_REPLY=1 also prints each reply). `npx tsx scripts/debug-conversation.mts FILE ID [ID…]`.
import path from "node:path";
import { openAssistant } from "../src/app.js";
import { agencySpans } from "../src/answer/index.js";
import { openConversations, readContext } from "../src/chat/conversation.js";
import { openSqliteConversationStore } from "../src/chat/conversation-store.js";
import { loadFollowupLexicon } from "../src/chat/followups.js";
import { candidateReadings, coverageIn, measure } from "../src/chat/readings.js";
import { loadConfig, secretsOf } from "../src/config.js";
import { readConversationFile } from "../src/eval/conversations.js";
import { createLogger } from "../src/log.js";

const [file, ...ids] = process.argv.slice(2);
const config = loadConfig();
const log = createLogger("warn", secretsOf(config));
const assistant = await openAssistant(config, log);
const store = openSqliteConversationStore(":memory:", { ttlMs: 3_600_000, maxTurns: 10 });
const agencies = agencySpans(config.corpusDir, log);
const conversations = openConversations(config, { agencies, log, store });
const lexicon = loadFollowupLexicon(path.join(config.corpusDir, "followups.json"));
/** The first three citations of an answer (document id prefix # section), or ABSTAIN. */
const cited = (a: { abstained: boolean; citations: { doc: string; section: string }[] }) =>
  a.abstained
    ? "ABSTAIN"
    : a.citations
        .slice(0, 3)
        .map((x) => `${x.doc.slice(0, 5)}#${x.section}`)
        .join(" ");
for (const c of readConversationFile(file!).filter((x) => !ids.length || ids.includes(x.id)))
  for (const t of c.turns) {
    const turns = await store.get(c.id);
    console.log(`\n${c.id} [${t.kind}] ${t.question}   expect ${t.expect.join(" ")}`);
    const ctx = readContext(assistant, lexicon!, agencies);
    for (const cand of candidateReadings(t.question, turns, ctx)) {
      const a = await assistant.ask(cand.standalone, cand.near ? { near: cand.near } : undefined);
      const s = measure(cand, a, turns[turns.length - 1], ctx);
      const focus = coverageIn(ctx.vocabulary, cand.own, `${a.lead} ${a.citations[0]?.quote ?? ""}`);
      const cover = coverageIn(ctx.vocabulary, cand.scope, a.citations.map((q) => q.quote).join(" "));
      console.log(
        `  ${cand.kind.padEnd(10)} ${s.toFixed(3)} f=${focus.toFixed(2)} c=${cover.toFixed(2)} own«${cand.own}»  «${cand.standalone}»  → ${cited(a)}`,
      );
    }
    const a = await conversations.answer(c.id, t.question, assistant);
    console.log(`  CHOSEN «${a.resolvedQuestion ?? t.question}» → ${cited(a)}`);
    // SHOW_REPLY=1: the reply as the user reads it.
    if (process.env.SHOW_REPLY) console.log(a.answer.replace(/^/gm, "    | "));
  }
conversations.close();
