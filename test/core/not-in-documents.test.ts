// Questions plans and rules cannot answer by their nature are declined, naming where to read: the assistant's own
// opinion or forecast ("Theo bạn … có khả thi không?") and a figure of what was actually done ("năm nay đã chi bao
// nhiêu?") unless the corpus holds a report. A fact asked "theo bạn", and the rule in force asked "hiện nay", are
// answered. Our own fixture plan (Lâm Đồng, test/corpus/fixtures.ts) and report.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { corpusAdmin, openAssistant } from "../../src/app.js";
import { asksActualFigure, asksFile, asksOpinion } from "../../src/retrieve/query.js";
import { TINY_DOC, testConfig, tinyCorpus } from "./helpers.js";

describe("what the documents cannot say", () => {
  it("is told apart from a fact asked politely, a ruling named 'bản án' and the asker's own view", () => {
    for (const q of [
      "Theo bạn sàn giao dịch công nghệ có hoàn thành kịp quý II không, có khả thi không?",
      "theo ad thi ke hoach nay co kha thi ko",
      "ad thấy kế hoạch này thế nào?",
      "ban thay mo quy dau tu o tinh co de goi von ko",
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
      "ad thấy trong nghị định có quy định mức hỗ trợ không?",
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
      "đến nay huyện đã cấp bao nhiêu giấy chứng nhận cho doanh nghiệp?",
      "so khcn da ho tro bao nhieu du an roi ad",
      "nam 2023 huyen cap dc bao nhieu giay phep roi",
      "huyện mình đã có hợp tác xã nào được hưởng hỗ trợ này chưa?",
      "lễ hội cà phê năm nay tổ chức ngày nào vậy",
      "sở đang mở tuyển chọn nhiệm vụ gì",
      "năm 2023 huyện ươm tạo được bao nhiêu hợp tác xã",
    ])
      expect(asksActualFigure(q, new Date("2026-06-01")), q).toBe(true);
    for (const q of [
      "hiện nay mức hỗ trợ tư vấn là bao nhiêu?",
      "Đến năm 2030 tỉnh phải có bao nhiêu doanh nghiệp khoa học và công nghệ?",
      "Doanh nghiệp được hỗ trợ tối đa bao nhiêu?",
      "How much support can a startup get?",
      "doanh nghiệp đã hoạt động bao nhiêu năm thì được hỗ trợ?",
      "năm nay hạn nộp báo cáo là ngày nào, đã có mẫu chưa?",
      "doanh nghiệp đã hoạt động bao nhiêu năm rồi thì không còn được hỗ trợ?",
      "năm 2030 phải đạt bao nhiêu doanh nghiệp, còn năm 2025 thì sao?",
      "có văn bản nào quy định mức hỗ trợ này chưa?",
      "doanh nghiệp nào được hỗ trợ, đã có hướng dẫn chưa?",
      "hội nghị sơ kết tổ chức vào năm nào?",
      // A target's year ("đến năm …") or one still ahead.
      "đến năm 2025 tỉnh thu hút được bao nhiêu doanh nghiệp?",
      "năm 2035 tỉnh phấn đấu có được bao nhiêu doanh nghiệp khoa học và công nghệ?",
    ])
      expect(asksActualFigure(q, new Date("2026-06-01")), q).toBe(false);
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

  it("declines a request for a file or a download link; telling of a file sent asks for none", async () => {
    const assistant = await openAssistant(config);
    const file = await assistant.ask("ad gửi em file word kế hoạch sàn giao dịch công nghệ được không ạ");
    expect(file.abstained).toBe(true);
    expect(file.answer).toMatch(/^Xin lỗi, trợ lý chỉ trả lời bằng trích dẫn từ các văn bản đang có, không gửi được tệp/);
    expect(file.citations).toEqual([]);
    for (const q of ["cho xin link tải kế hoạch với", "please send me the PDF of the plan", "ad có thể gửi em đường dẫn kế hoạch không"])
      expect(asksFile(q), q).toBe(true);
    for (const q of [
      "Tôi gửi file hồ sơ cho Sở rồi, bao lâu thì có kết quả?",
      "Mình gửi anh ấy file thiết kế nhưng anh ấy dùng mà không trả tiền thì sao?",
      "Ai chủ trì xây dựng sàn giao dịch công nghệ?",
    ])
      expect(asksFile(q), q).toBe(false);
  });

  it("declines contact details no quote holds, keeping the quotes as where to read", async () => {
    const assistant = await openAssistant(config);
    const phone = await assistant.ask("cho mình xin số điện thoại của Sở Khoa học và Công nghệ chủ trì xây dựng sàn giao dịch công nghệ");
    expect(phone.abstained).toBe(true);
    expect(phone.answer).toMatch(/^Văn bản không nêu thông tin liên hệ này; /);
    // No passage at all: the refusal says what is missing, not that the documents do not mention the topic.
    const mail = await assistant.ask("cho mình xin email của Sở Y tế");
    expect(mail.abstained).toBe(true);
    expect(mail.answer).toMatch(/^Xin lỗi, các văn bản trợ lý đang có không nêu thông tin liên hệ \(số điện thoại, thư điện tử, địa chỉ\)/);
  });

  it("declines an actual figure, unless the corpus holds a report that may state it", async () => {
    const question = "Năm nay tỉnh đã chi bao nhiêu tỷ đồng cho sàn giao dịch công nghệ?";
    const declined = await (await openAssistant(config)).ask(question);
    expect(declined.abstained).toBe(true);
    expect(declined.answer).toMatch(
      /^Xin lỗi, các văn bản trợ lý đang có nêu mục tiêu, nhiệm vụ và quy định, không nêu số liệu hay tình hình thực tế/,
    );
    const report =
      "---\ntitle: Báo cáo kết quả thực hiện kế hoạch khoa học và công nghệ năm 2026\nnumber: 88/BC-UBND\nissuer: UBND tỉnh Lâm Đồng\n---\n\nI. KẾT QUẢ\n\n1. Năm 2026 tỉnh đã chi 12 tỷ đồng cho sàn giao dịch công nghệ.\n";
    await corpusAdmin(config).add({ bytes: Buffer.from(report), fileName: "bc-88-lam-dong.md" });
    const reported = await (await openAssistant(config)).ask(question);
    expect(reported.answer).not.toMatch(/không nêu số liệu hay tình hình thực tế/);
    expect(reported.answer).toContain("12 tỷ đồng");
  });

  it("declines a value asked of a document the corpus lacks when no quote states it, showing where it is mentioned", async () => {
    const corpusDir = tinyCorpus();
    const plan = path.join(corpusDir, "documents", `${TINY_DOC}.md`);
    const text = fs
      .readFileSync(plan, "utf8")
      .replace(
        "III. TỔ CHỨC THỰC HIỆN",
        "3. Sở Tài chính bố trí kinh phí hỗ trợ sàn giao dịch công nghệ theo Nghị quyết số 07/2025/NQ-HĐND của HĐND tỉnh.\n\nIII. TỔ CHỨC THỰC HIỆN",
      );
    fs.writeFileSync(plan, text);
    const manifestFile = path.join(corpusDir, "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    manifest.notInCorpus = [
      { name: "Nghị quyết số 07/2025/NQ-HĐND của HĐND tỉnh Lâm Đồng", aliases: ["07/2025/NQ-HĐND", "Nghị quyết 07"] },
    ];
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const lacking = testConfig({ corpusDir });
    try {
      const assistant = await openAssistant(lacking);
      const amount = await assistant.ask("Nghị quyết 07 hỗ trợ sàn giao dịch công nghệ bao nhiêu tiền?");
      expect(amount.abstained).toBe(true);
      expect(amount.answer).toMatch(/^Văn bản không nêu mức cụ thể/);
      expect(amount.answer).toContain("chưa có trong kho văn bản");
      expect(amount.citations[0]).toMatchObject({ doc: TINY_DOC, section: "II.3" });
      // Where it is mentioned, asked without a value, is answered.
      const who = await assistant.ask("Sở nào bố trí kinh phí theo Nghị quyết 07?");
      expect(who.abstained).toBe(false);
    } finally {
      for (const dir of [path.dirname(corpusDir), lacking.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
