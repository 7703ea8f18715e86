import { describe, expect, it } from "vitest";
import { createDutyCommands } from "../../src/duties/commands.js";
import { buildMatrix, renderMatrixCsv, renderMatrixHtml, renderMatrixMarkdown } from "../../src/duties/matrix.js";
import type { ReminderStore } from "../../src/duties/store.js";
import { local, plan } from "./helpers.js";

const noStore = {} as ReminderStore;

describe("/viec and /hanchot", () => {
  const cmds = () => createDutyCommands({ ...plan(), store: noStore, clock: () => local("2026-11-28T10:00:00") });

  it("/viec lists an agency's duties with quotes and sources, diacritics optional", () => {
    const text = cmds().viec("so tai chinh");
    expect(text.split("\n")[0]).toMatch(/^Sở Tài chính — phối hợp với Sở KH&CN/);
    // /viec shows everything, generic group duties included (nothing behind "Xem thêm").
    expect(text).toContain("Nhiệm vụ chung của Các Sở, Ban, ngành (Sở Tài chính là thành viên):");
    expect(text).toContain("Mục III.3: “Sở Tài chính phối hợp với Sở Khoa học và Công nghệ");
    expect(text).toContain("Nguồn:");
    expect(cmds().viec("Sở KH&CN")).toContain("Mục III.1");
    expect(cmds().viec("")).toMatch(/^Cú pháp: \/viec/);
    expect(cmds().viec("abc xyz")).toMatch(/^Chưa nhận ra cơ quan/);
  });

  it("/hanchot shows the next date and the days left", () => {
    expect(cmds().hanchot()).toContain("30/11/2026 — còn 2 ngày");
  });

  it("/nhacnho on a channel that cannot push explains instead of subscribing", async () => {
    const c = createDutyCommands({ ...plan(), store: noStore, canRemind: (ch) => ch !== "web" });
    expect(await c.nhacnho("web", "abc")).toMatch(/Telegram hoặc Zalo/);
  });
});

describe("responsibility matrix", () => {
  const rows = () => buildMatrix(plan().duties, plan().agencies);

  it("lists every agency and group of Mục III and the duties of IV.1–IV.3 with their sections", () => {
    const r = rows();
    const has = (agencyId: string, section: string) => r.some((x) => x.agencyId === agencyId && x.section === section);
    for (const [a, s] of [
      ["so-khcn", "III.1"],
      ["so-khdt", "III.2"],
      ["so-tai-chinh", "III.3"],
      ["cac-so-nganh", "III.4"],
      ["ubnd-huyen", "III.5"],
      ["hiep-hoi-doanh-nghiep", "III.6"],
      ["ubmttq-tinh", "III.7"],
      ["lien-hiep-hoi-khkt", "III.7"],
      ["hoi-nong-dan", "III.7"],
      ["hoi-lhpn", "III.7"],
      ["tinh-doan", "III.7"],
      ["to-chuc-chinh-tri-xa-hoi", "III.7"],
      ["bao-dak-nong", "III.8"],
      ["dai-ptth", "III.8"],
      ["cac-so-nganh", "IV.1"],
      ["ubnd-huyen", "IV.1"],
      ["cac-so-nganh-dia-phuong", "IV.2"],
      ["so-khcn", "IV.2"],
      ["cac-co-quan-don-vi", "IV.3"],
      ["so-khcn", "IV.3"],
    ] as const)
      expect(has(a, s), `${a} ${s}`).toBe(true);
    const iv2 = r.find((x) => x.agencyId === "cac-so-nganh-dia-phuong" && x.section === "IV.2")!;
    expect(iv2).toMatchObject({ recipient: "Sở KH&CN", deadline: "hằng năm, trước ngày 30/11; khi có yêu cầu" });
    expect(r.find((x) => x.section === "recipients" && x.recipient.includes("TT HĐND tỉnh"))).toBeDefined();
  });

  it("renders Markdown, CSV and an HTML table with links to the sections", () => {
    const md = renderMatrixMarkdown(rows());
    expect(md.split("\n")[0]).toBe("| Cơ quan | Vai trò | Nhiệm vụ | Phối hợp với | Báo cáo / gửi | Thời hạn | Mục |");
    expect(md).toMatch(/\| Sở Tài chính \| Phối hợp \| tham mưu cấp có thẩm quyền bố trí kinh phí .* \| Mục III\.3 \|/);

    const csv = renderMatrixCsv(rows());
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("agencyId,agency,kind,role,action,partners,recipient,deadline,doc,plan,section,sectionLabel,quote");
    expect(lines.some((l) => l.startsWith("so-tai-chinh,Sở Tài chính,agency,phoi_hop,"))).toBe(true);

    const html = renderMatrixHtml(rows());
    expect(html).toMatch(/^<table class="trach-nhiem" role="table">/);
    // Every cell names its column, so a phone can show a row as a card.
    expect(html).toContain('<td role="cell" data-label="Mục"><a href="/#doc=kh-ctr77&amp;section=III.3">Mục III.3</a></td>');
    expect(html).toContain('<a href="/#doc=kh-ctr77&amp;section=III.3">Mục III.3</a>');
    expect(html).not.toMatch(/<td[^>]*>[^<]*&(?!amp;|lt;|gt;|quot;|#39;)/);
  });
});
