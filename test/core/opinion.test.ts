// A question that asks the assistant's own opinion or forecast ("Theo bạn … có khả thi không?") is declined: the
// documents state targets and duties, not whether they will be met. A fact asked "theo bạn" is still answered.
// Our own fixture plan (Lâm Đồng, test/corpus/fixtures.ts).
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openAssistant } from "../../src/app.js";
import { asksOpinion } from "../../src/retrieve/query.js";
import { testConfig, tinyCorpus } from "./helpers.js";

describe("opinion asked", () => {
  it("is told apart from a fact asked politely, a ruling named 'bản án' and the asker's own view", () => {
    for (const q of [
      "Theo bạn sàn giao dịch công nghệ có hoàn thành kịp quý II không, có khả thi không?",
      "theo ad thi ke hoach nay co kha thi ko",
      "ad thấy kế hoạch này thế nào?",
      "Bạn đánh giá nhiệm vụ này ra sao?",
      "Do you think the target is realistic?",
      "In your opinion, will the province reach it?",
    ])
      expect(asksOpinion(q), q).toBe(true);
    for (const q of [
      "theo bạn thì hạn nộp báo cáo là ngày nào?",
      "Theo bản án có hiệu lực pháp luật thì việc ly hôn có hiệu quả từ ngày nào, đúng hay sai?",
      "em nghĩ DN được hỗ trợ 5 triệu đúng không?",
      "Ai chủ trì xây dựng sàn giao dịch công nghệ?",
      "What must the Department of Finance do?",
    ])
      expect(asksOpinion(q), q).toBe(false);
  });

  const config = testConfig({ corpusDir: tinyCorpus() });
  afterAll(() => {
    for (const dir of [path.dirname(config.corpusDir), config.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is declined with what the assistant does instead; the same topic asked as a fact is answered", async () => {
    const assistant = await openAssistant(config);
    const opinion = await assistant.ask("Theo bạn sàn giao dịch công nghệ của tỉnh có khả thi không?");
    expect(opinion.abstained).toBe(true);
    expect(opinion.answer).toMatch(/^Trợ lý chỉ trích dẫn những gì văn bản quy định, không đưa ra ý kiến/);
    expect(opinion.citations).toEqual([]);
    const fact = await assistant.ask("Theo bạn thì ai chủ trì xây dựng sàn giao dịch công nghệ?");
    expect(fact.abstained).toBe(false);
    expect(fact.answer).toContain("Sở Khoa học và Công nghệ");
  });
});
