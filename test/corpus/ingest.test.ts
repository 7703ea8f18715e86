// Conversion of each accepted format into the core's section structure, header metadata, and the
// refusal of bad input (before anything is stored).
import { describe, expect, it } from "vitest";
import { CorpusError, detectMetadata, prepareDocument, prettyIssuer, sniffFormat } from "../../src/corpus/ingest/index.js";
import { parseFlags, splitArgs } from "../../src/admin/args.js";
import { autoNumberedDocx, corruptDocx, decreeDocx, planDocx, planMarkdown, planPdf, scannedPdf, truncatedDocx } from "./fixtures.js";

const MAX = 5 * 1024 * 1024;
const prepare = (bytes: Buffer, name: string) => prepareDocument(bytes, name, { maxBytes: MAX, today: "2025-09-01" });

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<CorpusError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(CorpusError);
    return err as CorpusError;
  }
  throw new Error("expected a refusal");
}

/** The plan's structure as the core parses it, whatever the input format. */
const PLAN_IDS = ["preamble", "I", "I.1", "I.1.a", "I.1.b", "I.2", "II", "II.1", "II.2", "III", "recipients", "signature"];

describe("ingesting each format", () => {
  it.each([
    ["DOCX (header table, Word's automatic a) numbering)", "ke-hoach.docx", planDocx],
    ["PDF with a text layer (wrapped, justified lines)", "ke-hoach.pdf", planPdf],
    ["Markdown", "ke-hoach.md", async () => Buffer.from(planMarkdown())],
    ["plain text", "ke-hoach.txt", async () => Buffer.from(planMarkdown().replace(/^\|.*\|$/gm, (l) => l.replace(/\|/g, " ")))],
  ])("%s → the plan's sections and header metadata", async (_label, name, make) => {
    const p = await prepare(await make(), name);
    expect(p.sections.map((s) => s.id)).toEqual(PLAN_IDS);
    const task = p.sections.find((s) => s.id === "II.1")!;
    // A provision wrapped over two PDF lines is one paragraph again.
    expect(task.heading).toBe(
      "Sở Khoa học và Công nghệ chủ trì xây dựng sàn giao dịch công nghệ của tỉnh, hoàn thành trong quý II năm 2026.",
    );
    expect(p.sections.find((s) => s.id === "I.1.a")!.heading).toContain("cà phê và rau hoa Đà Lạt");
    expect(p.meta).toMatchObject({
      id: "kh-15-kh-ubnd-2025",
      style: "plan",
      number: "15/KH-UBND",
      date: "2025-08-20",
      issuer: "Ủy ban nhân dân tỉnh Lâm Đồng",
      shortTitle: "Kế hoạch 15/KH-UBND",
      title: "Kế hoạch phát triển khoa học, công nghệ và đổi mới sáng tạo tỉnh Lâm Đồng năm 2026",
      status: "in_force",
    });
    expect(p.meta.file).toBe(`documents/kh-15-kh-ubnd-2025.${name.endsWith(".txt") ? "txt" : "md"}`);
    // Stored text: NFC, one paragraph per line, ends with a newline.
    expect(p.text.normalize("NFC")).toBe(p.text);
    expect(p.text.endsWith("\n")).toBe(true);
  });

  it("a decree with Điều/khoản/điểm is recognised as articles", async () => {
    const p = await prepare(await decreeDocx(), "nghi-dinh.docx");
    expect(p.meta).toMatchObject({
      id: "nd-99-2025-nd-cp",
      style: "articles",
      number: "99/2025/NĐ-CP",
      date: "2025-03-05",
      issuer: "Chính phủ",
    });
    expect(p.meta.title).toBe("Nghị định quy định về quỹ phát triển khoa học và công nghệ của địa phương");
    expect(p.sections.map((s) => s.id)).toEqual(["preamble", "D1", "D2", "D2.1", "D2.2", "D2.2.a", "D2.2.b", "D3"]);
    expect(p.sections.find((s) => s.id === "D2.1")!.heading).toBe("Vốn điều lệ do ngân sách tỉnh cấp lần đầu tối thiểu 20 tỷ đồng.");
  });

  it("Word's automatic point numbering restarts under each typed khoản", async () => {
    const p = await prepare(await autoNumberedDocx(), "qd.docx");
    expect(p.sections.map((s) => s.id)).toEqual(["D1", "D1.1", "D1.1.a", "D1.1.b", "D1.2", "D1.2.a", "D1.2.b", "D2"]);
    expect(p.sections.find((s) => s.id === "D1.2.a")!.heading).toBe("Vườn ươm công nghệ;");
  });

  it("operator overrides win over the header", async () => {
    const p = await prepareDocument(await planDocx(), "x.docx", {
      maxBytes: MAX,
      overrides: {
        id: "kh-lam-dong-2026",
        title: "Kế hoạch KH&CN Lâm Đồng 2026",
        number: "15/KH-UBND",
        date: "21/8/2025",
        issuer: "UBND tỉnh Lâm Đồng",
      },
    });
    expect(p.meta).toMatchObject({
      id: "kh-lam-dong-2026",
      title: "Kế hoạch KH&CN Lâm Đồng 2026",
      date: "2025-08-21",
      issuer: "UBND tỉnh Lâm Đồng",
    });
  });

  it("Markdown front matter is read as metadata", () => {
    const m = detectMetadata(
      "---\ntitle: Luật Khoa học\nnumber: 93/2025/QH15\ndate: 2025-06-27\nissuer: Quốc hội\n---\nĐiều 1. A\nx\nĐiều 2. B\ny\n",
    );
    expect(m).toMatchObject({ title: "Luật Khoa học", number: "93/2025/QH15", date: "2025-06-27", issuer: "Quốc hội", style: "articles" });
  });

  it("issuers are written as Vietnamese writes them", () => {
    expect(prettyIssuer("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG")).toBe("Ủy ban nhân dân tỉnh Đắk Nông");
    expect(prettyIssuer("BỘ KHOA HỌC VÀ CÔNG NGHỆ")).toBe("Bộ Khoa học và Công nghệ");
    expect(prettyIssuer("TỈNH ỦY LÂM ĐỒNG")).toBe("Tỉnh ủy Lâm Đồng");
    expect(prettyIssuer("BỘ CHÍNH TRỊ")).toBe("Bộ Chính trị");
  });

  it("caption and command-line options parse the same way (phone quotes and dashes too)", () => {
    const { flags, positionals } = parseFlags(splitArgs("kh-1 —title “Kế hoạch mới” --replace --supersedes kh-ctr77,kl-69-tw-2024"));
    expect(positionals).toEqual(["kh-1"]);
    expect(flags).toMatchObject({ title: ["Kế hoạch mới"], replace: true, supersedes: ["kh-ctr77,kl-69-tw-2024"] });
  });
});

