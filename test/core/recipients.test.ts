// "Nơi nhận gồm những ai?", "văn bản đó gửi cho những nơi nào?": the distribution list of the document, quoted whole
// (the ranking alone gave it to a reporting item, whose words match better); "báo cáo gửi cho ai?" still asks the
// reporting duty. Our own fixture plan (Lâm Đồng, test/corpus/fixtures.ts).
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openAssistant } from "../../src/app.js";
import { asksRecipients } from "../../src/retrieve/query.js";
import { TINY_DOC, testConfig, tinyCorpus } from "./helpers.js";

describe("the distribution list asked", () => {
  it("is told apart from a reporting question", () => {
    for (const q of [
      "Nơi nhận gồm những ai?",
      "ke hoach nay gui cho nhung noi nao",
      "kế hoạch đó có được gửi tới các đơn vị nào?",
      "Who are the recipients of the plan?",
    ])
      expect(asksRecipients(q), q).toBe(true);
    for (const q of ["Báo cáo gửi cho những cơ quan nào?", "Sở nào nhận hồ sơ?", "kế hoạch giao cho những đơn vị nào chủ trì?"])
      expect(asksRecipients(q), q).toBe(false);
  });

  const config = testConfig({ corpusDir: tinyCorpus() });
  afterAll(() => {
    for (const dir of [path.dirname(config.corpusDir), config.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is answered from the document's Nơi nhận, every item, verbatim", async () => {
    const assistant = await openAssistant(config);
    const a = await assistant.ask("Kế hoạch thử Lâm Đồng: nơi nhận gồm những ai?");
    expect(a.abstained).toBe(false);
    expect(a.citations[0]).toMatchObject({ doc: TINY_DOC, section: "recipients" });
    expect(a.lead).toMatch(/^Nơi nhận của Kế hoạch thử Lâm Đồng: Bộ Khoa học và Công nghệ; Lưu: VT\.$/);
    const source = fs.readFileSync(path.join(config.corpusDir, "documents", `${TINY_DOC}.md`), "utf8").replace(/\s+/g, " ");
    expect(source).toContain(a.citations[0]!.quote);
  });
});
