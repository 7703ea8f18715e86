import { describe, expect, it } from "vitest";
import { agencyRegistryFrom } from "../../src/duties/agencies.js";
import { answerDuties } from "../../src/duties/answer.js";
import type { Duty } from "../../src/duties/types.js";
import type { DocumentMeta } from "../../src/types.js";
import { plan } from "./helpers.js";

const ask = (q: string) => answerDuties(q, plan().duties, plan().docs, { agencies: plan().agencies });
/** Sections cited in the reply, then those behind "Xem thêm". */
const sections = (q: string) => {
  const a = ask(q);
  return a ? [...a.citations, ...(a.more?.citations ?? [])].map((c) => c.section) : null;
};

describe("answerDuties: what must an agency do", () => {
  it.each([
    ["Sở Tài chính phải làm gì?", "III.3"],
    ["so tai chinh lam gi", "III.3"],
    ["Hiệp hội Doanh nghiệp tỉnh có nhiệm vụ gì?", "III.6"],
    ["UBND các huyện cần làm gì để thực hiện kế hoạch?", "III.5"],
    ["Báo Đăk Nông có trách nhiệm gì?", "III.8"],
    ["nhiem vu cua so kh&cn", "III.1"],
    ["What must the Department of Finance do?", "III.3"],
    ["What should the Department of Finance do next?", "III.3"],
    ["UBND huyện phải xây dựng kế hoạch gì?", "III.5"],
    ["Mặt trận Tổ quốc và Tỉnh đoàn tham gia thế nào?", "III.7"],
    // The agency that issued the document pointed at is not the one asked about.
    ["Trong kế hoạch của UBND tỉnh, Sở Tài chính được giao nhiệm vụ gì?", "III.3"],
    ["Kế hoạch do UBND tỉnh ban hành giao Báo Đăk Nông làm gì?", "III.8"],
    // A place after "ở"/"tại" is where the asker is; named with its head noun it is still the agency asked about.
    ["Mình làm hợp tác xã ở Krông Nô, Sở Tài chính có nhiệm vụ gì?", "III.3"],
    ["UBND huyện Krông Nô phải làm gì?", "III.5"],
  ])("%s → cites %s first", (q, first) => {
    const a = ask(q)!;
    expect(a).not.toBeNull();
    expect(a.abstained).toBe(false);
    expect(a.mode).toBe("extractive");
    expect(a.citations[0]!.section).toBe(first);
  });

  it("reads 'do' as English only in an English question: 'Sở … đó' typed without diacritics asks no duty", () => {
    expect(ask("cho minh xin email cua giam doc So Tai chinh do dc ko")).toBeNull();
  });

  it("keeps a reply about one agency within 700 characters, the rest behind 'Xem thêm'", () => {
    for (const agency of plan().agencies.agencies.filter((a) => a.kind === "agency")) {
      const a = ask(`${agency.name} phải làm gì?`);
      if (!a || a.abstained) continue;
      expect(a.answer.length, agency.name).toBeLessThanOrEqual(700);
    }
  });

  it("names a group mid-sentence in lower case, but never lowers an abbreviation", () => {
    const members = plan()
      .agencies.agencies.filter((a) => a.kind === "agency")
      .map((a) => ask(`${a.name} phải làm gì?`))
      .filter((a) => a && !a.abstained && a.answer.includes("là thành viên"));
    expect(members.length).toBeGreaterThan(0);
    for (const a of members) expect(a!.answer).not.toMatch(/là thành viên \p{Ll}\p{Lu}/u);
  });

  it("adds the duties of the groups the agency belongs to, after its own", () => {
    const got = sections("Sở Tài chính phải làm gì?")!;
    expect(got[0]).toBe("III.3");
    for (const s of ["III.4", "IV.1", "IV.2", "IV.3"]) expect(got.slice(1)).toContain(s);
    expect(sections("Hiệp hội Doanh nghiệp tỉnh có nhiệm vụ gì?")).toEqual(["III.6", "IV.3"]);
    // The reply holds the agency's own duties as far as they fit in 700 characters; the rest and the generic group
    // duties are behind "Xem thêm".
    const a = ask("Sở Tài chính phải làm gì?")!;
    expect(a.citations.map((c) => c.section)).toEqual(["III.3"]);
    expect(a.answer.length).toBeLessThanOrEqual(700);
    expect(a.more?.text).toMatch(/^Nhiệm vụ riêng:\n2\. .*\n\nNhiệm vụ chung của Các Sở, Ban, ngành \(Sở Tài chính là thành viên\):/);
    expect(ask("so tai chinh lam gi")!.citations).toEqual(ask("Sở Tài chính phải làm gì?")!.citations);
  });

  it("cites verbatim quotes with '<doc short title> — <section label>' titles and a Nguồn list", () => {
    const a = ask("Sở Tài chính phải làm gì?")!;
    expect(a.citations[0]).toEqual({
      doc: "kh-ctr77",
      section: "III.3",
      title: "Kế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông) — Mục III.3",
      quote:
        "Sở Tài chính phối hợp với Sở Khoa học và Công nghệ và các cơ quan liên quan tham mưu cấp có thẩm quyền bố trí kinh phí để triển khai thực hiện Kế hoạch này theo quy định.",
    });
    // The lead states the asked fact: the agency's own task, its role and where it is written.
    expect(a.lead).toBe(
      "Sở Tài chính — phối hợp với Sở KH&CN, các cơ quan, đơn vị liên quan: tham mưu cấp có thẩm quyền bố trí kinh phí để triển khai " +
        "thực hiện Kế hoạch này theo quy định — Mục III.3 theo Kế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông).",
    );
    expect(a.answer.startsWith(a.lead)).toBe(true);
    expect(a.answer).toContain("Nguồn:\n- Kế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông) — Mục III.3");
    // Sở KH&ĐT's duty belongs to Sở Tài chính since the 2025 merger (agencies.json mergedInto), marked as such.
    expect(a.more?.text).toContain("[giao cho Sở Kế hoạch và Đầu tư (nay thuộc Sở Tài chính); Chủ trì] Mục III.2");
    expect(a.more?.text).toContain("trước ngày 30/11");
  });

  it("does not give a group's duty towards the agency itself (Sở KH&CN does not report to itself)", () => {
    const a = ask("Sở KH&CN phải làm gì?")!;
    expect(a.citations[0]!.section).toBe("III.1");
    const iv2 = `${a.answer}\n${a.more?.text}`.split("\n").filter((l) => l.includes("Mục IV.2"));
    expect(iv2.join("\n")).toMatch(/gửi UBND tỉnh/);
    expect(iv2.join("\n")).not.toMatch(/gửi Sở KH&CN/);
  });
});

