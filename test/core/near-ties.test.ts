// Sections the ranking cannot tell apart are both in the reply (src/answer/compose.ts `nearTie`): a short sibling
// clause that wins on match strength and a longer one that holds more of the question; and amounts stated per kind
// in one long sentence are quoted and led with the kind asked. Our own fictional decree.
import { beforeAll, describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/answer/index.js";
import type { LoadedIndex } from "../../src/index/store.js";
import { fixtureIndex } from "./helpers.js";

let index: LoadedIndex;

beforeAll(async () => {
  index = await fixtureIndex("fisheries");
}, 60_000);

describe("near ties in the reply", () => {
  it("shows a sibling clause that holds more of the question beside the one that matched it best", async () => {
    // Point a (the ministry, offshore) is short and matches strongly; point b (the province) holds "tỉnh" too.
    const a = await answerQuestion(index, "Tàu cá của tỉnh thì ai cấp giấy phép khai thác thủy sản cho tàu cá?");
    expect(a.abstained).toBe(false);
    const shown = a.citations.map((c) => c.section);
    expect(shown).toContain("D3.1.a");
    expect(shown).toContain("D3.1.b");
    expect(a.answer).toContain("Chủ tịch Ủy ban nhân dân cấp tỉnh");
    // A clause that holds less of the question and scores lower stays behind "Xem thêm" or out.
    expect(shown).not.toContain("D4");
  });

  it("quotes the clause of a long enumeration that states the kind asked, and leads with its amount", async () => {
    const vua = await answerQuestion(index, "Chủ tàu cá vừa mua ngư cụ thân thiện với môi trường được hỗ trợ tối đa bao nhiêu?");
    expect(vua.answer).toContain("không quá 30 triệu đồng/năm đối với tàu cá vừa");
    expect(vua.lead).toMatch(/^Tối đa 50%; không quá 30 triệu đồng\/năm đối với tàu cá vừa\./);
    // No kind asked: each amount is said with its kind, not as everyone's cap.
    const any = await answerQuestion(index, "Mua ngư cụ thân thiện với môi trường được hỗ trợ tối đa bao nhiêu?");
    expect(any.lead).toMatch(/^Tối đa 50%; không quá 15 triệu đồng\/năm đối với tàu cá nhỏ/);
  });

  it("quotes a runner-up that holds as much of a question told at length as the best section does", async () => {
    // The situation's words are in no clause: both clauses that answer hold a third of the question, below the
    // coverage a runner-up needs when the best section holds enough.
    const a = await answerQuestion(
      index,
      "Nhà tôi có chiếc tàu đánh bắt ven bờ, mấy năm nay lỗ nhiều, vợ con vất vả. Tàu cá nào phải lắp thiết bị giám sát hành trình?",
    );
    expect(a.abstained).toBe(false);
    expect(a.citations.map((c) => c.section).sort()).toEqual(["D8.2", "D8.3"]);
  });

  it("quotes each clause a question offers as alternatives, though the reply runs long", async () => {
    const shown = async (q: string) => (await answerQuestion(index, q)).citations.map((c) => c.section);
    const more = async (q: string) => (await answerQuestion(index, q)).more?.citations.map((c) => c.section) ?? [];
    const offered = "Tàu cá nhỏ, tàu cá vừa hay tàu cá lớn thì chiều dài lớn nhất bao nhiêu mét?";
    expect(await shown(offered)).toEqual(expect.arrayContaining(["D8.1", "D8.2", "D8.3"]));
    // The same three named as a list, not offered as a choice: the third is one tap away, behind "Xem thêm".
    const listed = "Tàu cá nhỏ, tàu cá vừa, tàu cá lớn thì chiều dài lớn nhất bao nhiêu mét?";
    expect(await shown(listed)).not.toContain("D8.3");
    expect(await more(listed)).toContain("D8.3");
    // Told at length, each alternative's clause holds as little of the question as the best one.
    const told = await shown(
      "Nhà tôi có chiếc tàu đánh bắt ven bờ, mấy năm nay lỗ nhiều, vợ con vất vả. Cho hỏi tàu cá nhỏ hay tàu cá vừa thì chiều dài lớn nhất là bao nhiêu mét?",
    );
    expect(told).toEqual(expect.arrayContaining(["D8.1", "D8.2"]));
  });
});
