// The lead says first when the quotes do not hold the value asked (src/answer/unstated.ts), and the decision
// model reads the features it is given (src/answer/decision.ts). Our own sentences, no corpus.
import { describe, expect, it } from "vitest";
import { answeredOnCoverage, answerProbability, DECISION_FEATURES, UNSEEN_SHARE } from "../../src/answer/decision.js";
import type { Retrieval } from "../../src/retrieve/hybrid.js";
import { UNSTATED_PREFIX, unstatedNote, withUnstatedNote } from "../../src/answer/unstated.js";

const ask = (folded: string, asksAmount = false, asksDuration = false) => ({ folded, asksAmount, asksDuration });

describe("unstated values", () => {
  it("an amount asked of quotes without a figure gets the note first; a figure, even in words, does not", () => {
    const q = ask("duoc giam tien thue dat bao nhieu phan tram", true);
    expect(unstatedNote(q, ["Miễn, giảm tiền thuê đất theo quy định của pháp luật về đất đai."])).toBe(`${UNSTATED_PREFIX} mức cụ thể; `);
    expect(unstatedNote(q, ["Giảm 50% tiền thuê đất trong 05 năm đầu."])).toBeNull();
    expect(unstatedNote(q, ["Được giảm năm mươi phần trăm tiền thuê."])).toBeNull();
    // Years, document and article numbers are not the figure asked.
    expect(unstatedNote(q, ["Theo Nghị định 80/2021/NĐ-CP và Điều 12, đến năm 2030 được miễn, giảm tiền thuê đất."])).not.toBeNull();
    // Nor is a date: the resolution's issue date is not the amount it grants.
    const money = ask("nghi quyet ho tro bao nhieu tien cho moi du an", true);
    expect(unstatedNote(money, ["Nghị quyết số 54/2019/NQ-HĐND ngày 11/12/2019 của HĐND tỉnh về chính sách hỗ trợ."])).not.toBeNull();
    expect(unstatedNote(money, ["Nghị định này có hiệu lực từ ngày 15 tháng 10 năm 2021."])).not.toBeNull();
    expect(unstatedNote(money, ["Hỗ trợ 5 triệu đồng mỗi tháng cho mỗi dự án."])).toBeNull();
    expect(unstatedNote(money, ["Hỗ trợ trong tháng 5 cho 12 dự án."])).toBeNull();
    // Which of the levels applies is no figure: "the most favourable one" answers it.
    const which = ask("neu du dieu kien huong nhieu muc ho tro thi duoc huong muc nao", true);
    expect(unstatedNote(which, ["Doanh nghiệp được lựa chọn một mức hỗ trợ có lợi nhất."])).toBeNull();
    expect(unstatedNote(ask("duoc huong muc nao, toi da bao nhieu", true), ["Được hưởng mức có lợi nhất."])).not.toBeNull();
    // Whether a level may be raised is a yes/no question, even read with the document it keeps; "bao nhiêu" asks one.
    const whether = ["Hội đồng có thể phê duyệt mức hỗ trợ cao hơn từ ngân sách của mình."];
    expect(unstatedNote(ask("co duoc trinh muc ho tro cao hon khong", true), whether)).toBeNull();
    expect(unstatedNote(ask("trong muc do co nhac den nuoi ong ko theo ke hoach", true), whether)).toBeNull();
    expect(unstatedNote(ask("duoc trinh muc cao hon bao nhieu khong", true), whether)).not.toBeNull();
    // A share is asked: a length of time or a count is not one.
    expect(unstatedNote(q, ["Số lao động bình quân năm được tính bằng tổng số lao động của các tháng chia cho 12 tháng."])).not.toBeNull();
  });

  it("a duration asked is answered by a length of time, not by another figure", () => {
    const q = ask("duoc ho tro toi da bao lau", false, true);
    expect(unstatedNote(q, ["Thời gian hỗ trợ tối đa là 03 năm kể từ ngày ký hợp đồng."])).toBeNull();
    expect(unstatedNote(q, ["Hỗ trợ không quá 5 triệu đồng/tháng/doanh nghiệp."])).toBe(`${UNSTATED_PREFIX} thời hạn cụ thể; `);
    expect(unstatedNote(q, ["Trong thời hạn mười ngày làm việc, cơ quan trả lời."])).toBeNull();
    // A date is no length of time.
    expect(unstatedNote(q, ["Các sở báo cáo trước ngày 30 tháng 11 hằng năm."])).toBe(`${UNSTATED_PREFIX} thời hạn cụ thể; `);
  });

  it("durations and contact details are checked for their own kind of value; other questions are left alone", () => {
    expect(unstatedNote(ask("bao lau thi duoc cap", false, true), ["Cơ quan cấp trong thời hạn theo quy định."])).toBe(
      `${UNSTATED_PREFIX} thời hạn cụ thể; `,
    );
    expect(unstatedNote(ask("so dien thoai cua so la gi"), ["Sở tiếp nhận hồ sơ qua bộ phận một cửa."])).toContain("liên hệ");
    expect(unstatedNote(ask("so dien thoai cua so la gi"), ["Đường dây nóng: 0261 3822 345."])).toBeNull();
    expect(unstatedNote(ask("ai chu tri"), ["Sở Nội vụ chủ trì."])).toBeNull();
    // Who holds an office: only a quote naming a person answers it; who signed or who leads a task is left alone.
    expect(unstatedNote(ask("giam doc so noi vu hien nay la ai"), ["Giám đốc Sở Nội vụ chịu trách nhiệm tổng hợp."])).toBe(
      `${UNSTATED_PREFIX} tên người giữ chức vụ này; `,
    );
    expect(unstatedNote(ask("ai la chu tich uy ban"), ["KT. CHỦ TỊCH, PHÓ CHỦ TỊCH, Trần Thị Bình"])).toBeNull();
    expect(unstatedNote(ask("nguoi ky ke hoach la ai"), ["Sở Nội vụ"])).toBeNull();
    // A telephone as a product ("app điện thoại", "điện thoại di động") is no contact asked.
    expect(unstatedNote(ask("lam app dien thoai thi co duoc tinh la khoi nghiep sang tao ko"), ["Phần mềm máy tính."])).toBeNull();
    expect(unstatedNote(ask("dien thoai di dong co duoc ho tro khong"), ["Thiết bị công nghệ."])).toBeNull();
    // A contact word told of asks for none; one requested ("cho mình xin sđt …", "give me the email address") does.
    const none = ["Sở tiếp nhận hồ sơ qua bộ phận một cửa."];
    expect(unstatedNote(ask("nhat duoc vi khong co so dien thoai lien lac minh nen nop cho ai"), none)).toBeNull();
    expect(unstatedNote(ask("di xem phim lay dien thoai quay 1 doan thi rap co quyen bat xoa ko"), none)).toBeNull();
    expect(unstatedNote(ask("cho minh xin sdt phong quan ly cua so de goi hoi"), none)).toContain("liên hệ");
    expect(unstatedNote(ask("can you give me the email address of the department"), none)).toContain("liên hệ");
    expect(unstatedNote(ask("cho minh hoi so dien thoai cua so"), none)).toContain("liên hệ");
    // "gửi hồ sơ về địa chỉ nào?" asks where to send (an office the quotes name), not a street address.
    expect(unstatedNote(ask("gui ho so ve dia chi nao"), ["Hồ sơ gửi về Sở Khoa học và Công nghệ."])).toBeNull();
    expect(withUnstatedNote("Theo Luật X — Điều 3: «…»", `${UNSTATED_PREFIX} mức cụ thể; `)).toBe(
      "Văn bản không nêu mức cụ thể; theo Luật X — Điều 3: «…»",
    );
  });
});