describe("answerDuties: reporting chain", () => {
  it("answers 'ai báo cáo cho ai, khi nào?' with the chain IV.2, IV.3 and Nơi nhận", () => {
    const a = ask("ai báo cáo cho ai, khi nào?")!;
    expect(sections("ai báo cáo cho ai, khi nào?")).toEqual(["IV.2", "IV.3", "recipients", "recipients"]);
    expect(a.lead).toBe(
      "Chế độ báo cáo theo Kế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông): Các Sở, ngành, địa phương → Sở Khoa học và Công nghệ → " +
        "Ủy ban nhân dân tỉnh: hằng năm, trước ngày 30/11 và khi có yêu cầu (Mục IV.2).",
    );
    const more = a.more!.text;
    expect(more).toMatch(
      /Các cơ quan, đơn vị → Sở Khoa học và Công nghệ → Ủy ban nhân dân tỉnh: khi phát sinh vướng mắc, khó khăn, bằng văn bản \(Mục IV\.3\)/,
    );
    expect(more).toMatch(/Ủy ban nhân dân tỉnh → Bộ Khoa học và Công nghệ/);
    expect(a.more!.citations[1]!.quote).toBe("Bộ Khoa học và Công nghệ (Báo cáo);");
  });

  it("works without diacritics and in English", () => {
    expect(sections("ai bao cao cho ai khi nao")).toEqual(["IV.2", "IV.3", "recipients", "recipients"]);
    expect(sections("bao cao gui ve dau")?.[0]).toBe("IV.2");
    expect(sections("Who reports to whom, and when?")?.[0]).toBe("IV.2");
  });

  it("puts the difficulties route first when the question is about difficulties", () => {
    expect(sections("Nếu gặp vướng mắc khi triển khai thì phải báo cáo thế nào?")?.[0]).toBe("IV.3");
  });

  it("narrows to the sections an agency takes part in", () => {
    expect(sections("sở khcn báo cáo ubnd tỉnh khi nào")).toEqual(["IV.2", "IV.3"]);
    // The plan's issuer, named with the plan ("Kế hoạch … của UBND tỉnh"), is not the agency asked about.
    expect(sections("Kế hoạch triển khai CTr 77 của UBND tỉnh có gửi báo cáo lên Bộ KH&CN không?")?.[0]).toBe("recipients");
    expect(sections("Kế hoạch về nhiệm vụ của Sở Tài chính là gì?")?.[0]).toBe("III.3");
  });
});

