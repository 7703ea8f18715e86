// A question that asks a whole article ("Luật … quy định trách nhiệm của Bộ X thế nào?", the article titled
// "Trách nhiệm của Bộ X") is answered by its clauses from the first, in the article's order, not by the clause
// that happens to repeat the most title words; and a law named with an abbreviation the glossary spells out is
// a law the corpus holds, not one it "does not have"; a list question whose best sentence only points at the list
// ("nộp hồ sơ quy định tại điểm b khoản này") is answered by the list, and so is one whose best clause introduces
// its own items after another sentence ("Thành phần hồ sơ:" a), b), c)); who issues a licence is the authority a
// passive sentence names ("do Bộ trưởng … cấp"), not the office the article's title names; a share asked ("mấy phần trăm?") of a lead
// that states none is said not to be stated, whatever a runner-up states of its own subject, and a table row's value
// stands in its cells. Our own fixture law.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { corpusAdmin, openAssistant } from "../../src/app.js";
import { testConfig, tinyCorpus } from "./helpers.js";

const LAW = `---
title: Luật Hỗ trợ doanh nghiệp nhỏ và vừa thử nghiệm
number: 98/2031/QH99
issuer: Quốc hội
---

Điều 1. Phạm vi điều chỉnh
Luật này quy định về hỗ trợ doanh nghiệp nhỏ và vừa thử nghiệm tại các vùng ven biển.

Điều 2. Trách nhiệm của Bộ Hải đảo
1. Hướng dẫn thủ tục đăng ký tàu cá cho hộ ngư dân.

2. Chủ trì, phối hợp với các Bộ bố trí nguồn vốn để hỗ trợ doanh nghiệp nhỏ và vừa thử nghiệm theo quy định của Luật này; Bộ Hải đảo chịu trách nhiệm về hiệu quả sử dụng vốn.

3. Công bố danh sách cảng cá được hỗ trợ hằng năm.

Điều 3. Trách nhiệm của Bộ Nghề cá
Bộ Nghề cá kiểm tra chất lượng tàu cá đóng mới.

Điều 4. Đăng ký cảng cá thử nghiệm
1. Cảng cá phải có cầu cảng dài tối thiểu 50 mét.

2. Hồ sơ đăng ký bao gồm: Đơn đăng ký cảng cá; bản vẽ mặt bằng cầu cảng; giấy xác nhận của chính quyền xã.

3. Chủ cảng cá nộp hồ sơ quy định tại khoản 2 Điều này qua đường bưu điện tới Bộ Hải đảo để được đăng ký trong thời hạn 15 ngày.

Điều 5. Quỹ phát triển cảng biển
Quỹ phát triển cảng biển cho chủ cảng biển vay vốn theo quy định của pháp luật về tín dụng.

Điều 6. Vốn của Quỹ phát triển cảng biển
Quỹ phát triển cảng biển được trích 3% lợi nhuận của các cảng biển hằng năm để bổ sung vốn điều lệ.

Điều 7. Đăng ký tàu cá thử nghiệm
1. Chủ tàu có giấy phép khai thác được đăng ký tàu cá thử nghiệm.

Hồ sơ đăng ký tàu cá thử nghiệm bao gồm 01 bộ hồ sơ giấy và 01 bản điện tử gửi về Bộ Nghề cá.

Thành phần hồ sơ:

a) Giấy phép khai thác thủy sản;

b) Sổ đăng kiểm tàu cá;

c) Ảnh chụp tàu cá.

Điều 8. Văn phòng đại diện của quỹ nước ngoài
1. Văn phòng đại diện của quỹ nước ngoài hoạt động theo giấy phép.

2. Giấy phép thành lập văn phòng đại diện của quỹ nước ngoài do Bộ trưởng Bộ Hải đảo cấp và có thời hạn không quá 05 năm.

PHỤ LỤC I

| TT | Chỉ tiêu | Đơn vị | Kết quả |
| --- | --- | --- | --- |
| 1 | Số cảng cá đạt chuẩn xanh | Cảng | ≥ 40 |
| 2 | Tỉ lệ tàu cá lắp thiết bị giám sát hành trình | % | 100 |
`;

describe("a question that asks a whole article", () => {
  const config = testConfig({ corpusDir: tinyCorpus() });
  afterAll(() => {
    for (const dir of [path.dirname(config.corpusDir), config.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is answered from the article's first clause on; the law named by its abbreviation is known", async () => {
    const added = await corpusAdmin(config).add({ bytes: Buffer.from(LAW), fileName: "luat-thu-dnnvv.md" });
    const id = added.document!.id;
    const assistant = await openAssistant(config);
    const a = await assistant.ask("Luật Hỗ trợ DNNVV thử nghiệm quy định trách nhiệm của Bộ Hải đảo thế nào?");
    expect(a.abstained).toBe(false);
    // In the reply, then behind "Xem thêm" when the reply is full: the clauses in the article's order.
    const cited = [...a.citations, ...(a.more?.citations ?? [])].map((c) => `${c.doc}#${c.section}`);
    expect(cited.slice(0, 3)).toEqual([`${id}#D2.1`, `${id}#D2.2`, `${id}#D2.3`]);
    expect(a.answer).not.toContain("chưa có trong kho");
    // A question about one clause is still answered by that clause first.
    const one = await assistant.ask("Bộ Hải đảo công bố danh sách gì hằng năm?");
    expect(one.citations[0]).toMatchObject({ doc: id, section: "D2.3" });
    // "… gồm những gì?" best matched by the sentence that points at the list: the list leads.
    const list = await assistant.ask("Hồ sơ mà chủ cảng cá phải nộp qua bưu điện gồm những gì?");
    expect(list.citations[0]).toMatchObject({ doc: id, section: "D4.2" });
    expect(list.lead).toContain("bản vẽ mặt bằng cầu cảng");
    // "… gồm những gì?" best matched by a sentence of the clause that introduces its own list ("Thành phần hồ sơ:"
    // a), b), c)): the list leads with its items.
    const own = await assistant.ask("Hồ sơ đăng ký tàu cá thử nghiệm gồm những gì?");
    expect(own.citations[0]).toMatchObject({ doc: id, section: "D7.1" });
    expect(own.lead).toContain("«Thành phần hồ sơ:»");
    expect(own.lead).toContain("Sổ đăng kiểm tàu cá");
    // Who issues it, said in a passive sentence: the authority leads, not the office the article is titled after.
    const issuer = await assistant.ask("Giấy phép thành lập văn phòng đại diện của quỹ nước ngoài do ai cấp?");
    expect(issuer.citations[0]).toMatchObject({ doc: id, section: "D8.2" });
    expect(issuer.lead).toMatch(/^Thẩm quyền: Bộ trưởng Bộ Hải đảo\./);
    // A share asked of a lead that states none: said so first, whatever figure a runner-up states of its own subject.
    const rate = await assistant.ask("Quỹ phát triển cảng biển cho chủ cảng biển vay với lãi suất mấy phần trăm?");
    expect(rate.citations[0]).toMatchObject({ doc: id, section: "D5" });
    expect(rate.lead).toMatch(/^Văn bản không nêu mức cụ thể/);
    // A table row states its value in its cells, not in its quoted name: nothing to say is not stated.
    const row = await assistant.ask("Số cảng cá đạt chuẩn xanh là bao nhiêu?");
    expect(row.citations[0]).toMatchObject({ doc: id, section: "PL1.1" });
    expect(row.lead).toContain("Kết quả: ≥ 40");
    expect(row.lead).not.toMatch(/^Văn bản không nêu/);
  });
});
