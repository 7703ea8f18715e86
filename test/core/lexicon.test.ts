// Word knowledge of the lexicon: each pattern on text written for the test (not the shipped corpus).
import { describe, expect, it } from "vitest";
import { AGENCY_SUBJECT, ALTERNATIVES_ASK, AMOUNT_PHRASE, cueIn, DATE_HINT, DATE_PHRASE, QUESTION_CUES } from "../../src/text/lexicon.js";
import { fold } from "../../src/text/vietnamese.js";

const all = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => m[1]!.trim());

describe("lexicon", () => {
  it("finds dates and periods, most specific first, and never a document number", () => {
    const text =
      "Định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12), các sở báo cáo; hoàn thành trước ngày 30/9/2025 theo Nghị quyết số 54/2019/NQ-HĐND.";
    expect(all(DATE_PHRASE, text)).toEqual(["Định kỳ 6 tháng", "trước ngày 15/6", "hằng năm", "trước ngày 15/12", "trước ngày 30/9/2025"]);
    expect(all(DATE_PHRASE, "Ban hành kèm Quyết định 1234/QĐ-UBND năm 2023.")).toEqual([]);
    expect(all(DATE_PHRASE, "Định kỳ trước ngày 20 tháng 11 hằng năm, gửi báo cáo.")).toEqual(["trước ngày 20 tháng 11", "hằng năm"]);
    expect(all(DATE_PHRASE, "trong vòng 30 ngày làm việc kể từ ngày nhận hồ sơ")).toContain("trong vòng 30 ngày làm việc");
  });

  it("tells a unit that says when something is due: a month, a year or a quarter to finish in", () => {
    expect(DATE_HINT.test("Các huyện xây dựng kế hoạch thực hiện trong tháng 3 năm 2026.")).toBe(true);
    expect(DATE_HINT.test("Rà soát, điều chỉnh các chương trình, hoàn thành trong năm 2026.")).toBe(true);
    expect(DATE_HINT.test("Tổng kết việc thực hiện trong quý IV.")).toBe(true);
    // A target's year is no deadline.
    expect(DATE_HINT.test("Đến năm 2030, toàn tỉnh có ít nhất 50 doanh nghiệp khoa học và công nghệ.")).toBe(false);
  });

  it("finds amounts with their caps and units", () => {
    const text = "Hỗ trợ tối đa 70% chi phí thuê nhưng không quá 8 triệu đồng/tháng/hợp tác xã. Thời gian hỗ trợ tối đa là 02 năm.";
    expect(all(AMOUNT_PHRASE, text)).toEqual(["tối đa 70%", "không quá 8 triệu đồng/tháng/hợp tác xã", "tối đa là 02 năm"]);
  });

  it("tells a choice offered from a yes-or-no question", () => {
    const offers = (q: string) =>
      ALTERNATIVES_ASK.test(
        fold(q)
          .replace(/[^a-z0-9]+/g, " ")
          .trim(),
      );
    expect(offers("Tàu của tôi là tàu cá nhỏ hay tàu cá vừa vậy?")).toBe(true);
    expect(offers("nop don o toa huyen hay toa tinh")).toBe(true);
    expect(offers("Is it a small or a medium vessel?")).toBe(true);
    expect(offers("Tàu dài 13 mét có được tính là tàu cá vừa hay không?")).toBe(false);
    expect(offers("đăng ký tàu xong hay chưa thì tra ở đâu")).toBe(false);
    expect(offers("Tàu cá nhỏ được hỗ trợ bao nhiêu?")).toBe(false);
  });

  it("reads the agency a duty sentence gives the duty to", () => {
    expect(AGENCY_SUBJECT.exec("Sở Nông nghiệp và Môi trường chủ trì, phối hợp với các địa phương xây dựng bản đồ.")?.[1]).toBe(
      "Sở Nông nghiệp và Môi trường",
    );
    expect(AGENCY_SUBJECT.exec("Tăng cường ứng dụng công nghệ trong sản xuất.")).toBeNull();
    // An ordinary noun that opens with a head noun is not an agency ("Trường hợp …" is a case, not a school).
    expect(AGENCY_SUBJECT.exec("Trường hợp xây dựng đề án, Ủy ban nhân dân cấp huyện thông báo cho Sở Công Thương.")).toBeNull();
    expect(AGENCY_SUBJECT.exec("Báo cáo kết quả thực hiện gửi về Ban quản lý trước ngày 10/12.")).toBeNull();
    expect(AGENCY_SUBJECT.exec("Trường Cao đẳng Cộng đồng chủ trì tổ chức lớp học.")?.[1]).toBe("Trường Cao đẳng Cộng đồng");
    expect(AGENCY_SUBJECT.exec("Sở Xây dựng phối hợp kiểm tra.")?.[1]).toBe("Sở Xây dựng");
  });

  it("matches cue phrases as whole words only", () => {
    expect(cueIn("han bao cao la ngay nao", QUESTION_CUES.deadline)).toBe(true);
    expect(cueIn("thanh nien duoc gi", QUESTION_CUES.deadline)).toBe(false);
    // "ai" (who) is a cue, "hai" (two) is not.
    expect(cueIn("co hai loai", QUESTION_CUES.responsibility)).toBe(false);
    expect(cueIn("ai phai lam", QUESTION_CUES.responsibility)).toBe(true);
  });
});
