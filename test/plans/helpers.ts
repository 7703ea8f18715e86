// Corpora with plans of other provinces, built the way staff build them: the shipped corpus copied, then each
// fixture plan (test/fixtures/plans, written for these tests) added through the `corpus add` operation.
import fs from "node:fs";
import path from "node:path";
import type { Assistant } from "../../src/answer/index.js";
import { corpusAdmin, openAssistant } from "../../src/app.js";
import type { CorpusAdmin } from "../../src/admin/corpus-admin.js";
import type { Config } from "../../src/config.js";
import { testConfig } from "../core/helpers.js";

export const FIXTURE_PLANS = path.resolve(import.meta.dirname, "../fixtures/plans");

/** Fixture plans: file, the id `corpus add` derives from its header, and its province. */
export const PLAN_412 = { file: "kh-412-ha-tinh.txt", id: "kh-412-kh-ubnd-2025", province: "Hà Tĩnh" };
export const PLAN_95 = { file: "kh-95-gia-lai.txt", id: "kh-95-kh-ubnd-2025", province: "Gia Lai" };

export interface PlansCorpus {
  config: Config;
  admin: CorpusAdmin;
  assistant: Assistant;
  cleanup(): void;
}

/** The shipped corpus (copied) with the given fixture plans added as `reference`, as `npm run corpus -- add` does. */
export async function corpusWithPlans(plans: Array<{ file: string }>): Promise<PlansCorpus> {
  const config = testConfig({ copyCorpus: true });
  const assistant = await openAssistant(config);
  const admin = corpusAdmin(config, { onSwitch: (index) => assistant.swap(index) });
  for (const p of plans) await admin.add({ bytes: fs.readFileSync(path.join(FIXTURE_PLANS, p.file)), fileName: p.file });
  const cleanup = () => {
    for (const dir of [path.dirname(config.corpusDir), config.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  };
  return { config, admin, assistant, cleanup };
}
