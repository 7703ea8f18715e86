// What the console's preview warns about: old font encodings, little text, lost numbering, very short sections.
import { Document, Packer, Paragraph, TextRun } from "docx";
import { describe, expect, it } from "vitest";
import { legacyEncoding, previewWarnings } from "../../src/console/preview.js";
import { prepareDocument } from "../../src/corpus/ingest/index.js";
import { planDocx, planMarkdown } from "../corpus/fixtures.js";

const TCVN3 = [
  "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
  "§éc lËp - Tù do - H¹nh phóc",
  "KÕ ho¹ch",
  "Ph¸t triÓn khoa häc vµ c«ng nghÖ n¨m 2026",
  "I. Môc ®Ých, yªu cÇu",
  "1. Thóc ®Èy øng dông c«ng nghÖ cao trong s¶n xuÊt n«ng nghiÖp.",
  "2. Hç trî doanh nghiÖp khëi nghiÖp s¸ng t¹o tiÕp cËn v­ên ­¬m c«ng nghÖ.",
];
const VNI = [
  "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
  "Ñoäc laäp - Töï do - Haïnh phuùc",
  "Keá hoaïch phaùt trieån khoa hoïc vaø coâng ngheä naêm 2026",
  "I. Muïc ñích, yeâu caàu",
  "1. Thuùc ñaåy öùng duïng coâng ngheä cao trong saûn xuaát noâng nghieäp.",
];

const docx = async (lines: string[]) =>
  Buffer.from(
    await Packer.toBuffer(new Document({ sections: [{ children: lines.map((l) => new Paragraph({ children: [new TextRun(l)] })) }] })),
  );
const codes = (w: { code: string }[]) => w.map((x) => x.code);

describe("preview warnings", () => {
  it("recognises TCVN3 and VNI text, and not Unicode Vietnamese", () => {
    expect(legacyEncoding(TCVN3.join("\n"))).toBe("tcvn3");
    expect(legacyEncoding(VNI.join("\n"))).toBe("vni");
    expect(legacyEncoding(planMarkdown())).toBeNull();
    // A few stray symbols in a Unicode text are not an encoding problem.
    expect(legacyEncoding(`${planMarkdown()}\n© 2025 · § 3 · ½ ngày`)).toBeNull();
  });

  it("converts a DOCX typed in TCVN3 and says so; warns when legacy text is left in a Unicode font", async () => {
    const prepared = await prepareDocument(await docx(TCVN3), "ke-hoach-cu.docx", { maxBytes: 1e7 });
    const warnings = previewWarnings(prepared);
    expect(codes(warnings)).toContain("legacy_font_converted");
    expect(codes(warnings)).not.toContain("legacy_font");
    expect(prepared.text).toContain("Cộng hoà xã hội chủ nghĩa Việt Nam");
    expect(prepared.text).toContain("Hỗ trợ doanh nghiệp khởi nghiệp sáng tạo tiếp cận vườn ươm công nghệ.");

    // Runs that name a Unicode font are never converted: the text stays as it is, with a warning.
    const arial = Buffer.from(
      await Packer.toBuffer(
        new Document({
          sections: [{ children: TCVN3.map((l) => new Paragraph({ children: [new TextRun({ text: l, font: "Arial" })] })) }],
        }),
      ),
    );
    const left = await prepareDocument(arial, "ke-hoach-arial.docx", { maxBytes: 1e7 });
    expect(left.notes.legacyFont).toBeUndefined();
    expect(previewWarnings(left).find((w) => w.code === "legacy_font")!.text).toContain("TCVN3");
  });

  it("warns about little text, no numbered headings and very short sections; not for a sound plan", async () => {
    const flat = await prepareDocument(
      Buffer.from("Thông báo\n\nCuộc họp giao ban chuyển sang sáng thứ Hai tuần sau tại phòng họp số 2.\n"),
      "thong-bao.txt",
      { maxBytes: 1e7 },
    );
    expect(codes(previewWarnings(flat))).toEqual(expect.arrayContaining(["little_text", "no_numbering"]));

    const short = await prepareDocument(Buffer.from(`${planMarkdown()}\nIV. KINH PHÍ\n\n1. Ngân sách.\n`), "kh-ngan.md", { maxBytes: 1e7 });
    const w = previewWarnings(short).find((x) => x.code === "short_sections");
    expect(w?.text).toContain("Mục IV.1");

    const sound = await prepareDocument(await planDocx(), "ke-hoach.docx", { maxBytes: 1e7 });
    expect(previewWarnings(sound)).toEqual([]);
  });
});
