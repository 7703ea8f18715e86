// Words no document uses (src/retrieve/query.ts `unseen`): a word typed with a wrong tone mark next to a topic word
// it stands beside in the documents is known ("giấy phép khai thac"); beside a function word it is not ("năm ngoái
// có" folds like "nước ngoài có"). Our own fictional decree (test/core/fixtures/fisheries).
import { beforeAll, describe, expect, it } from "vitest";
import type { LoadedIndex } from "../../src/index/store.js";
import { analyzeQuery } from "../../src/retrieve/query.js";
import { fixtureIndex } from "./helpers.js";

let index: LoadedIndex;

beforeAll(async () => {
  index = await fixtureIndex("fisheries");
}, 60_000);

describe("words no document uses", () => {
  it("knows a word with a wrong tone mark by the topic word beside it, not by a function word", () => {
    // "thác" is typed "thạc": "khai thác" stands in the decree.
    expect(analyzeQuery(index, "Ai cấp giấy phép khai thạc thủy sản?").unseen).toEqual([]);
    // "ngoái" (last year) is no word of the decree, whatever "ngoài có" folds to.
    expect(analyzeQuery(index, "Năm ngoái có bao nhiêu tàu cá được cấp giấy phép?").unseen).toEqual(["ngoái"]);
  });
});