describe("decision model", () => {
  it("is a logistic function of the named features; missing weights count zero", () => {
    const features = Object.fromEntries(DECISION_FEATURES.map((f) => [f, 0])) as Record<(typeof DECISION_FEATURES)[number], number>;
    expect(answerProbability({ weights: {}, bias: 0, threshold: 0.5, note: "" }, features)).toBeCloseTo(0.5);
    const model = { weights: { coverage: 4 }, bias: -2, threshold: 0.5, note: "" };
    expect(answerProbability(model, { ...features, coverage: 1 })).toBeCloseTo(1 / (1 + Math.exp(-2)));
    expect(answerProbability(model, { ...features, coverage: 0.2 })).toBeLessThan(0.5);
  });

  it("answers on coverage alone unless words the documents never use carry the question, or when no model is fitted", () => {
    const retrieval = (coverage: number, unseenShare: number) =>
      ({ query: { unseenShare }, ranked: [{ coverage }] }) as unknown as Retrieval;
    expect(answeredOnCoverage(retrieval(0.7, 0), 0.58)).toBe(true);
    expect(answeredOnCoverage(retrieval(0.5, 0), 0.58)).toBe(false);
    expect(answeredOnCoverage(retrieval(0.7, UNSEEN_SHARE), 0.58)).toBe(false);
    expect(answeredOnCoverage(retrieval(0.7, UNSEEN_SHARE / 2), 0.58)).toBe(true);
    expect(answeredOnCoverage(retrieval(0.7, 1), 0.58, false)).toBe(true);
  });
});
