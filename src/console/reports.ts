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
function downvotedAnswers(feedback: FeedbackStore | undefined): number[] {
  return (feedback?.votes(10_000) ?? []).filter((v) => v.value === -1).map((v) => v.answerId);
}

export function reportsOf(deps: ReportDeps) {
  return {
    unanswered: (includeHandled = false) => deps.questions.unanswered({ downvoted: downvotedAnswers(deps.feedback), includeHandled }),
    stats: () => {
      const registry = deps.agencies();
      return deps.questions.stats({
        days: 30,
        tzOffsetMinutes: deps.config.TZ_OFFSET_MINUTES,
        agenciesOf: (q) => registry.find(q).map((m) => registry.shortName(m.agency.id)),
      });
    },
  };
}
