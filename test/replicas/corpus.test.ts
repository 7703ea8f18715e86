// Corpus and index versions shared through PostgreSQL: a document added through replica A's /admin is answered by
// replica B within 5 s; `kill -9` of A in the middle of a change leaves B serving the previous version and the
// shared corpus unchanged, and the change can be retried.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DECREE_LINES, PLAN_QUESTION, planMarkdown } from "../corpus/fixtures.js";
import { fixtureCorpus, startReplica, type Replica } from "./harness.js";
import { createDatabase } from "./postgres.js";

const TOKEN = "replica-admin-token-0123456789";
const DECREE_QUESTION = "Vốn điều lệ của quỹ tối thiểu bao nhiêu?";
const DECREE_ID = "nd-99-2025-nd-cp";
const PLAN_ID = "kh-15-kh-ubnd-2025";

let databaseUrl = "";
let a: Replica;
let b: Replica;

beforeAll(async () => {
  databaseUrl = await createDatabase(inject("pgAdminUrl"), "corpus");
  // Each replica has a corpus directory of its own, as on separate machines.
  const env = (name: string) => ({ DATABASE_URL: databaseUrl, ADMIN_TOKEN: TOKEN, CORPUS_DIR: fixtureCorpus(30).dir, name });
  a = await startReplica("a", env("a"));
  b = await startReplica("b", env("b"));
});

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
});

const upload = (r: Replica, fileName: string, text: string) =>
  fetch(`${r.url}/admin/documents?filename=${encodeURIComponent(fileName)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "text/markdown" },
    body: text,
  });

async function firstCitedDoc(r: Replica, question: string): Promise<string | undefined> {
  const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) };
  const res = await fetch(`${r.url}/api/ask`, init);
  const body = (await res.json()) as { abstained: boolean; citations: Array<{ doc: string }> };
  return body.abstained ? undefined : body.citations[0]?.doc;
}

const versionOf = async (r: Replica) =>
  ((await (await fetch(`${r.url}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { index: { version: string } })
    .index.version;

async function sharedState(): Promise<{ current: string; versions: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const current = (await client.query<{ version: string }>("SELECT version FROM corpus_current")).rows[0]!.version;
    const versions = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM corpus_versions")).rows[0]!.n);
    return { current, versions };
  } finally {
    await client.end();
  }
}

describe("shared corpus and index versions", () => {
  it("B loads the version A built instead of rebuilding", async () => {
    expect(await versionOf(b)).toBe(await versionOf(a));
    expect(b.output()).toContain("index version loaded from the database");
    expect(b.output()).not.toContain("index version built");
  });

  it("a document added through A's /admin is answered by B within 5 s", async () => {
    expect(await firstCitedDoc(b, PLAN_QUESTION.question)).not.toBe(PLAN_ID);
    const res = await upload(a, "Kế hoạch 15.md", planMarkdown());
    expect(res.status, await res.clone().text()).toBe(201);
    const added = Date.now();
    let cited: string | undefined;
    while (Date.now() - added < 5000 && (cited = await firstCitedDoc(b, PLAN_QUESTION.question)) !== PLAN_ID)
      await new Promise((r) => setTimeout(r, 100));
    expect(cited).toBe(PLAN_ID);
    expect(await versionOf(b)).toBe(await versionOf(a));
  });

  it("kill -9 of A in the middle of a change leaves B on the previous version and the corpus unchanged; it can be retried", async () => {
    const before = await sharedState();
    const versionBefore = await versionOf(b);
    const pending = upload(a, "Nghị định 99.md", DECREE_LINES.join("\n\n")).then(
      (r) => r.status,
      () => "killed" as const,
    );
    await new Promise((r) => setTimeout(r, 150)); // the upload is read, converted, staged, built: A dies in between
    await a.kill();
    expect(await pending).toBe("killed");
    await new Promise((r) => setTimeout(r, 2000)); // longer than B's version check period
    expect(await sharedState()).toEqual(before);
    expect(await versionOf(b)).toBe(versionBefore);
    expect(await firstCitedDoc(b, DECREE_QUESTION)).not.toBe(DECREE_ID);
    expect(await firstCitedDoc(b, PLAN_QUESTION.question)).toBe(PLAN_ID);

    const retried = await upload(b, "Nghị định 99.md", DECREE_LINES.join("\n\n"));
    expect(retried.status, await retried.clone().text()).toBe(201);
    expect(await firstCitedDoc(b, DECREE_QUESTION)).toBe(DECREE_ID);
    expect((await sharedState()).versions).toBe(before.versions + 1);
  });
});
