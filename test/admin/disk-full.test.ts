// Disk full during a change (ENOSPC simulated at the file-system calls that write the lock and the staging copy):
// a Vietnamese refusal that HTTP answers with 507, nothing changed, and no lock left behind to block the next one.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CorpusAdmin } from "../../src/admin/corpus-admin.js";
import { lockPath } from "../../src/admin/files.js";
import { acquireLock } from "../../src/admin/lock.js";
import { corpusAdmin } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { httpStatusOf } from "../../src/corpus/ingest/index.js";
import { testConfig } from "../core/helpers.js";
import { planMarkdown } from "../corpus/fixtures.js";
import { corpusState, refused } from "./helpers.js";

let config: Config;
let admin: CorpusAdmin;

beforeAll(() => {
  config = testConfig({ copyCorpus: true });
  admin = corpusAdmin(config);
});

afterAll(() => {
  vi.restoreAllMocks();
  for (const dir of [path.dirname(config.corpusDir), config.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
});

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
const upload = () => admin.add({ bytes: Buffer.from(planMarkdown()), fileName: "ke-hoach-15.md" });

describe("disk full during a change", () => {
  it("writing the lock fails: 507 in Vietnamese, and no empty lock file is left", async () => {
    const before = corpusState(config);
    const spy = vi.spyOn(fs, "writeSync").mockImplementationOnce(() => {
      throw enospc();
    });
    const err = await refused(upload(), "no_space");
    spy.mockRestore();
    expect(httpStatusOf(err)).toBe(507);
    expect(err.vi).toContain("hết dung lượng đĩa");
    expect(fs.existsSync(lockPath(config.dataDir))).toBe(false);
    expect(corpusState(config)).toEqual(before);
    acquireLock(config.dataDir, "the next change")(); // not "busy"
  });

  it("copying the corpus to staging fails: 507, the staging directory and the lock are gone", async () => {
    const before = corpusState(config);
    const copy = fs.copyFileSync;
    const spy = vi.spyOn(fs, "copyFileSync").mockImplementation((from, to, mode) => {
      if (String(to).includes("corpus-work")) throw enospc();
      return copy(from, to, mode);
    });
    const err = await refused(upload(), "no_space").finally(() => spy.mockRestore());
    expect(httpStatusOf(err)).toBe(507);
    expect(fs.existsSync(lockPath(config.dataDir))).toBe(false);
    const work = path.join(config.dataDir, "corpus-work");
    expect(fs.existsSync(work) ? fs.readdirSync(work).filter((d) => d.startsWith("staging-")) : []).toEqual([]);
    expect(corpusState(config)).toEqual(before);
  });
});
