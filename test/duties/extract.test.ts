import { describe, expect, it } from "vitest";
import { ownText } from "../../src/sections/parse.js";
import { findDeadlines, parseDeadlineCell, splitSentences } from "../../src/duties/extract.js";
import { plan } from "./helpers.js";

const subjects = (section: string) =>
  plan()
    .duties.filter((d) => d.section === section && !d.via)
    .map((d) => d.actor);

describe("extractDuties on kh-ctr77", () => {
  it("finds every agency and group of Mục III with the right section", () => {
    const expected: Record<string, string[]> = {
      "III.1": ["so-khcn"],
      "III.2": ["so-khdt"],
      "III.3": ["so-tai-chinh"],
      "III.4": ["cac-so-nganh"],
      "III.5": ["ubnd-huyen"],
      "III.6": ["hiep-hoi-doanh-nghiep"],
      "III.7": ["ubmttq-tinh", "lien-hiep-hoi-khkt", "hoi-nong-dan", "hoi-lhpn", "tinh-doan", "to-chuc-chinh-tri-xa-hoi"],
      "III.8": ["bao-dak-nong", "dai-ptth"],
    };
    for (const [section, actors] of Object.entries(expected)) expect(new Set(subjects(section))).toEqual(new Set(actors));
  });

  it("gets roles and partners from 'chủ trì, phối hợp với …'", () => {
    const { duties } = plan();
    const iii1 = duties.find((d) => d.section === "III.1" && d.actor === "so-khcn")!;
    expect(iii1.role).toBe("chu_tri");
    expect(iii1.partners).toEqual(["cac-so-nganh", "ubnd-huyen", "co-quan-lien-quan"]);
    expect(iii1.action).toBe("tổ chức triển khai, theo dõi, đôn đốc tình hình thực hiện các nội dung tại Kế hoạch này");
    // The partners of a lead agency share its task.
    expect(duties.some((d) => d.section === "III.1" && d.actor === "cac-so-nganh" && d.role === "phoi_hop" && d.via === "partner")).toBe(
      true,
    );
    const iii3 = duties.find((d) => d.section === "III.3")!;
    expect(iii3).toMatchObject({ actor: "so-tai-chinh", role: "phoi_hop", partners: ["so-khcn", "co-quan-lien-quan"] });
    expect(iii3.action).toMatch(/^tham mưu cấp có thẩm quyền bố trí kinh phí/);
    expect(duties.find((d) => d.section === "III.2" && d.actor === "so-khdt")!.role).toBe("chu_tri");
    // III.4's second sentence has no subject: it continues "Các Sở, Ban, ngành".
    expect(duties.filter((d) => d.section === "III.4" && d.actor === "cac-so-nganh")).toHaveLength(2);
  });

  it("extracts the reporting duties of IV.1–IV.3 with recipients and deadlines", () => {
    const { duties } = plan();
    expect(new Set(subjects("IV.1"))).toEqual(new Set(["cac-so-nganh", "ubnd-huyen"]));

    const iv2 = duties.filter((d) => d.section === "IV.2" && d.actor === "cac-so-nganh-dia-phuong");
    expect(iv2.every((d) => d.recipient === "so-khcn")).toBe(true);
    expect(iv2.map((d) => d.deadline)).toEqual([
      { kind: "annual", day: 30, month: 11, text: "Định kỳ hàng năm (trước ngày 30/11)" },
      { kind: "on_request", text: "khi có yêu cầu" },
    ]);
    // "… gửi về Sở KH&CN để tổng hợp, báo cáo UBND tỉnh": Sở KH&CN's own onward duty.
    const onward = duties.filter((d) => d.section === "IV.2" && d.actor === "so-khcn");
    expect(onward.length).toBeGreaterThan(0);
    expect(onward.every((d) => d.recipient === "ubnd-tinh" && d.via === "purpose")).toBe(true);

    const iv3 = duties.find((d) => d.section === "IV.3" && d.actor === "cac-co-quan-don-vi")!;
    expect(iv3).toMatchObject({ recipient: "so-khcn", action: "báo cáo bằng văn bản" });
    expect(iv3.deadline).toEqual({
      kind: "when_arising",
      text: "Trong quá trình triển khai thực hiện nếu có phát sinh vướng mắc, khó khăn",
    });
    expect(duties.find((d) => d.section === "IV.3" && d.actor === "so-khcn")?.recipient).toBe("ubnd-tinh");
  });

  it("detects exactly one dated deadline: yearly before 30/11", () => {
    const dated = plan().duties.filter((d) => d.deadline?.day);
    expect(dated.map((d) => [d.section, d.deadline!.kind, d.deadline!.day, d.deadline!.month])).toEqual([["IV.2", "annual", 30, 11]]);
  });

  it("reads the '(Báo cáo)' lines of Nơi nhận as reports of the issuer", () => {
    const r = plan().duties.filter((d) => d.section === "recipients");
    expect(r.map((d) => d.recipient)).toEqual(["bo-khcn", "thuong-truc-tinh-uy", "thuong-truc-hdnd"]);
    expect(r.every((d) => d.actor === "ubnd-tinh" && d.via === "recipients")).toBe(true);
    expect(r[0]!.quote).toBe("Bộ Khoa học và Công nghệ (Báo cáo);");
  });

  it("quotes verbatim sentences of the section's own text", () => {
    const { duties, sections } = plan();
    for (const d of duties) {
      const s = sections.find((x) => x.doc === d.doc && x.id === d.section)!;
      expect(
        ownText(s).some((p) => p.includes(d.quote)),
        `${d.section}: ${d.quote}`,
      ).toBe(true);
      expect(d.sectionLabel).toBe(s.label);
    }
  });
});

describe("sentence and deadline rules", () => {
  it("splits sentences without breaking abbreviations", () => {
    expect(splitSentences("UBND các huyện, TP. Gia Nghĩa thực hiện. Chủ động đề xuất.")).toEqual([
      "UBND các huyện, TP. Gia Nghĩa thực hiện.",
      "Chủ động đề xuất.",
    ]);
  });

  it("tells yearly dates from 'trung hạn và hàng năm' budgets", () => {
    expect(findDeadlines("Sở X tham mưu bố trí nguồn vốn đầu tư công trung hạn và hàng năm.")).toEqual([]);
    expect(findDeadlines("Định kỳ trước ngày 15 tháng 12 hằng năm, gửi báo cáo về Bộ Kế hoạch và Đầu tư.")[0]).toMatchObject({
      kind: "annual",
      day: 15,
      month: 12,
    });
    expect(findDeadlines("Báo cáo trước ngày 31/3/2026.")[0]).toMatchObject({ kind: "once", day: 31, month: 3, year: 2026 });
    expect(parseDeadlineCell("6/2025")).toMatchObject({ kind: "once", month: 6, year: 2025 });
    expect(parseDeadlineCell("Thường xuyên")).toBeUndefined();
  });
});
