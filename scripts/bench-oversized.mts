// Oversized questions are refused cheaply (issue 21): two clients each post 25 questions of 65 000 characters to
// a real server process (`node --import tsx src/main.ts`, shipped corpus, TRUST_PROXY so each client has its own
// address) while a third polls /healthz every 50 ms. Prints each client's statuses and refusal times, and the
// /healthz latencies. Targets: every refusal < 10 ms, the posts past RATE_LIMIT_PER_MINUTE get 429, /healthz < 200 ms.
// Usage: npx tsx scripts/bench-oversized.mts [--size 65000] [--posts 25]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { exceedsVisibleLength, visibleLength } from "../src/chat/limits.js";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SIZE = arg("size", 65_000);
const POSTS = arg("posts", 25);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-oversized-"));
const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
  env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, TRUST_PROXY: "loopback", LOG_LEVEL: "info" },
  stdio: ["ignore", "pipe", "pipe"],
});
let log = "";
server.stdout.on("data", (d: Buffer) => (log += d));
server.stderr.on("data", (d: Buffer) => (log += d));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  let port: string | undefined;
  for (let i = 0; i < 1200 && !(port = /"msg":"http server listening".*"port":(\d+)/.exec(log)?.[1]); i++) await sleep(100);
  if (!port) throw new Error(`server did not start:\n${log.slice(-2000)}`);
  const url = `http://127.0.0.1:${port}`;
  const question = "cau hoi rat dai ".repeat(Math.ceil(SIZE / 16)).slice(0, SIZE);
  const body = JSON.stringify({ question });

  let polling = true;
  const health: number[] = [];
  const poller = (async () => {
    while (polling) {
      const t = performance.now();
      await fetch(`${url}/healthz`);
      health.push(performance.now() - t);
      await sleep(50);
    }
  })();

  // Each client keeps the visitor cookie it is given, as a browser does (the per-visitor rate applies to it).
  const client = async (address: string, payload = body) => {
    const out: { status: number; ms: number }[] = [];
    let cookie = "";
    for (let i = 0; i < POSTS; i++) {
      const t = performance.now();
      const res = await fetch(`${url}/api/ask`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": address, ...(cookie ? { cookie } : {}) },
        body: payload,
      });
      await res.arrayBuffer();
      cookie ||= res.headers.get("set-cookie")?.split(";")[0] ?? "";
      out.push({ status: res.status, ms: performance.now() - t });
    }
    return out;
  };
  // For comparison: the cheapest refusal there is (an empty question), on this machine as loaded now.
  const empty = (await client("198.51.100.9", JSON.stringify({ question: " " }))).slice(0, 20).map((x) => x.ms);
  const started = performance.now();
  const results = await Promise.all([client("198.51.100.1"), client("198.51.100.2")]);
  const wall = performance.now() - started;
  await sleep(200);
  polling = false;
  await poller;

  console.log(
    `${POSTS} questions of ${SIZE.toLocaleString("en")} characters (${body.length.toLocaleString("en")} bytes) from each of 2 clients, ${ms(wall)} in all`,
  );
  results.forEach((r, i) => {
    const times = r.map((x) => x.ms);
    const firstRateLimited = r.findIndex((x) => x.status === 429);
    console.log(
      `client ${i + 1}: statuses ${r.map((x) => x.status).join(" ")}\n` +
        `  refusal time p50 ${ms(pct(times, 50))}, max ${ms(Math.max(...times))} (client side, loopback, including the 65 KB upload); ` +
        `first 429 at post ${firstRateLimited + 1}`,
    );
  });
  // The same check in this process, without HTTP: the length guard now, and the full grapheme count it replaced.
  const time = (f: () => unknown, n: number) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    return (performance.now() - t) / n;
  };
  const guard = time(() => exceedsVisibleLength(question, 1000), 1000);
  const counted = time(() => visibleLength(question), 3);
  console.log(
    `length guard on one such question (cap 1000): ${(guard * 1000).toFixed(1)} µs; counting its graphemes in full (before): ${ms(counted)}`,
  );
  console.log(`an empty question's refusal (the floor of this machine and client): p50 ${ms(pct(empty, 50))}`);
  console.log(
    `/healthz during the run: ${health.length} polls, p50 ${ms(pct(health, 50))}, p95 ${ms(pct(health, 95))}, max ${ms(Math.max(...health))}`,
  );
}

try {
  await main();
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
