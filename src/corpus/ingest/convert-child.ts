// Child-process entry: convert one upload (see convertInChild). The child's heap and address space are capped,
// so a file that unpacks into too much memory ends this process, never the server. A watchdog thread reads
// stdin, a pipe from the parent that is never written: when it closes (the parent exited, even by SIGKILL) the
// watchdog kills this process group, whatever the main thread is busy with.
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import { CorpusError } from "./errors.js";
import { convertToText } from "./convert.js";
import type { IngestLimits } from "./limits.js";

const WATCHDOG = `
const fs = require("node:fs");
const buf = Buffer.alloc(64);
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  let n;
  try {
    n = fs.readSync(0, buf, 0, buf.length, null);
  } catch (err) {
    if (err.code === "EAGAIN") { Atomics.wait(pause, 0, 0, 200); continue; }
    n = 0;
  }
  if (n === 0) break;
}
try { process.kill(-process.pid, "SIGKILL"); } catch { process.kill(process.pid, "SIGKILL"); }
`;

new Worker(WATCHDOG, { eval: true, execArgv: [] }).unref();

/** Peak memory of this process: resident (getrusage) and address space (Linux /proc). */
async function stats() {
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  try {
    const status = fs.readFileSync("/proc/self/status", "utf8");
    const peak = /VmPeak:\s+(\d+) kB/.exec(status)?.[1];
    return { maxRssMb, ...(peak ? { vmPeakMb: Math.round(Number(peak) / 1024) } : {}) };
  } catch {
    return { maxRssMb };
  }
}

process.once("message", async (m: { bytes: Uint8Array; fileName: string; limits: IngestLimits }) => {
  // Written synchronously to stdout (a pipe the parent reads): an IPC message would wait for this thread to be free.
  const progress = (page: number, pages: number) => fs.writeSync(1, `page ${page} ${pages}\n`);
  try {
    const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
    const result = await convertToText(bytes, m.fileName, m.limits, progress);
    process.send!({ result, stats: await stats() }, () => process.exit(0));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const error = { message: e.message, ...(err instanceof CorpusError ? { code: err.code, vi: err.vi } : {}) };
    process.send!({ error, stats: await stats() }, () => process.exit(0));
  }
});
