// Benchmark (not a test): HTTP /api/ask at concurrency 16 and 64 against one replica on SQLite, one on PostgreSQL and
// two replicas on PostgreSQL (a throwaway cluster, as in `npm run test:replicas`), with CPU time per answer of the
// servers and of PostgreSQL, so the cost of shared state per answer is visible. Writes bench/replicas.md.
// Questions come from `--users` simulated users (X-Forwarded-For through TRUST_PROXY=loopback; each has its own rate
// window, as real users do); `--users 1` sends everything as one client (the rate-limit row is then one hot row).
// All setups run side by side and are measured in turn, `--rounds` times; figures are medians over the rounds.
// Usage: npm run bench:replicas [-- --requests 400] [-- --users 64] [-- --rounds 3]
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { readEvalFile } from "../src/eval/metrics.js";
import { createDatabase, freePort, startPostgres, type PostgresCluster } from "../test/replicas/postgres.js";

const root = path.resolve(import.meta.dirname, "..");
const requestsArg = process.argv.indexOf("--requests");
const REQUESTS = requestsArg > 0 ? Number(process.argv[requestsArg + 1]) : 400;
const roundsArg = process.argv.indexOf("--rounds");
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;
const usersArg = process.argv.indexOf("--users");
const USERS = usersArg > 0 ? Number(process.argv[usersArg + 1]) : 64;
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
const questions = readEvalFile(path.join(root, "test/dev.jsonl")).map((i) => i.question);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** CPU of the postmaster and its backends (connections stay open in the pools, so none is lost). */
function postgresCpu(dataDir: string): number {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = fs.readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return [postmaster, ...children.map(Number)].reduce((sum, pid) => sum + (fs.existsSync(`/proc/${pid}`) ? cpuSeconds(pid) : 0), 0);
}

async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-replica-"));
  // `node --import tsx`: one process, so its CPU is the server's.
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      RATE_LIMIT_PER_MINUTE: "1000000",
      TRUST_PROXY: "loopback",
      ...env,
    },
    stdio: ["ignore", "ignore", fs.openSync(path.join(dataDir, "server.log"), "a")],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await sleep(200);
  }
  child.kill("SIGKILL");
  throw new Error(`server did not become ready:\n${fs.readFileSync(path.join(dataDir, "server.log"), "utf8").slice(-2000)}`);
}

async function load(urls: string[], concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      const i = next++;
      const t = performance.now();
      const res = await fetch(`${urls[i % urls.length]}/api/ask`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `10.0.${(i % USERS) >> 8}.${(i % USERS) & 255}` },
        body: JSON.stringify({ question: questions[i % questions.length] }),
      });
      await res.arrayBuffer();
      if (!res.ok) failed++;
      latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - t0) / 1000, latencies, failed };
}

interface Row {
  setup: string;
  concurrency: number;
  rps: number;
  p50: number;
  p95: number;
  failed: number;
  serverCpuMs: number;
  dbCpuMs: number;
}

interface Setup {
  name: string;
  servers: ChildProcess[];
  urls: string[];
  /** PostgreSQL's data directory (its CPU is counted), absent for SQLite. */
  pgDir?: string;
}

