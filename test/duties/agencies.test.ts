import { describe, expect, it } from "vitest";
import { resolveAgency as resolveWith } from "../../src/duties/agencies.js";
import { plan } from "./helpers.js";

const defaultAgencies = () => plan().agencies;
const resolveAgency = (text: string) => resolveWith(text, defaultAgencies());

describe("alias table", () => {
  it.each([
    ["so tai chinh", "so-tai-chinh"],
    ["Sở TC", "so-tai-chinh"],
    ["sở kh&cn", "so-khcn"],
    ["Sở KHCN", "so-khcn"],
    ["Sở Khoa học và Công nghệ", "so-khcn"],
    ["SO KHOA HOC CONG NGHE", "so-khcn"],
    ["Sở KH&ĐT", "so-khdt"],
    ["so khdt", "so-khdt"],
    ["ubnd huyen", "ubnd-huyen"],
    ["UBND các huyện, TP. Gia Nghĩa", "ubnd-huyen"],
    ["Chủ tịch Ủy ban nhân dân các huyện, thành phố Gia Nghĩa", "ubnd-huyen"],
    ["UBND huyện Đắk Mil", "ubnd-dak-mil"],
    ["UBND tỉnh", "ubnd-tinh"],
    ["hiep hoi doanh nghiep", "hiep-hoi-doanh-nghiep"],
    ["Đài PT&TH Đăk Nông", "dai-ptth"],
    ["cac so, nganh, dia phuong", "cac-so-nganh-dia-phuong"],
    ["Department of Finance", "so-tai-chinh"],
  ])("%s → %s", (text, id) => {
    expect(resolveAgency(text)?.id).toBe(id);
  });

  it("does not confuse look-alike words (số ≠ sở) or plural bodies", () => {
    expect(resolveAgency("số lao động tham gia bảo hiểm")).toBeNull();
    expect(resolveAgency("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương")?.id).not.toBe("ubnd-tinh");
    expect(resolveAgency("Kế hoạch của tỉnh")).toBeNull();
    expect(resolveAgency("Hồ sơ đề nghị được tiếp nhận thế nào?")).toBeNull();
    expect(resolveAgency("các sở có nhiệm vụ gì")?.id).toBe("cac-so-nganh");
    expect(resolveAgency("cac so co nhiem vu gi")?.id).toBe("cac-so-nganh");
  });

  it("puts each Sở in the groups 'các Sở, Ban, ngành' and 'các Sở, ngành, địa phương'", () => {
    const groups = defaultAgencies()
      .groupsOf("so-tai-chinh")
      .map((g) => g.id);
    expect(groups).toEqual(["cac-so-nganh", "cac-so-nganh-dia-phuong", "cac-co-quan-don-vi"]);
    expect(
      defaultAgencies()
        .groupsOf("so-y-te")
        .map((g) => g.id),
    ).toContain("cac-so-nganh-dia-phuong");
    expect(
      defaultAgencies()
        .groupsOf("ubnd-huyen")
        .map((g) => g.id),
    ).toContain("cac-so-nganh-dia-phuong");
  });

  it("keeps the 2025 reorganisation as a display note only", () => {
    expect(defaultAgencies().get("so-khdt")?.name).toBe("Sở Kế hoạch và Đầu tư");
    expect(defaultAgencies().get("so-khdt")?.note).toMatch(/Sở Tài chính/);
  });
});
