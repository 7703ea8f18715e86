// Index versions over a one-document corpus of our own (builds take milliseconds): reuse while unchanged,
// rebuild after a change, and a failed rebuild leaves the previous version serving.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createAssistant } from "../../src/answer/index.js";
import { currentVersion, listVersions, openIndex } from "../../src/index/store.js";
import { testConfig, TINY_DOC, tinyCorpus } from "./helpers.js";

const planFile = (corpusDir: string) => path.join(corpusDir, `documents/${TINY_DOC}.md`);

describe("index versions", () => {
  it("reuses the index while the corpus is unchanged and rebuilds after a change", async () => {
    const config = testConfig({ corpusDir: tinyCorpus() });
    const first = await openIndex(config);
    const again = await openIndex(config);
    expect(again.meta.version).toBe(first.meta.version);

    const plan = planFile(config.corpusDir);
    fs.writeFileSync(
      plan,
      fs
        .readFileSync(plan, "utf8")
        .replace("III. TỔ CHỨC THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Tài chính tổ chức hội thảo về cây mắc ca mỗi quý."),
    );
    const rebuilt = await openIndex(config);
    expect(rebuilt.meta.version).not.toBe(first.meta.version);
    expect(currentVersion(config.dataDir)).toBe(rebuilt.meta.version);
    expect(listVersions(config.dataDir).map((v) => v.version)).toContain(first.meta.version);
    const assistant = await createAssistant(config);
    const a = await assistant.ask("hội thảo về cây mắc ca");
    expect(a.citations[0]).toMatchObject({ doc: TINY_DOC, section: "III.1" });
    expect(a.citations[0]!.quote).toContain("hội thảo về cây mắc ca mỗi quý");
  });

  it("a failed rebuild leaves the previous version serving", async () => {
    const config = testConfig({ corpusDir: tinyCorpus() });
    const first = await openIndex(config);
    fs.writeFileSync(planFile(config.corpusDir), "");
    await expect(openIndex(config)).rejects.toThrow(new RegExp(`${TINY_DOC} is empty`));
    expect(currentVersion(config.dataDir)).toBe(first.meta.version);
    expect(fs.readdirSync(path.join(config.dataDir, "index")).filter((n) => n.startsWith("tmp-"))).toEqual([]);
  });
});
