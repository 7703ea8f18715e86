// The conversation figures count turns the documents do not answer apart: declined, or led by "Văn bản không nêu …"
// (the near-topic criterion of the file sets), and an answerable turn whose lead still says the value is not stated.
import { describe, expect, it } from "vitest";
import { conversationMetrics, type TurnResult } from "../../src/eval/conversations.js";
import type { ItemResult } from "../../src/eval/metrics.js";

const item = (over: Partial<ItemResult>): ItemResult => ({
  id: "x",
  question: "?",
  abstained: false,
  shouldAbstain: false,
  hitRank: 1,
  missingIncludes: [],
  forbidden: [],
  unfaithful: [],
  cited: [],
  leadHolds: true,
  length: 100,
  ...over,
});
const turn = (turnIndex: number, over: Partial<ItemResult>, pass: boolean): TurnResult => ({
  conversation: "c1",
  turn: turnIndex,
  kind: turnIndex ? "oos" : "first",
  question: "?",
  pass,
  item: item(over),
});

describe("conversation metrics", () => {
  it("count declined, 'not stated' and wrongly 'not stated' turns apart", () => {
    const m = conversationMetrics([
      turn(0, { unstated: true }, true),
      turn(1, { shouldAbstain: true, abstained: true }, true),
      turn(2, { shouldAbstain: true, unstated: true }, false),
      turn(3, { shouldAbstain: true }, false),
    ]);
    expect(m.abstain_turns).toBe(3);
    expect(m.abstain_declined).toBe(0.333);
    expect(m.abstain_declined_or_unstated).toBe(0.667);
    expect(m.answerable_unstated).toBe(1);
    expect(m.followup_pass).toBe(0.333);
  });
});