describe("bad input is refused with a clear Vietnamese message", () => {
  it("empty file", async () => {
    expect((await refusal(prepare(Buffer.alloc(0), "a.docx"))).vi).toMatch(/rỗng/);
    expect((await refusal(prepare(Buffer.from("  \n\n "), "a.md"))).code).toBe("empty");
  });

  it("PDF without a text layer (a scan)", async () => {
    const err = await refusal(prepare(await scannedPdf(), "scan.pdf"));
    expect(err.code).toBe("no_text_layer");
    expect(err.vi).toContain("PDF không có lớp văn bản (bản scan) — cần bản có chữ hoặc DOCX");
  });

  it("wrong or lying extension", async () => {
    const docx = await planDocx();
    const pdf = await planPdf();
    expect((await refusal(prepare(docx, "ke-hoach.pdf"))).vi).toMatch(/đuôi \.pdf nhưng nội dung không phải PDF.*Word/);
    expect((await refusal(prepare(pdf, "ke-hoach.docx"))).vi).toMatch(/đuôi \.docx nhưng nội dung không phải Word.*PDF/);
    expect((await refusal(prepare(pdf, "ke-hoach.txt"))).code).toBe("wrong_extension");
    expect((await refusal(prepare(Buffer.from("xin chào"), "ke-hoach.docx"))).code).toBe("wrong_extension");
    expect((await refusal(prepare(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), "cu.docx"))).vi).toMatch(/Word đời cũ/);
    expect((await refusal(prepare(Buffer.from("abc"), "bang.xlsx"))).code).toBe("unsupported");
    expect((await refusal(prepare(Buffer.from("abc"), "cu.doc"))).vi).toMatch(/\.docx/);
  });

  it("corrupt DOCX", async () => {
    expect((await refusal(prepare(corruptDocx(), "hong.docx"))).code).toBe("corrupt_docx");
    const err = await refusal(prepare(truncatedDocx(await planDocx()), "cut.docx"));
    expect(err.code).toBe("corrupt_docx");
    expect(err.vi).toMatch(/bị hỏng/);
  });

  it("corrupt PDF", async () => {
    const pdf = await planPdf();
    const broken = Buffer.concat([pdf.subarray(0, 40), Buffer.alloc(400, 0x41)]);
    expect((await refusal(prepare(broken, "hong.pdf"))).code).toMatch(/corrupt_pdf|no_text_layer/);
  });

  it("text that is not UTF-8, or binary", async () => {
    // "Kế hoạch" in Windows-1258-like single bytes.
    expect((await refusal(prepare(Buffer.from([0x4b, 0xea, 0xcc, 0x20, 0x68, 0x6f, 0xe0]), "a.txt"))).vi).toMatch(/UTF-8/);
    expect((await refusal(prepare(Buffer.from("Điều 1.\u0000abc"), "a.md"))).code).toBe("not_utf8");
  });

  it("a file over the size limit", async () => {
    const err = await refusal(prepareDocument(Buffer.alloc(2048, 0x61), "big.txt", { maxBytes: 1024 }));
    expect(err.code).toBe("too_large");
    expect(err.vi).toMatch(/vượt giới hạn/);
    expect(() => sniffFormat(Buffer.alloc(10), "a.txt", 5)).toThrow(CorpusError);
  });

  it("an id that could escape the corpus directory", async () => {
    const err = await refusal(
      prepareDocument(Buffer.from(planMarkdown()), "a.md", { maxBytes: MAX, overrides: { id: "../../etc/passwd" } }),
    );
    expect(err.code).toBe("bad_id");
  });

  it("text without any section", async () => {
    expect((await refusal(prepare(Buffer.from("Nơi nhận:\n"), "a.md"))).code).toBe("no_sections");
  });
});
