// `npm run ask -- "câu hỏi"` · `--json` · `--json --batch FILE` (JSONL {"id","question"} → one answer per line)
// · `--conversation ID` (a follow-up read with the earlier questions asked with the same ID).
import { once } from "node:events";
import fs from "node:fs";
import { z } from "zod";
import { agencySpans, type Assistant } from "../answer/index.js";
import { createQuestionRewriter } from "../answer/llm.js";
import { openAssistant } from "../app.js";
import { openConversations } from "../chat/conversation.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { loadConfig, secretsOf } from "../config.js";
import { createLogger, redact } from "../log.js";

/**
 * stdout with backpressure: a pipe (`| head`, `| jq`, a slow reader) gets every line. process.stdout is
 * asynchronous on pipes: what process.exit() finds still buffered is lost, so output waits for "drain".
 */
async function print(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, "drain");
}

/** Resolves once everything written to stdout has been handed to the operating system. */
const flushed = () => new Promise<void>((resolve) => process.stdout.write("", () => resolve()));

// The reader went away (`ask --batch | head -n 3`): what it wanted was printed; stop quietly, as Unix tools do.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  console.error(`ask failed: cannot write the output (${err.code ?? err.message})`);
  process.exit(1);
});

const batchLine = z.object({ id: z.union([z.string(), z.number()]), question: z.string() });

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const batchAt = argv.indexOf("--batch");
  const batchFile = batchAt >= 0 ? argv[batchAt + 1] : undefined;
  const conversationAt = argv.indexOf("--conversation");
  const conversationId = conversationAt >= 0 ? argv[conversationAt + 1] : undefined;
  const valueAt = new Set([batchAt, conversationAt].filter((i) => i >= 0).map((i) => i + 1));
  const question = argv.filter((a, i) => !a.startsWith("--") && !valueAt.has(i)).join(" ");
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, secretsOf(config));
  if (conversationAt >= 0 && !/^[A-Za-z0-9_-]{1,64}$/.test(conversationId ?? "")) {
    console.error("Usage: npm run ask -- --conversation ID \"câu hỏi\"   (ID: letters, digits, '-' or '_')");
    return 2;
  }
  if (batchAt >= 0 && !batchFile) {
    console.error("Usage: npm run --silent ask -- --json --batch FILE");
    return 2;
  }
  if (!batchFile && !question.trim()) {
    console.error('Usage: npm run ask -- "câu hỏi"   (add --json for JSON output)');
    return 2;
  }
  const assistant = await openAssistant(config, log);
  if (batchFile) {
    const lines = fs
      .readFileSync(batchFile, "utf8")
      .split("\n")
      .filter((l) => l.trim());
    for (const [n, line] of lines.entries()) {
      let item: z.infer<typeof batchLine>;
      try {
        item = batchLine.parse(JSON.parse(line));
      } catch {
        console.error(`Line ${n + 1} of ${batchFile} is not a {"id","question"} JSON object; skipped`);
        continue;
      }
      const answer = await assistant.ask(item.question);
      await print(JSON.stringify({ id: item.id, ...answer }) + "\n");
    }
    return 0;
  }
  const answer = conversationId ? await askInConversation(config, log, assistant, conversationId, question) : await assistant.ask(question);
  await print(json ? JSON.stringify(answer) + "\n" : answer.answer + "\n");
  return 0;
}

/** The same follow-up memory as the chat channels (DATA_DIR/conversations.sqlite), under "cli:ID". */
async function askInConversation(config: Config, log: Logger, assistant: Assistant, id: string, question: string) {
  const rewriter = config.ANSWER_MODE === "llm" ? createQuestionRewriter(config, log) : undefined;
  const conversations = openConversations(config, { agencies: agencySpans(config.corpusDir, log), rewriter, log });
  try {
    const answer = await conversations.answer(`cli:${id}`, question, assistant);
    return { ...answer, conversationId: id };
  } finally {
    conversations.close();
  }
}

main(process.argv.slice(2)).then(
  async (code) => {
    await flushed();
    process.exit(code);
  },
  (err: Error) => {
    console.error(`ask failed: ${redact(err.message)}`);
    process.exit(1);
  },
);
