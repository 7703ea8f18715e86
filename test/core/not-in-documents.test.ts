// Questions plans and rules cannot answer by their nature are declined, naming where to read: the assistant's own
// opinion or forecast ("Theo bạn … có khả thi không?") and a figure of what was actually done ("năm nay đã chi bao
// nhiêu?") unless the corpus holds a report. A fact asked "theo bạn", and the rule in force asked "hiện nay", are
// answered. Our own fixture plan (Lâm Đồng, test/corpus/fixtures.ts) and report.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { corpusAdmin, openAssistant } from "../../src/app.js";
import { asksActualFigure, asksOpinion } from "../../src/retrieve/query.js";
import { testConfig, tinyCorpus } from "./helpers.js";

describe("what the documents cannot say", () => {
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

  it("tells an actual figure asked from a target or the rule in force", () => {
    for (const q of [
      "nam nay huyen dc phan bo bao nhieu tien cho khcn vay",
      "Năm 2025 tỉnh đã chi bao nhiêu tỷ cho sàn giao dịch công nghệ?",
      "tinh minh hien co bao nhieu dn khoi nghiep",
      "Thực tế tỉnh đã bố trí bao nhiêu tỷ đồng?",
      "How much has the province spent on it so far?",
    ])
      expect(asksActualFigure(q), q).toBe(true);
    for (const q of [
      "hiện nay mức hỗ trợ tư vấn là bao nhiêu?",
      "Đến năm 2030 tỉnh phải có bao nhiêu doanh nghiệp khoa học và công nghệ?",
      "Doanh nghiệp được hỗ trợ tối đa bao nhiêu?",
      "How much support can a startup get?",
    ])
      expect(asksActualFigure(q), q).toBe(false);
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

  it("declines an actual figure, unless the corpus holds a report that may state it", async () => {
    const question = "Năm nay tỉnh đã chi bao nhiêu tỷ đồng cho sàn giao dịch công nghệ?";
    const declined = await (await openAssistant(config)).ask(question);
    expect(declined.abstained).toBe(true);
    expect(declined.answer).toMatch(/^Xin lỗi, các văn bản trợ lý đang có nêu mục tiêu, nhiệm vụ và quy định, không nêu số liệu thực tế/);
    const report =
      "---\ntitle: Báo cáo kết quả thực hiện kế hoạch khoa học và công nghệ năm 2026\nnumber: 88/BC-UBND\nissuer: UBND tỉnh Lâm Đồng\n---\n\nI. KẾT QUẢ\n\n1. Năm 2026 tỉnh đã chi 12 tỷ đồng cho sàn giao dịch công nghệ.\n";
    await corpusAdmin(config).add({ bytes: Buffer.from(report), fileName: "bc-88-lam-dong.md" });
    const reported = await (await openAssistant(config)).ask(question);
    expect(reported.answer).not.toMatch(/không nêu số liệu thực tế/);
    expect(reported.answer).toContain("12 tỷ đồng");
  });
});