describe("answerDuties: other questions are left to retrieval", () => {
  it.each([
    "Mục đích của kế hoạch là gì?",
    "Kế hoạch nói gì về trí tuệ nhân tạo?",
    "Cơ quan nào chủ trì theo dõi, đôn đốc việc thực hiện kế hoạch?",
    "Nhiệm vụ nghiên cứu khoa học xã hội phục vụ địa phương là gì?",
    "Theo Nghị định 80 ai báo cáo cho ai?",
    "Ai ký ban hành kế hoạch?",
  ])("%s → null", (q) => {
    expect(ask(q)).toBeNull();
  });

  it("says so when the plan gives an agency no duty, showing what it receives", () => {
    const a = ask("Bộ KH&CN có nhiệm vụ gì?")!;
    expect(a.answer).toMatch(/^Không có nhiệm vụ nào/);
    expect(a.citations.map((c) => c.section)).toEqual(["recipients"]);
  });
});

describe("answerDuties: agencies the plan never names", () => {
  it("returns null so retrieval can look in the other documents", () => {
    expect(ask("Ban Tuyên giáo Tỉnh ủy có nhiệm vụ gì?")).toBeNull();
  });
});

describe("answerDuties: an office holder asked by title", () => {
  const agencies = agencyRegistryFrom(
    {
      titles: ["chủ tịch"],
      agencies: [{ id: "ubnd-xa", name: "Ủy ban nhân dân các xã", kind: "agency", aliases: ["UBND các xã", "UBND xã"] }],
    },
    "test",
  );
  const duty = (section: string, quote: string, order: number): Duty => ({
    actor: "ubnd-xa",
    actorText: "Ủy ban nhân dân các xã",
    role: "thuc_hien",
    action: quote,
    doc: "kh-thu-nghiem",
    section,
    sectionLabel: `Mục ${section}`,
    quote,
    order,
  });
  const duties = [
    duty("II.4", "Ủy ban nhân dân các xã lập danh sách hộ nuôi ong trên địa bàn.", 0),
    duty("IV.2", "Chủ tịch Ủy ban nhân dân các xã chịu trách nhiệm trước Ủy ban nhân dân huyện về kết quả thực hiện.", 1),
  ];
  const docs = [
    {
      id: "kh-thu-nghiem",
      title: "Kế hoạch thử nghiệm",
      shortTitle: "Kế hoạch thử nghiệm",
      style: "plan",
      aliases: [],
    } as unknown as DocumentMeta,
  ];

  it("quotes first the duty that names the agency under the title asked", () => {
    const a = answerDuties("Chủ tịch UBND xã có trách nhiệm gì?", duties, docs, { agencies })!;
    expect(a.citations[0]!.section).toBe("IV.2");
    // Asked of the agency itself, its duties keep their order.
    expect(answerDuties("UBND xã có trách nhiệm gì?", duties, docs, { agencies })!.citations[0]!.section).toBe("II.4");
  });
});