async function measure(setup: Setup, concurrency: number): Promise<Row> {
  const cpu0 = setup.servers.reduce((s, c) => s + cpuSeconds(c.pid!), 0);
  const db0 = setup.pgDir ? postgresCpu(setup.pgDir) : 0;
  const r = await load(setup.urls, concurrency);
  const serverCpu = setup.servers.reduce((s, c) => s + cpuSeconds(c.pid!), 0) - cpu0;
  const dbCpu = setup.pgDir ? postgresCpu(setup.pgDir) - db0 : 0;
  return {
    setup: setup.name,
    concurrency,
    rps: REQUESTS / r.seconds,
    p50: pct(r.latencies, 50),
    p95: pct(r.latencies, 95),
    failed: r.failed,
    serverCpuMs: (serverCpu * 1000) / REQUESTS,
    dbCpuMs: (dbCpu * 1000) / REQUESTS,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Every setup runs side by side, measured in turn, ROUNDS times (the machine is shared: interleaving spreads the
 * load of others over all setups alike); each figure is the median over the rounds.
 */
async function rounds(setups: Setup[]): Promise<Row[]> {
  for (const s of setups) await load(s.urls, 8); // warm-up: JIT, index pages, pool connections
  const samples = new Map<string, Row[]>();
  for (let round = 0; round < ROUNDS; round++)
    for (const concurrency of [16, 64])
      for (const s of setups) {
        const row = await measure(s, concurrency);
        console.log(JSON.stringify({ round, ...row }));
        const key = `${s.name}|${concurrency}`;
        samples.set(key, [...(samples.get(key) ?? []), row]);
      }
  return [...samples.values()]
    .map((xs) => ({
      ...xs[0]!,
      rps: median(xs.map((x) => x.rps)),
      p50: median(xs.map((x) => x.p50)),
      p95: median(xs.map((x) => x.p95)),
      failed: xs.reduce((n, x) => n + x.failed, 0),
      serverCpuMs: median(xs.map((x) => x.serverCpuMs)),
      dbCpuMs: median(xs.map((x) => x.dbCpuMs)),
    }))
    .sort(
      (a, b) => setups.findIndex((s) => s.name === a.setup) - setups.findIndex((s) => s.name === b.setup) || a.concurrency - b.concurrency,
    );
}

async function main(): Promise<void> {
  let cluster: PostgresCluster | undefined;
  const servers: ChildProcess[] = [];
  try {
    const one = await startServer({});
    // Diagnostic: two processes on SQLite sharing nothing, i.e. the cost of a second process without a database.
    const [twoA, twoB] = [await startServer({}), await startServer({})];
    servers.push(one.child, twoA.child, twoB.child);
    cluster = await startPostgres();
    const pgDir = cluster.dataDir;
    // One replica on PostgreSQL: the cost of the database itself, without a second process.
    const alone = await startServer({ DATABASE_URL: await createDatabase(cluster.adminUrl, "bench1") }); // migrates
    const env = { DATABASE_URL: await createDatabase(cluster.adminUrl, "bench") };
    const first = await startServer(env); // migrates
    const second = await startServer(env);
    servers.push(alone.child, first.child, second.child);
    const rows = await rounds([
      { name: "1 replica, SQLite", servers: [one.child], urls: [one.url] },
      { name: "2 processes, SQLite (nothing shared; diagnostic)", servers: [twoA.child, twoB.child], urls: [twoA.url, twoB.url] },
      { name: "1 replica, PostgreSQL", servers: [alone.child], urls: [alone.url], pgDir },
      { name: "2 replicas, PostgreSQL", servers: [first.child, second.child], urls: [first.url, second.url], pgDir },
    ]);
    writeReport(rows);
  } finally {
    for (const s of servers) s.kill("SIGTERM");
    await sleep(500);
    await cluster?.stop();
  }
}

function writeReport(rows: Row[]): void {
  const f = (n: number, d = 1) => n.toFixed(d);
  const lines = [
    "# Replicas: HTTP /api/ask, one replica on SQLite vs one and two on PostgreSQL",
    "",
    `Measured by \`npm run bench:replicas\` (scripts/bench-replicas.mts) on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}),`,
    `${new Date().toISOString().slice(0, 10)}; ${REQUESTS} questions of test/dev.jsonl per measurement over the shipped corpus,`,
    `from ${USERS} simulated users (X-Forwarded-For), client on the same machine. The setups run side by side and are`,
    `measured in turn, ${ROUNDS} rounds; each figure is the median over the rounds (failed: the sum).`,
    "CPU per answer: user + system time of the server processes (and of PostgreSQL's postmaster and backends) / answers.",
    "",
    "| setup | concurrency | answers/s | p50 ms | p95 ms | failed | server CPU ms/answer | PostgreSQL CPU ms/answer |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.setup} | ${r.concurrency} | ${f(r.rps)} | ${f(r.p50)} | ${f(r.p95)} | ${r.failed} | ${f(r.serverCpuMs, 2)} | ` +
        `${r.setup.includes("PostgreSQL") ? f(r.dbCpuMs, 2) : "—"} |`,
    ),
    "",
    "Added CPU per answer = (server CPU + PostgreSQL CPU of the PostgreSQL setup) − server CPU of the SQLite setup at the",
    "same concurrency (target: < 1 ms):",
    "",
    "| setup | concurrency | added CPU ms/answer |",
    "|---|---|---|",
    ...rows
      .filter((r) => r.setup.includes("PostgreSQL"))
      .map((r) => {
        const base = rows.find((b) => b.setup === "1 replica, SQLite" && b.concurrency === r.concurrency);
        return `| ${r.setup} | ${r.concurrency} | ${base ? f(r.serverCpuMs + r.dbCpuMs - base.serverCpuMs, 2) : "?"} |`;
      }),
    "",
  ];
  fs.mkdirSync(path.join(root, "bench"), { recursive: true });
  fs.writeFileSync(path.join(root, "bench/replicas.md"), lines.join("\n"));
  console.log(lines.join("\n"));
}

await main();
