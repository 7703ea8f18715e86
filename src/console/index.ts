// The staff web console as a feature of corpus administration: mounts /quan-tri and gives /admin its reports.
import type { AdminFeature } from "../admin/index.js";
import { agenciesFor } from "../duties/load.js";
import { PUBLIC_DIR } from "../http/app.js";
import { reportsOf } from "./reports.js";
import { createConsoleRouter } from "./router.js";

export { openQuestionLog, questionLogFile, type QuestionLog, type UnansweredGroup, type UsageStats } from "./questions.js";

export function consoleFeature(opts: { publicDir?: string } = {}): AdminFeature {
  return ({ app, chat, config, log, admin, audit, questions }) => {
    // The agency table is read per request: staff may edit corpus/agencies.json while the server runs.
    const agencies = () => agenciesFor(config.corpusDir);
    const deps = { admin, audit, questions, feedback: chat.feedback, agencies, config, log, publicDir: opts.publicDir ?? PUBLIC_DIR };
    app.use("/quan-tri", createConsoleRouter(deps));
    return { reports: reportsOf(deps) };
  };
}
