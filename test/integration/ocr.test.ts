// Scanned PDFs read by OCR (Debian's tesseract-ocr + tesseract-ocr-vie, poppler-utils' pdftoppm), in the
// memory-capped conversion child as the server runs it: an image-only PDF of a plan is previewed (OCR named,
// with its confidence), added as the main plan, and answers a deadline question; the per-page and per-file
// time limits refuse in Vietnamese. Skipped, with the reason logged, only where tesseract is not installed
// (.ci/run installs it, so CI runs these).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/answer/index.js";
import { corpusAdmin } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { previewJson } from "../../src/console/preview.js";
import { DEFAULT_OCR, prepareDocument } from "../../src/corpus/ingest/index.js";
import { checkOcrTools } from "../../src/corpus/ingest/ocr.js";
import { readManifest } from "../../src/corpus/manifest.js";
import { agenciesOfIndex } from "../../src/duties/index.js";
import { currentVersion, loadVersion } from "../../src/index/store.js";
import { refusal } from "../admin/helpers.js";
import { emptyDataDir, ROOT, testDataDir } from "../channels/helpers.js";
import {
  canRenderScans,
  hanchotOf,
  scannedPlanPdf,
  TEMPLATE_DEADLINE,
  TEMPLATE_META,
  templatePlanLines,
} from "../corpus/template-fixtures.js";

async function missingTools(): Promise<string | null> {
  const fixture = canRenderScans();
  if (fixture) return fixture;
  return checkOcrTools(DEFAULT_OCR).then(
    () => null,
    (err: Error) => err.message,
  );
}

const skipReason = await missingTools();
if (skipReason) console.warn(`OCR tests skipped: ${skipReason} (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils)`);

describe.skipIf(skipReason !== null)("scanned PDFs read by OCR", () => {
  let scan: Buffer;
  beforeAll(async () => {
    // Two pages, as a scanned plan has: the header and first part, then the rest.
    scan = await scannedPlanPdf(templatePlanLines(), 200, 24);
  });

  it("previews an image-only plan read by OCR, adds it as the main plan, and answers its deadline", async () => {
    const corpusDir = path.join(emptyDataDir(), "corpus");
    fs.cpSync(path.join(ROOT, "test/console/fixtures/corpus"), corpusDir, { recursive: true });
    const config = loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: await testDataDir(corpusDir), LOG_LEVEL: "silent" });
    // worker: as in the server, conversion (and so OCR) runs in the memory-capped child process.
    const admin = corpusAdmin(config, { worker: true });

    const { prepared, staged } = await admin.stage({ bytes: scan, fileName: "ke-hoach-152-scan.pdf" });
    try {
      const json = previewJson(prepared, staged, agenciesOfIndex(staged.index));
      expect(json.conversion.ocr?.pages).toEqual([1, 2]);
      expect(json.conversion.ocr?.meanConfidence).toBeGreaterThanOrEqual(80);
      const ocr = json.warnings.find((w) => w.code === "ocr");
      expect(ocr?.text).toMatch(/2 trang được đọc bằng nhận dạng chữ \(OCR\), độ tin cậy trung bình \d+%/);
      expect(json.document).toMatchObject(TEMPLATE_META);
      expect(json.role).toMatchObject({ ask: true, suggested: "primary" });
      const ids = json.sections.map((s) => s.id);
      expect(ids).toEqual(expect.arrayContaining(["I.1.a", "II.1", "II.2", "III.1"]));
    } finally {
      staged.discard();
    }

    await admin.add({ bytes: scan, fileName: "ke-hoach-152-scan.pdf", overrides: { role: "primary" } });
    const doc = readManifest(corpusDir).documents.find((d) => d.number === TEMPLATE_META.number)!;
    expect(doc.completeness).toMatch(/nhận dạng chữ \(OCR\) 2 trang scan/);
    const index = await loadVersion(config, currentVersion(config.dataDir)!);
    const a = await answerQuestion(index, TEMPLATE_DEADLINE.question);
    expect(a.abstained).toBe(false);
    expect(a.citations[0]).toMatchObject({ doc: doc.id, section: "II.1" });
    expect(a.lead).toContain(TEMPLATE_DEADLINE.answer);
    const hanchot = hanchotOf(index);
    expect(hanchot).toContain("30/9/2025");
  });

  it("refuses in Vietnamese when a page or the whole file takes longer than its limit", async () => {
    const page = await refusal(prepareDocument(scan, "scan-cham.pdf", { maxBytes: 2e7, limits: { ocr: { pageMs: 100 } } }));
    expect(page.code).toBe("ocr_timeout");
    expect(page.vi).toContain("quá thời gian cho phép (0,1 giây cho trang 1)");
    expect(page.message).toContain("page limit (100 ms)");

    // Two pages cannot be rendered and read in 0.6 s on any machine seen (about 4 s here, 1.5 s on a fast one).
    const file = await refusal(
      prepareDocument(scan, "scan-cham.pdf", { maxBytes: 2e7, childHeapMb: 256, limits: { ocr: { pageMs: 60_000, fileMs: 600 } } }),
    );
    expect(file.code).toBe("ocr_timeout");
    expect(file.vi).toContain("cho cả tệp");
  });

  it("caps the memory of the OCR processes: a page that needs more is refused, not read at any cost", async () => {
    const err = await refusal(prepareDocument(scan, "scan-lon.pdf", { maxBytes: 2e7, limits: { ocr: { memoryMb: 40 } } }));
    expect(err.code).toBe("ocr_failed");
    expect(err.vi).toContain("Không nhận dạng được chữ trong bản scan «scan-lon.pdf»");
    expect(err.message).toMatch(/OCR failed: (pdftoppm|tesseract) failed on page 1/);
  });
});
