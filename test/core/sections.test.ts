import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ownText, parseSections } from "../../src/sections/parse.js";
import { readManifest } from "../../src/corpus/manifest.js";
import { ROOT } from "./helpers.js";

const seed = fs.readFileSync(path.join(ROOT, "corpus/documents/kh-ctr77.txt"), "utf8");
const plan = parseSections("kh-ctr77", seed, "plan");
const byId = new Map(plan.map((s) => [s.id, s]));

describe("plan sections (kh-ctr77)", () => {
  it("has every section id of the seed with the right breadcrumb", () => {
    const expected: Record<string, string[]> = {
      "I.1": ["I. Mục đích, yêu cầu", "1. Mục đích"],
      "I.2": ["I. Mục đích, yêu cầu", "2. Yêu cầu"],
      "II.3.b": [
        "II. Nhiệm vụ và giải pháp chủ yếu",
        "3. Triển khai các nhiệm vụ khoa học và công nghệ chủ yếu phục vụ phát triển kinh tế - xã…",
        "b) Đối với lĩnh vực khoa học kỹ thuật và công nghệ",
      ],
      "IV.2": ["IV. Chế độ báo cáo", "2. Định kỳ hàng năm (trước ngày 30/11) và khi có yêu cầu, các Sở, ngành, địa phương báo cáo…"],
      recipients: ["Nơi nhận"],
      signature: ["Phần ký ban hành"],
    };
    for (const [id, crumb] of Object.entries(expected)) expect(byId.get(id)?.breadcrumb, id).toEqual(crumb);
    const ids = plan.map((s) => s.id);
    for (const id of ["preamble", "I", "II", "III", "IV", "recipients", "signature"]) expect(ids).toContain(id);
    for (const n of [1, 2, 3, 4, 5, 6]) expect(ids).toContain(`II.${n}`);
    for (const l of ["a", "b", "c", "d", "e"]) expect(ids).toContain(`II.3.${l}`);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) expect(ids).toContain(`III.${n}`);
    for (const n of [1, 2, 3]) expect(ids).toContain(`IV.${n}`);
  });

  it("joins the paragraph broken by a page break", () => {
    const text = ownText(byId.get("I.2")!).join("\n");
    expect(text).toContain("thúc đẩy khoa học, công nghệ và đổi mới sáng tạo phục vụ");
    expect(ownText(byId.get("II.1")!).join("\n")).toContain("trên địa bàn tỉnh Đăk Nông đến năm 2025;");
    expect(ownText(byId.get("II.3.a")!).join("\n")).toContain("quá trình biến đổi khí hậu làm cơ sở khoa học");
  });

  it("repairs artefacts: no page number, /S, emphasis or Markdown escapes in any text", () => {
    const manifest = readManifest(path.join(ROOT, "corpus"));
    for (const d of manifest.documents) {
      const sections = parseSections(d.id, fs.readFileSync(path.join(ROOT, "corpus", d.file), "utf8"), d.style);
      for (const s of sections)
        for (const p of [...ownText(s), s.heading]) {
          expect(p, `${d.id}#${s.id}`).not.toMatch(/^02$|\/S\b|\*\*|\\-|\\\.|\\&|<!--|^\(Điều \d+ |Điều này có nội dung liên quan/);
        }
    }
    expect(ownText(byId.get("IV.3")!)[0]).toMatch(/xem xét, quyết định\.$/);
    expect(byId.get("signature")!.paragraphs).toEqual(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Trọng Yên"]);
  });
});

describe("other document styles", () => {
  const parse = (id: string, style: "party" | "articles") =>
    new Map(parseSections(id, fs.readFileSync(path.join(ROOT, `corpus/documents/${id}.md`), "utf8"), style).map((s) => [s.id, s]));

  it("parses Điều/Khoản/Điểm with đ and labels", () => {
    const nd = parse("nd-80-2021-nd-cp", "articles");
    expect(nd.get("D22.1.b")?.label).toBe("Điều 22, khoản 1, điểm b");
    expect(ownText(nd.get("D22.1.b")!)[0]).toContain("5 triệu đồng/tháng/doanh nghiệp");
    expect(nd.has("D22.6.đ")).toBe(true);
    expect(ownText(nd.get("D20")!)[0]).toMatch(/^Doanh nghiệp nhỏ và vừa khởi nghiệp sáng tạo/);
  });

  it('keeps a provision the codification inserted ("Điều 12.3.QĐ.1.1.") apart from the law\'s own articles', () => {
    const text = [
      "Điều 8. Hỗ trợ tiếp cận tín dụng",
      "1. Doanh nghiệp được cấp bảo lãnh tín dụng.",
      "Điều 12.3.QĐ.1.1.",
      "(Điều 1 Quyết định số 07/2031/QĐ-TTg ngày 02/02/2031 của Thủ tướng Chính phủ)",
      "Ban hành kèm theo Quyết định này Quy chế bảo lãnh tàu cá.",
      "Điều 12. Hỗ trợ cơ sở ươm tạo",
      "1. Cơ sở ươm tạo được miễn tiền thuê đất.",
    ].join("\n\n");
    const law = new Map(parseSections("luat-thu", text, "articles").map((s) => [s.id, s]));
    expect(law.get("D12.1")?.label).toBe("Điều 12, khoản 1");
    expect(ownText(law.get("D12.1")!)[0]).toContain("miễn tiền thuê đất");
    const inserted = law.get("PĐ12-3-QĐ-1-1")!;
    expect(inserted.label).toBe("Điều 12.3.QĐ.1.1 (pháp điển)");
    expect(inserted.parent).toBeNull();
    expect(ownText(inserted).join(" ")).toContain("Quy chế bảo lãnh tàu cá");
    expect(ownText(law.get("D8.1")!).join(" ")).not.toContain("tàu cá");
  });

  it("parses Party resolutions with roman parts, dash numbering and nested 2.1", () => {
    const nq57 = parse("nq-57-tw-2024", "party");
    expect(nq57.has("II.1")).toBe(true);
    expect(nq57.has("III.6")).toBe(true);
    expect(ownText(nq57.get("II.1")!).join(" ")).toContain("Kinh phí chi cho nghiên cứu phát triển (R&D) đạt 2% GDP");
    const nq20 = parse("nq-20-tw-2012", "party");
    expect(nq20.has("B.III.2.1")).toBe(true);
    expect(nq20.has("C.4")).toBe(true);
    const kl = parse("kl-69-tw-2024", "party");
    expect([...kl.keys()]).toEqual(expect.arrayContaining(["preamble", "1", "4", "5", "7", "signature"]));
    const nq03 = parse("nq-03-cp-2025", "party");
    expect(nq03.get("PL2.VI.117")?.fields?.["Cơ quan chủ trì"]).toBe("Bộ Công an");
    expect(nq03.has("II.2.đ")).toBe(true);
  });
});
