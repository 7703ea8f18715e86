// Documents known by name (laws, codes, the constitution): names derived from their titles at ingestion, asked by
// name, aliases with commas from the command line, and `corpus remove` taking the profile texts derived from a
// document with it. Fixtures are our own (a test law, the test plan), not the shipped corpus.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { overridesFrom, parseFlags } from "../../src/admin/args.js";
import { abstainText } from "../../src/answer/compose.js";
import { corpusAdmin, openAssistant } from "../../src/app.js";
import { deriveAliases, detectMetadata } from "../../src/corpus/ingest/metadata.js";
import { readManifest, writeManifest } from "../../src/corpus/manifest.js";
import { DocumentNames } from "../../src/corpus/names.js";
import { profileWithout } from "../../src/corpus/profile.js";
import type { DocumentMeta } from "../../src/types.js";
import { TINY_DOC, testConfig, tinyCorpus } from "../core/helpers.js";

const LAW = `---
title: Luật Phòng, chống thiên tai thử nghiệm
number: 99/2031/QH99
issuer: Quốc hội
---

Điều 1. Phạm vi điều chỉnh
Luật này quy định về hoạt động phòng, chống thiên tai thử nghiệm tại các khu dân cư ven sông.

Điều 2. Trách nhiệm của hộ gia đình
Hộ gia đình ở khu dân cư ven sông phải dự trữ lương thực và nước uống đủ dùng trong 07 ngày của mùa mưa bão.

Điều 3. Hiệu lực thi hành
Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2032.
`;

describe("names from titles", () => {
  it("a law gets its name, with the year and its initials; a code its initials; the constitution its kind", () => {
    const law = detectMetadata(LAW);
    expect(law.shortTitle).toBe("Luật Phòng, chống thiên tai thử nghiệm 99/2031/QH99");
    expect(deriveAliases(law)).toEqual(
      expect.arrayContaining([
        "99/2031/QH99",
        "Luật 99",
        "Luật Phòng, chống thiên tai thử nghiệm",
        "Luật Phòng, chống thiên tai thử nghiệm 2031",
        "Luật PCTTTN",
      ]),
    );
    const code = deriveAliases({ docType: "Bộ luật", title: "Bộ luật Lao động", number: "45/2019/QH14" });
    expect(code).toEqual(expect.arrayContaining(["Bộ luật Lao động", "Bộ luật Lao động 2019", "Bộ luật Lao động năm 2019", "BLLĐ"]));
    expect(code).not.toContain("LUAT 45");
    const family = deriveAliases({ docType: "Luật", title: "Luật Hộ tịch và gia đình thử", number: "1/2030/QH1" });
    expect(family).toEqual(expect.arrayContaining(["Luật HTGĐT", "Luật HT&GĐT"]));
    const constitution = deriveAliases({ title: "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 1992" });
    expect(constitution).toEqual(["Hiến pháp", "Hiến pháp 1992", "Hiến pháp năm 1992"]);
    // A plan is called by its number, not by the words of its subject.
    expect(deriveAliases({ docType: "Kế hoạch", title: "Kế hoạch phát triển du lịch", number: "12/KH-UBND" })).not.toContain(
      "Kế hoạch phát triển du lịch",
    );
    // An amending law's title is a subject, not a name.
    expect(deriveAliases({ docType: "Luật", title: "Luật sửa đổi, bổ sung một số điều của Luật Thử", number: "2/2030/QH1" })).toEqual(
      expect.not.arrayContaining(["Luật sửa đổi, bổ sung một số điều của Luật Thử"]),
    );
  });

  it("--alias keeps commas inside a name; the flag repeats and ';' separates", () => {
    const { flags } = parseFlags(["--alias", "Luật Phòng, chống thiên tai; Luật PCTT", "--alias", "Luật số 99, năm 2031"]);
    expect(overridesFrom(flags).aliases).toEqual(["Luật Phòng, chống thiên tai", "Luật PCTT", "Luật số 99, năm 2031"]);
  });
});

