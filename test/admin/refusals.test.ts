// Corpus changes refused before anything is built: bad files, duplicates, paths outside the corpus, unknown
// ids. Each refusal is a Vietnamese CorpusError and the corpus, versions and originals stay byte-for-byte the same.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChange as runChangeWith, type Stage } from "../../src/admin/change.js";
import type { CorpusAdmin } from "../../src/admin/corpus-admin.js";
import { answerChecks, corpusAdmin as createCorpusAdmin } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { testConfig } from "../core/helpers.js";
import { corruptDocx, planDocx, planPdf, scannedPdf } from "../corpus/fixtures.js";
import { corpusState, refused } from "./helpers.js";

let config: Config;
let admin: CorpusAdmin;
const runChange = (c: Config, action: string, apply: (stage: Stage) => void) => runChangeWith(c, action, apply, { checks: answerChecks });

beforeAll(() => {
  config = testConfig({ copyCorpus: true });
  admin = createCorpusAdmin(config);
});

afterAll(() => {
  for (const dir of [path.dirname(config.corpusDir), config.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
});

const state = () => corpusState(config);

describe("corpus changes refused before a build", () => {
  it("every bad input is refused and the corpus stays byte-for-byte the same", async () => {
    const before = state();
    const add = (bytes: Buffer, fileName: string, extra: Partial<Parameters<CorpusAdmin["add"]>[0]> = {}) =>
      admin.add({ bytes, fileName, ...extra });
    const docx = await planDocx();

    await refused(add(Buffer.alloc(0), "rong.docx"), "empty");
    await refused(add(await scannedPdf(), "scan.pdf"), "no_text_layer");
    await refused(add(docx, "ke-hoach.pdf"), "wrong_extension");
    await refused(add(await planPdf(), "ke-hoach.txt"), "wrong_extension");
    await refused(add(corruptDocx(), "hong.docx"), "corrupt_docx");
    await refused(add(Buffer.from([0x4b, 0xea, 0xcc]), "latin.txt"), "not_utf8");
    const small = createCorpusAdmin({ ...config, UPLOAD_MAX_BYTES: 1000 });
    await refused(small.add({ bytes: docx, fileName: "ke-hoach.docx" }), "too_large");
    const dup = await refused(add(docx, "ke-hoach.docx", { overrides: { id: "kh-ctr77" } }), "duplicate_id");
    expect(dup.vi).toContain("kh-ctr77");
    const planText = fs.readFileSync(path.join(config.corpusDir, "documents/kl-69-tw-2024.md"));
    await refused(add(planText, "ban-sao.md", { overrides: { id: "kl-69-ban-sao" } }), "duplicate_content");
    // Paths outside the corpus: through an id, or a manifest entry pointing out of it.
    await refused(add(docx, "ke-hoach.docx", { overrides: { id: "../../ngoai" } }), "bad_id");
    await refused(admin.remove("../manifest"), "bad_id");
    await refused(
      runChange(config, "evil", (stage) => stage.writeFile("../../outside.md", "Điều 1. X\nnội dung")),
      "outside_corpus",
    );
    await refused(
      runChange(config, "evil-manifest", (stage) => {
        stage.manifest.documents[0]!.file = "../outside.md";
      }),
      "bad_meta",
    );
    await refused(admin.remove("khong-co"), "not_found");
    await refused(admin.setStatus("kh-ctr77", "superseded"), "usage");
    await refused(admin.setStatus("kh-ctr77", "superseded", "khong-co-van-ban"), "not_found");

    expect(state()).toEqual(before);
    expect(fs.readdirSync(path.join(config.dataDir, "corpus-work"))).toEqual([]);
  });
});
