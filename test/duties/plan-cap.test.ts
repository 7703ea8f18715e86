// A duty question answered from many plans names at most `maxPlans` of them, then says how many others answer
// and how to ask about one (at 1000 plans an uncapped reply was 95 KB).
import { describe, expect, it } from "vitest";
import { answerDuties, MAX_PLANS_IN_REPLY } from "../../src/duties/answer.js";
import { plan } from "./helpers.js";

/** The fixture plan's duties copied into `n` plans of their own ("Kế hoạch thử 1" …), all primary. */
function manyPlans(n: number) {
  const base = plan();
  const source = base.docs.find((d) => base.duties.some((x) => x.doc === d.id))!;
  const ids = Array.from({ length: n }, (_, i) => `kh-thu-${i + 1}`);
  const docs = ids.map((id, i) => ({
    ...source,
    id,
    role: "primary" as const,
    shortTitle: `Kế hoạch thử ${i + 1}`,
    title: `Kế hoạch thử ${i + 1}`,
  }));
  const duties = ids.flatMap((id) => base.duties.filter((d) => d.doc === source.id).map((d) => ({ ...d, doc: id })));
  return { docs, duties, agencies: base.agencies };
}

describe("a reply names a handful of plans", () => {
  it("answers from the first plans only, then counts the others and says to name one", () => {
    const { docs, duties, agencies } = manyPlans(8);
    const a = answerDuties("Sở Tài chính phải làm gì?", duties, docs, { agencies })!;
    expect(a.abstained).toBe(false);
    const named = [...new Set(a.citations.map((c) => c.doc))];
    expect(named).toEqual(["kh-thu-1", "kh-thu-2", "kh-thu-3"].slice(0, MAX_PLANS_IN_REPLY));
    expect(a.answer).not.toContain("Kế hoạch thử 4");
    expect(a.answer).toContain(`Còn ${8 - MAX_PLANS_IN_REPLY} kế hoạch khác cũng có nội dung này: hãy hỏi kèm tên hoặc số hiệu kế hoạch`);
  });

  it("the cap is an option (maxPlans); with room for every plan there is no note", () => {
    const { docs, duties, agencies } = manyPlans(5);
    const one = answerDuties("Sở Tài chính phải làm gì?", duties, docs, { agencies, maxPlans: 1 })!;
    expect(new Set(one.citations.map((c) => c.doc))).toEqual(new Set(["kh-thu-1"]));
    expect(one.answer).toContain("Còn 4 kế hoạch khác");
    const all = answerDuties("Sở Tài chính phải làm gì?", duties, docs, { agencies, maxPlans: 10 })!;
    expect(new Set(all.citations.map((c) => c.doc)).size).toBe(5);
    expect(all.answer).not.toContain("kế hoạch khác cũng có");
  });
});
