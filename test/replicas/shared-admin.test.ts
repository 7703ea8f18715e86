// Staff state and corpus changes across two replicas on one PostgreSQL: a console session signed in on A serves
// requests on B; the question log, the audit log and the originals are shared; two changes at the same time are
// locked against each other (the second is refused with a Vietnamese "busy" message and nothing is lost);
// `npm run corpus` with DATABASE_URL changes the shared corpus; replicas are woken by NOTIFY and keep following
// versions when their LISTEN connection drops.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DECREE_LINES, PLAN_QUESTION, planMarkdown } from "../corpus/fixtures.js";
import { fixtureCorpus, ROOT, startReplica, until, type Replica } from "./harness.js";
import { createDatabase } from "./postgres.js";

const TOKEN = "replica-admin-token-0123456789";
const DECREE_QUESTION = "Vốn điều lệ của quỹ tối thiểu bao nhiêu?";
const DECREE_ID = "nd-99-2025-nd-cp";
const PLAN_ID = "kh-15-kh-ubnd-2025";
/** The advisory lock of a corpus change (src/store/pg/versions.ts CHANGE_LOCK). */
const CHANGE_LOCK = 7_720_015;
const BUSY = "Đang có một thay đổi khác với kho văn bản";

let databaseUrl = "";
let a: Replica;
let b: Replica;
const tmpDirs: string[] = [];

beforeAll(async () => {
  databaseUrl = await createDatabase(inject("pgAdminUrl"), "admin");
  const env = (name: string) => ({ DATABASE_URL: databaseUrl, ADMIN_TOKEN: TOKEN, CORPUS_DIR: fixtureCorpus(30).dir, name });
  a = await startReplica("a", env("a"));
  b = await startReplica("b", env("b"));
});

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Runs `work` while this test holds the corpus change lock, as another replica in the middle of a change would. */
async function holdingChangeLock<T>(work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [CHANGE_LOCK]);
    return await work();
  } finally {
    await client.end();
  }
}

/** Waits for an asynchronous condition (a replica's state), failing after `timeoutMs`. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bearer = { authorization: `Bearer ${TOKEN}` };
const upload = (r: Replica, fileName: string, text: string) =>
  fetch(`${r.url}/admin/documents?filename=${encodeURIComponent(fileName)}`, {
    method: "POST",
    headers: { ...bearer, "content-type": "text/markdown" },
    body: text,
  });
const setStatus = (r: Replica, id: string, status: string) =>
  fetch(`${r.url}/admin/documents/${id}/status`, {
    method: "POST",
    headers: { ...bearer, "content-type": "application/json" },
    body: JSON.stringify({ status }),
  });
const documents = async (r: Replica) =>
  ((await (await fetch(`${r.url}/admin/documents`, { headers: bearer })).json()) as { documents: { id: string; status: string }[] })
    .documents;
const versionOf = async (r: Replica) =>
  ((await (await fetch(`${r.url}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { index: { version: string } })
    .index.version;

async function ask(r: Replica, question: string): Promise<{ abstained: boolean; citations: { doc: string }[] }> {
  const res = await fetch(`${r.url}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question }),
  });
  return (await res.json()) as { abstained: boolean; citations: { doc: string }[] };
}

async function signIn(r: Replica): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${r.url}/quan-tri/api/dang-nhap`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ password: TOKEN }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  return { cookie, csrf: ((await res.json()) as { csrf: string }).csrf };
}

const consoleGet = (r: Replica, p: string, session: { cookie: string }) =>
  fetch(`${r.url}/quan-tri/api${p}`, { headers: { cookie: session.cookie } });

/** The CLI (`npm run corpus -- …`) with its own corpus copy and data directory, against the shared database. */
function corpusCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-replica-cli-"));
  tmpDirs.push(dataDir);
  const env = { ...process.env, DATABASE_URL: databaseUrl, CORPUS_DIR: fixtureCorpus(30).dir, DATA_DIR: dataDir };
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/corpus.ts", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("staff console state shared by replicas", () => {
  it("a session signed in on A serves requests on B, and signing out on B ends it on A", async () => {
    const session = await signIn(a);
    expect((await consoleGet(b, "/van-ban", session)).status).toBe(200);
    const out = await fetch(`${b.url}/quan-tri/api/dang-xuat`, {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
    });
    expect(out.status).toBe(200);
    expect((await consoleGet(a, "/van-ban", session)).status).toBe(401);
    // Only a hash of the session id is stored.
    const rows = await sql<{ id_hash: string }>("SELECT id_hash FROM console_sessions");
    expect(rows.map((r) => r.id_hash).join(" ")).not.toContain(session.cookie.split("=")[1]);
  });

  it("a question A could not answer is in the console's list on B", async () => {
    const question = "Giá vé máy bay đi Phú Quốc tháng này bao nhiêu?";
    expect((await ask(a, question)).abstained).toBe(true);
    const session = await signIn(b);
    const res = await consoleGet(b, "/chua-tra-loi", session);
    const groups = ((await res.json()) as { groups: { question: string; channels: string[] }[] }).groups;
    expect(groups).toContainEqual(expect.objectContaining({ question, channels: ["web"] }));
  });
});

