// The storage contract on PostgreSQL (a database of its own in the throwaway cluster), plus the migrations:
// applied once when several replicas start together, recorded by version.
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { openPgStores } from "../../src/store/pg/index.js";
import { storeContract } from "../store/contract.js";
import { createDatabase } from "./postgres.js";

let url = "";
beforeAll(async () => {
  url = await createDatabase(inject("pgAdminUrl"), "contract");
});

storeContract("postgres", () => openPgStores(url, { poolSize: 4 }), { sharedGuards: true });

describe("postgres: migrations", () => {
  it("replicas starting together apply each migration once", async () => {
    const fresh = await createDatabase(inject("pgAdminUrl"), "migrate");
    const stores = await Promise.all([1, 2, 3].map(() => openPgStores(fresh, { poolSize: 2 })));
    const client = new pg.Client({ connectionString: fresh });
    await client.connect();
    const versions = (await client.query<{ version: string }>("SELECT version FROM schema_migrations ORDER BY version")).rows;
    await client.end();
    for (const s of stores) await s.close();
    expect(versions.map((v) => v.version)).toContain("001_init");
    expect(new Set(versions.map((v) => v.version)).size).toBe(versions.length);
  });
});
