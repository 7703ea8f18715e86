import { openAssistant } from "../src/app.js";
import { agencySpans } from "../src/answer/index.js";
import { openConversations } from "../src/chat/conversation.js";
import { openSqliteConversationStore } from "../src/chat/conversation-store.js";
import { loadConfig, secretsOf } from "../src/config.js";
import { readConversationFile } from "../src/eval/conversations.js";
import { createLogger } from "../src/log.js";
const config = loadConfig();
const log = createLogger("warn", secretsOf(config));
const assistant = await openAssistant(config, log);
const store = openSqliteConversationStore(":memory:", { ttlMs: 3_600_000, maxTurns: 10 });
const conv = openConversations(config, { agencies: agencySpans(config.corpusDir, log), log, store });
for (const f of process.argv.slice(2))
  for (const c of readConversationFile(f))
    for (const t of c.turns) {
      const a = await conv.answer(`${f}${c.id}`, t.question, assistant);
      if (a.resolvedQuestion) console.log(`${a.resolvedQuestion.length}\t${t.question.slice(0, 60)}\t→ ${a.resolvedQuestion}`);
    }
conv.close();