describe("corpus changes on two replicas", () => {
  it("a change while another holds the lock is refused in Vietnamese (English in the log); then it goes through", async () => {
    const refused = await holdingChangeLock(() => upload(a, "Kế hoạch 15.md", planMarkdown()));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toContain(BUSY);
    expect(a.output()).toContain("another corpus change is in progress");
    expect(await ask(b, PLAN_QUESTION.question)).not.toMatchObject({ citations: [{ doc: PLAN_ID }] });

    const res = await upload(a, "Kế hoạch 15.md", planMarkdown());
    expect(res.status, await res.clone().text()).toBe(201);
    const version = await versionOf(a);
    await eventually(async () => (await versionOf(b)) === version, 5000, "B on A's version");
    expect((await ask(b, PLAN_QUESTION.question)).citations[0]?.doc).toBe(PLAN_ID);
    // B was woken by the notification, not by its fallback poll.
    expect(b.output()).toMatch(new RegExp(`"msg":"switched to the shared index version".*"version":"${version}".*"via":"notify"`));
  });

  it("the audit log and the uploaded original are shared", async () => {
    const session = await signIn(b);
    const entries = ((await (await consoleGet(b, "/nhat-ky", session)).json()) as { entries: { action: string; outcome: string }[] })
      .entries;
    expect(entries.slice(0, 2)).toEqual([
      expect.objectContaining({ action: "add", outcome: "ok", who: "admin-token", channel: "http", target: PLAN_ID }),
      expect.objectContaining({ action: "add", outcome: "refused", detail: expect.stringContaining(BUSY) }),
    ]);
    const originals = await sql<{ name: string }>("SELECT name FROM originals");
    expect(originals.map((o) => o.name)).toEqual([expect.stringMatching(new RegExp(`^${PLAN_ID}-[0-9a-f]{12}\\.md$`))]);
  });

  it("two changes sent to A and B at the same time never overlap, and after retrying the refused one nothing is lost", async () => {
    const send = [() => upload(a, "Nghị định 99.md", DECREE_LINES.join("\n\n")), () => setStatus(b, PLAN_ID, "unknown")];
    let statuses = await Promise.all(send.map((s) => s().then((r) => r.status)));
    expect(statuses.every((s) => s === 201 || s === 200 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s !== 409).length).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < send.length; i++) if (statuses[i] === 409) statuses[i] = (await send[i]!()).status;
    statuses = statuses.map((s) => (s === 200 ? 201 : s));
    expect(statuses).toEqual([201, 201]);

    // Whichever replica committed last, both settle on one version holding both changes. (Reading A's version right
    // after the retry raced with A's own switch when B had committed last: B never came back to A's older version.)
    const holdsBoth = async (r: Replica) => {
      const docs = await documents(r);
      return docs.some((d) => d.id === DECREE_ID) && docs.find((d) => d.id === PLAN_ID)?.status === "unknown";
    };
    await eventually(
      async () => (await versionOf(a)) === (await versionOf(b)) && (await holdsBoth(a)) && (await holdsBoth(b)),
      5000,
      "A and B on the last version",
    );
    for (const r of [a, b]) {
      const docs = await documents(r);
      expect(docs.map((d) => d.id)).toContain(DECREE_ID);
      expect(docs.find((d) => d.id === PLAN_ID)?.status).toBe("unknown");
      expect((await ask(r, DECREE_QUESTION)).citations[0]?.doc).toBe(DECREE_ID);
    }
  });
});

describe("npm run corpus with DATABASE_URL", () => {
  it("is refused in Vietnamese while a replica changes the corpus", async () => {
    const cli = await holdingChangeLock(() => corpusCli(["reindex"]));
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(BUSY);
  });

  it("changes the shared corpus from its own checkout: the replicas switch to it", async () => {
    const before = await versionOf(b);
    // The CLI's corpus copy has never seen the decree: it starts from the shared version.
    const cli = await corpusCli(["remove", DECREE_ID]);
    expect(cli.code, cli.stderr).toBe(0);
    const [{ version }] = (await sql<{ version: string }>("SELECT version FROM corpus_current")) as [{ version: string }];
    expect(version).not.toBe(before);
    await eventually(
      async () => (await versionOf(a)) === version && (await versionOf(b)) === version,
      5000,
      "replicas on the CLI's version",
    );
    expect((await ask(b, DECREE_QUESTION)).citations[0]?.doc).not.toBe(DECREE_ID);
    expect((await documents(a)).map((d) => d.id)).not.toContain(DECREE_ID);
    const [entry] = (await sql<{ who: string; channel: string; action: string }>(
      "SELECT who, channel, action FROM audit_log ORDER BY id DESC LIMIT 1",
    )) as [{ who: string; channel: string; action: string }];
    expect(entry).toEqual({ who: os.userInfo().username, channel: "cli", action: "remove" });
  });
});

describe("LISTEN/NOTIFY with polling as the fallback", () => {
  it("a replica whose LISTEN connection drops reconnects, and follows versions meanwhile", async () => {
    const listeners = await sql<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN corpus_version'");
    expect(listeners.length).toBe(2);
    await sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN corpus_version'");
    await until(() => b.output().includes("shared index version notifications lost"), 10_000, "B noticing the drop");
    const res = await setStatus(a, PLAN_ID, "in_force");
    expect(res.status, await res.clone().text()).toBe(200);
    const version = await versionOf(a);
    await eventually(async () => (await versionOf(b)) === version, 10_000, "B on A's version");
    await until(() => b.output().split("listening for shared index versions").length === 3, 10_000, "B listening again");
  });
});
