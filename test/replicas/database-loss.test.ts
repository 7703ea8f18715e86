// A replica survives its PostgreSQL: the connection holding the corpus-change lock terminated
// (pg_terminate_backend) or the whole server stopped (`pg_ctl stop -m immediate`) in the middle of an upload aborts
// that change cleanly (503 "thử lại", staging removed, conversion child killed) and the process keeps serving;
// with the database down questions are still answered and /readyz says degraded; a replica started while the
// database is down waits for it. A cluster of its own: this file stops and restarts the server.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECREE_LINES, planMarkdown } from "../corpus/fixtures.js";
import { fixtureCorpus, startReplica, type Replica } from "./harness.js";
import { createDatabase, startPostgres, type PostgresCluster } from "./postgres.js";

const TOKEN = "replica-admin-token-0123456789";
/** CHANGE_LOCK of src/store/pg/versions.ts (pg_locks shows a bigint key's low 32 bits as objid). */
const CHANGE_LOCK = 7_720_015;

let cluster: PostgresCluster;
let databaseUrl = "";
let replica: Replica;
let dataDir = "";

/** Polls an async `check` every `everyMs` until it returns a value; throws after `timeoutMs`. */
async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, label: string, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

let halted = false;
const halt = () => {
  cluster.halt();
  halted = true;
};
const resume = () => {
  if (halted) cluster.resume();
  halted = false;
};

const env = () => ({ DATABASE_URL: databaseUrl, ADMIN_TOKEN: TOKEN, CORPUS_DIR: fixtureCorpus(30).dir, DATA_DIR: dataDir });

beforeAll(async () => {
  cluster = await startPostgres();
  databaseUrl = await createDatabase(cluster.adminUrl, "loss");
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-loss-data-"));
  replica = await startReplica("loss", env());
});

afterAll(async () => {
  await replica?.stop();
  await cluster?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const upload = (fileName: string, text: string) =>
  fetch(`${replica.url}/admin/documents?filename=${encodeURIComponent(fileName)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "text/markdown" },
    body: text,
  });

/** Conversion children of the replica (forked convert-child processes), by pid. */
function conversionChildren(): number[] {
  const ps = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" });
  return ps
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, ...args]) => Number(ppid) === replica.child.pid && args.join(" ").includes("convert-child"))
    .map(([pid]) => Number(pid));
}

/** The backend holding the change lock, once a conversion is running under it. */
async function lockHolderDuringConversion(): Promise<number> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    return await waitFor(
      async () => {
        const r = await admin.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", [
          CHANGE_LOCK,
        ]);
        return r.rows[0] && conversionChildren().length ? r.rows[0].pid : undefined;
      },
      30_000,
      "a change converting under the lock",
      5,
    );
  } finally {
    await admin.end();
  }
}

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query("SELECT pg_terminate_backend($1)", [pid]);
  await admin.end();
}

const stagingLeft = () =>
  fs.readdirSync(path.join(dataDir, "corpus-work"), { withFileTypes: true }).filter((d) => d.name.startsWith("staging-"));

async function ask(question: string): Promise<{ status: number; body: { abstained?: boolean; citations?: unknown[] } }> {
  const res = await fetch(`${replica.url}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question }),
  });
  return { status: res.status, body: (await res.json()) as { abstained?: boolean; citations?: unknown[] } };
}

function expectAliveAndClean(): void {
  expect(replica.child.exitCode).toBeNull();
  expect(replica.output()).not.toMatch(/Unhandled 'error' event/);
  expect(conversionChildren()).toEqual([]);
  expect(stagingLeft()).toEqual([]);
}

describe("a replica whose database connection drops", () => {
  it("terminating the lock holder mid-upload aborts the change with 503 'thử lại'; the replica serves; a retry works", async () => {
    const pending = upload("Kế hoạch 15.md", planMarkdown());
    await terminate(await lockHolderDuringConversion());
    const res = await pending;
    const body = (await res.json()) as { error: string; code: string };
    expect(res.status).toBe(503);
    expect(body.code).toBe("interrupted");
    expect(body.error).toContain("thử lại");
    expectAliveAndClean();
    expect((await fetch(`${replica.url}/healthz`)).status).toBe(200);
    expect(replica.output()).toContain("corpus change lock lost");

    const retried = await upload("Kế hoạch 15.md", planMarkdown());
    expect(retried.status, await retried.clone().text()).toBe(201);
  });

  it("PostgreSQL stopped mid-upload: 503 'thử lại', questions still answered, /readyz degraded; all back after a restart", async () => {
    const pending = upload("Nghị định 99.md", DECREE_LINES.join("\n\n"));
    await lockHolderDuringConversion();
    halt();
    try {
      const res = await pending;
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toContain("thử lại");
      expectAliveAndClean();
      const answered = await ask("Ai chủ trì xây dựng sàn giao dịch công nghệ?");
      expect(answered.status).toBe(200);
      expect(answered.body.citations?.length).toBeGreaterThan(0);
      const ready = await fetch(`${replica.url}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ready.status).toBe(200); // it answers: a proxy keeps it in rotation
      expect(await ready.json()).toMatchObject({ status: "degraded", database: { kind: "postgres", ok: false } });
      expect(replica.output()).toMatch(/database unavailable: .*skipped/);
    } finally {
      resume();
    }
    await waitFor(
      async () => ((await (await fetch(`${replica.url}/readyz`)).json()) as { status: string }).status === "ready",
      30_000,
      "ready again",
    );
    const retried = await upload("Nghị định 99.md", DECREE_LINES.join("\n\n"));
    expect(retried.status, await retried.clone().text()).toBe(201);
  });

  it("a replica started while PostgreSQL is down waits for it instead of exiting", async () => {
    halt();
    const lateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-late-"));
    let late: Replica | undefined;
    let output = "";
    const starting = startReplica("late", { ...env(), DATA_DIR: lateDir }, (all) => (output = all)).then((r) => (late = r));
    try {
      // Two retries seen (the backoff doubles): it waits rather than exits; then the database comes back.
      await waitFor(async () => (output.match(/database unavailable at start; retrying/g) ?? []).length >= 2, 60_000, "two retries", 100);
      expect(late).toBeUndefined();
      resume();
      await starting;
      expect(late!.child.exitCode).toBeNull();
      expect((await fetch(`${late!.url}/healthz`)).status).toBe(200);
    } finally {
      resume();
      await (await starting.catch(() => undefined))?.stop();
      fs.rmSync(lateDir, { recursive: true, force: true });
    }
  });
});
