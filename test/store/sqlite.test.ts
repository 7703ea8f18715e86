// The storage contract on the default implementation: SQLite files under one DATA_DIR, in-process guards.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { openSqliteStores } from "../../src/store/index.js";
import { storeContract } from "./contract.js";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-store-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

storeContract("sqlite", async () => openSqliteStores(dataDir), { sharedGuards: false });
