// `npm run ask -- "câu hỏi"` · `--json` · `--json --batch FILE` (JSONL {"id","question"} → one answer per line).
import fs from "node:fs";
import { z } from "zod";
import { openAssistant } from "../app.js";
import { loadConfig, secretsOf } from "../config.js";
import { createLogger, redact } from "../log.js";

const batchLine = z.object({ id: z.union([z.string(), z.number()]), question: z.string() });

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const batchAt = argv.indexOf("--batch");
  const batchFile = batchAt >= 0 ? argv[batchAt + 1] : undefined;
  const question = argv.filter((a, i) => !a.startsWith("--") && !(batchAt >= 0 && i === batchAt + 1)).join(" ");
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, secretsOf(config));
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
    const lines = fs.readFileSync(batchFile, "utf8").split("\n").filter((l) => l.trim());
    for (const [n, line] of lines.entries()) {
      let item: z.infer<typeof batchLine>;
      try {
        item = batchLine.parse(JSON.parse(line));
      } catch {
        console.error(`Line ${n + 1} of ${batchFile} is not a {"id","question"} JSON object; skipped`);
        continue;
      }
      const answer = await assistant.ask(item.question);
      process.stdout.write(JSON.stringify({ id: item.id, ...answer }) + "\n");
    }
    return 0;
  }
  const answer = await assistant.ask(question);
  if (json) process.stdout.write(JSON.stringify(answer) + "\n");
  else process.stdout.write(answer.answer + "\n");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`ask failed: ${redact(err.message)}`);
    process.exit(1);
  },
);
