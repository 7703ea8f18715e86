// What users could not get answered, and usage: the console's pages and /admin/unanswered, /admin/stats.
import type { FeedbackStore } from "../chat/feedback.js";
import type { AgencyRegistry } from "../duties/index.js";
import type { QuestionLog } from "./questions.js";

export interface ReportDeps {
  questions: QuestionLog;
  feedback?: FeedbackStore;
  agencies: () => AgencyRegistry;
  config: { TZ_OFFSET_MINUTES: number };
}

/** Answers voted 👎 (the latest vote of each voter counts). */
async function downvotedAnswers(feedback: FeedbackStore | undefined): Promise<number[]> {
  return ((await feedback?.votes(10_000)) ?? []).filter((v) => v.value === -1).map((v) => v.answerId);
}

const STATS_DAYS = 30;

/** 👍/👎 per channel over the stats period (Telegram and Zalo buttons, the web page's buttons). */
async function votesByChannel(feedback: FeedbackStore): Promise<{ channel: string; up: number; down: number }[]> {
  const since = new Date(Date.now() - STATS_DAYS * 86_400_000).toISOString();
  const counts = new Map<string, { channel: string; up: number; down: number }>();
  for (const v of await feedback.votes(10_000)) {
    if (v.votedAt < since) continue;
    const c = counts.get(v.channel) ?? { channel: v.channel, up: 0, down: 0 };
    if (v.value === 1) c.up++;
    else c.down++;
    counts.set(v.channel, c);
  }
  return [...counts.values()].sort((a, b) => a.channel.localeCompare(b.channel));
}

export function reportsOf(deps: ReportDeps) {
  return {
    unanswered: async (includeHandled = false) =>
      deps.questions.unanswered({ downvoted: await downvotedAnswers(deps.feedback), includeHandled }),
    stats: async () => {
      const registry = deps.agencies();
      const usage = await deps.questions.stats({
        days: STATS_DAYS,
        tzOffsetMinutes: deps.config.TZ_OFFSET_MINUTES,
        agenciesOf: (q) => registry.find(q).map((m) => registry.shortName(m.agency.id)),
      });
      return deps.feedback ? { ...usage, votes: await votesByChannel(deps.feedback) } : usage;
    },
  };
}
