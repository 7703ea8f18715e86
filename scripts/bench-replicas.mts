// Benchmark (not a test): HTTP /api/ask at concurrency 16 and 64 against one replica on SQLite and against two
// replicas on PostgreSQL (a throwaway cluster, as in `npm run test:replicas`), with CPU time per answer of the
// servers and of PostgreSQL, so the cost of shared state per answer is visible. Writes bench/replicas.md.
// Questions come from `--users` simulated users (X-Forwarded-For through TRUST_PROXY=loopback; each has its own rate
// window, as real users do); `--users 1` sends everything as one client (the rate-limit row is then one hot row).
// Usage: npm run bench:replicas [-- --requests 600] [-- --users 64]
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { readEvalFile } from "../src/eval/metrics.js";
import { createDatabase, freePort, startPostgres, type PostgresCluster } from "../test/replicas/postgres.js";

const root = path.resolve(import.meta.dirname, "..");
const requestsArg = process.argv.indexOf("--requests");
const REQUESTS = requestsArg > 0 ? Number(process.argv[requestsArg + 1]) : 600;
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

async function scenario(setup: string, servers: ChildProcess[], urls: string[], cluster?: { dataDir: string }): Promise<Row[]> {
  const rows: Row[] = [];
  await load(urls, 8); // warm-up: JIT, index pages, pool connections
  for (const concurrency of [16, 64]) {
    const cpu0 = servers.reduce((s, c) => s + cpuSeconds(c.pid!), 0);
    const db0 = cluster ? postgresCpu(cluster.dataDir) : 0;
    const r = await load(urls, concurrency);
    const serverCpu = servers.reduce((s, c) => s + cpuSeconds(c.pid!), 0) - cpu0;
    const dbCpu = cluster ? postgresCpu(cluster.dataDir) - db0 : 0;
    rows.push({
      setup,
      concurrency,
      rps: REQUESTS / r.seconds,
      p50: pct(r.latencies, 50),
      p95: pct(r.latencies, 95),
      failed: r.failed,
      serverCpuMs: (serverCpu * 1000) / REQUESTS,
      dbCpuMs: (dbCpu * 1000) / REQUESTS,
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
  return rows;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const one = await startServer({});
  try {
    rows.push(...(await scenario("1 replica, SQLite", [one.child], [one.url])));
  } finally {
    one.child.kill("SIGTERM");
  }
  let cluster: PostgresCluster | undefined;
  const servers: ChildProcess[] = [];
  try {
    cluster = await startPostgres();
    const env = { DATABASE_URL: await createDatabase(cluster.adminUrl, "bench") };
    const first = await startServer(env); // migrates
    const second = await startServer(env);
    servers.push(first.child, second.child);
    rows.push(...(await scenario("2 replicas, PostgreSQL", servers, [first.url, second.url], { dataDir: cluster.dataDir })));
  } finally {
    for (const s of servers) s.kill("SIGTERM");
    await sleep(500);
    await cluster?.stop();
  }
  writeReport(rows);
}

function writeReport(rows: Row[]): void {
  const f = (n: number, d = 1) => n.toFixed(d);
  const lines = [
    "# Replicas: HTTP /api/ask, one replica on SQLite vs two on PostgreSQL",
    "",
    `Measured by \`npm run bench:replicas\` (scripts/bench-replicas.mts) on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}),`,
    `${new Date().toISOString().slice(0, 10)}; ${REQUESTS} questions of test/dev.jsonl per row over the shipped corpus,`,
    `from ${USERS} simulated users (X-Forwarded-For), client on the same machine.`,
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
  ];
  fs.mkdirSync(path.join(root, "bench"), { recursive: true });
  fs.writeFileSync(path.join(root, "bench/replicas.md"), lines.join("\n"));
  console.log(lines.join("\n"));
}

await main();
