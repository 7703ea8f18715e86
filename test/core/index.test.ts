import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createAssistant } from "../../src/answer/index.js";
import { currentVersion, listVersions, openIndex } from "../../src/index/store.js";
import { testConfig } from "./helpers.js";

describe("index versions", () => {
  it("reuses the index while the corpus is unchanged and rebuilds after a change", async () => {
    const config = testConfig({ copyCorpus: true });
    const first = await openIndex(config);
    const again = await openIndex(config);
    expect(again.meta.version).toBe(first.meta.version);

    const plan = path.join(config.corpusDir, "documents/kh-ctr77.txt");
    fs.writeFileSync(
      plan,
      fs.readFileSync(plan, "utf8").replace(
        "IV. CHẾ ĐỘ BÁO CÁO",
        "IV. CHẾ ĐỘ BÁO CÁO\n\n4. Sở Khoa học và Công nghệ tổ chức hội thảo về cây mắc ca mỗi quý.",
      ),
    );
    const rebuilt = await openIndex(config);
    expect(rebuilt.meta.version).not.toBe(first.meta.version);
    expect(currentVersion(config.dataDir)).toBe(rebuilt.meta.version);
    expect(listVersions(config.dataDir).map((v) => v.version)).toContain(first.meta.version);
    const assistant = await createAssistant(config);
    const a = await assistant.ask("hội thảo về cây mắc ca");
    expect(a.citations[0]).toMatchObject({ doc: "kh-ctr77", section: "IV.4" });
  }, 60_000);

  it("a failed rebuild leaves the previous version serving", async () => {
    const config = testConfig({ copyCorpus: true });
    const first = await openIndex(config);
    fs.writeFileSync(path.join(config.corpusDir, "documents/kh-ctr77.txt"), "");
    await expect(openIndex(config)).rejects.toThrow(/kh-ctr77 is empty/);
    expect(currentVersion(config.dataDir)).toBe(first.meta.version);
    expect(fs.readdirSync(path.join(config.dataDir, "index")).filter((n) => n.startsWith("tmp-"))).toEqual([]);
  }, 60_000);
});