describe("a corpus change by name", () => {
  const config = testConfig({ corpusDir: tinyCorpus() });
  afterAll(() => {
    for (const dir of [path.dirname(config.corpusDir), config.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a law added is answered by its name; removing the plan takes the texts derived from it", async () => {
    const m = readManifest(config.corpusDir);
    m.documents[0]!.aliases = ["Kế hoạch 15", "KH 15"];
    m.profile = {
      assistant: {
        name: "Trợ lý Kế hoạch 15",
        description: "Kế hoạch 15/KH-UBND của tỉnh Lâm Đồng",
        topics: ["Kế hoạch 15/KH-UBND: nhiệm vụ các sở", "Thiên tai (Kế hoạch 15/KH-UBND, Luật 99/2031/QH99)"],
        examples: ["Kế hoạch 15 giao Sở nào chủ trì?", "Hộ gia đình phải dự trữ gì?"],
      },
      province: { name: "Lâm Đồng", localWords: ["Đà Lạt"] },
      priors: { [TINY_DOC]: 1.2 },
    };
    writeManifest(config.corpusDir, m);
    const admin = corpusAdmin(config);
    const added = await admin.add({ bytes: Buffer.from(LAW), fileName: "luat-thu.md" });
    const id = added.document!.id;
    expect(added.document!.aliases).toContain("Luật Phòng, chống thiên tai thử nghiệm");

    const assistant = await openAssistant(config);
    const asked = await assistant.ask("luat phong chong thien tai thu nghiem co hieu luc tu ngay nao");
    expect(asked.abstained).toBe(false);
    expect(asked.citations[0]).toMatchObject({ doc: id, section: "D3" });

    // A law the corpus does not hold, named by its title: said so instead of quoting another law.
    const missing = await assistant.ask("Luật Đê điều quy định hộ gia đình phải dự trữ gì?");
    expect(missing.abstained).toBe(true);
    expect(missing.answer).toMatch(/^Luật Đê điều chưa có trong kho văn bản/);
    const inPassing = await assistant.ask("Hộ gia đình ven sông phải dự trữ gì, có giống Luật Đê điều không?");
    expect(inPassing.citations[0]).toMatchObject({ doc: id, section: "D2" });
    expect(inPassing.answer).toContain("Lưu ý: Luật Đê điều chưa có trong kho văn bản");

    await admin.remove(TINY_DOC);
    const profile = readManifest(config.corpusDir).profile!;
    expect(profile.assistant).toEqual({
      name: "Trợ lý hỏi đáp văn bản",
      description: "",
      topics: ["Thiên tai (Luật 99/2031/QH99)"],
      examples: ["Hộ gia đình phải dự trữ gì?"],
    });
    expect(profile.province).toEqual({ name: "", localWords: [] });
    expect(profile.priors).toEqual({});
    const after = await openAssistant(config);
    expect(abstainText(after.index())).not.toContain("Kế hoạch 15");
  });

  it("profileWithout keeps a text that names only documents that stay", () => {
    const doc = (id: string, number: string): DocumentMeta => ({
      id,
      file: `documents/${id}.md`,
      style: "articles",
      title: `Luật ${number}`,
      shortTitle: `Luật ${number}`,
      number,
      issuer: "Quốc hội",
      date: null,
      status: "in_force",
      aliases: [],
      source: "",
      completeness: "",
    });
    const docs = [doc("luat-a", "1/2030/QH1"), doc("luat-b", "2/2030/QH1")];
    const profile = {
      assistant: { name: "Trợ lý", description: "", topics: ["Luật 2/2030/QH1", "Chung (1/2030/QH1; 2/2030/QH1)"], examples: [] },
      province: { name: "", localWords: [] },
      priors: {},
    };
    expect(profileWithout(profile, docs, "luat-a").assistant.topics).toEqual(["Luật 2/2030/QH1", "Chung (2/2030/QH1)"]);
  });
});

describe("names written with an ampersand", () => {
  const doc = (id: string, aliases: string[]): DocumentMeta =>
    ({ id, file: `${id}.md`, title: id, shortTitle: id, style: "articles", aliases }) as DocumentMeta;
  const names = new DocumentNames([doc("luat-pctt", ["Luật PCTT"]), doc("nq-9", ["Nghị quyết phòng chống"])]);

  it("finds initials typed with or without '&' as one name", () => {
    expect(names.mentioned("theo Luật PC&TT thì hộ gia đình phải làm gì").ids).toEqual(["luat-pctt"]);
    expect(names.mentioned("theo luat pc & tt").ids).toEqual(["luat-pctt"]);
    expect(names.mentioned("ý tôi là theo Luật PC&TT chứ không phải Nghị quyết phòng chống").ids).toEqual(["luat-pctt", "nq-9"]);
    // An ampersand between whole words still separates them.
    expect(names.mentioned("Luật PC & 9").ids).toEqual([]);
  });
});
