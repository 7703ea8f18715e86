// Facts about other processes of this machine (lock holders, builds left by a killed process), worker
// threads that run this project's TypeScript or JavaScript modules, and returning a replaced index's memory.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { Worker } from "node:worker_threads";

/** Whether a process with this pid is running (EPERM: it runs under another user, so it is alive). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** tsx's ESM API (its `register`), resolved from this file rather than from the working directory. */
function tsxApiUrl(): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    // Runners without import.meta.resolve (vitest): the package's ESM entry next to its CommonJS one.
    return pathToFileURL(
      createRequire(import.meta.url)
        .resolve("tsx/esm/api")
        .replace(/\.cjs$/, ".mjs"),
    ).href;
  }
}

/**
 * A worker thread running `entry` (a module URL ending in .ts or .js). Under tsx (how this project runs), the
 * worker registers tsx itself before importing TypeScript; tsx is resolved from here, not from the working
 * directory.
 */
export function moduleWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, { workerData });
  const code = `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}

let gc: (() => void) | null | undefined;

/** V8's full garbage collection (exposed on first use, as Jest does for --logHeapUsage); null where refused. */
function fullGc(): (() => void) | null {
  if (gc !== undefined) return gc;
  const exposed = (globalThis as { gc?: () => void }).gc;
  try {
    if (!exposed) v8.setFlagsFromString("--expose-gc");
    gc = exposed ?? (vm.runInNewContext("gc") as () => void);
  } catch {
    gc = null;
  }
  return gc;
}

/** Delays before each collection while the replaced object is still reachable (answers in flight hold it). */
const COLLECT_AFTER_MS = [1000, 5000, 15_000, 60_000];

/**
 * Runs full garbage collections until `replaced` (an index version just swapped out, or a candidate that failed
 * validation) is gone, at most a few times over a minute. An index's arrays live outside the JavaScript heap,
 * which grows little when a version is loaded, so V8 would otherwise keep a replaced version's gigabytes until
 * some later allocation forced a collection (measured: two versions resident after every change). Resolves to
 * whether it was collected.
 */
export function collectWhenUnreachable(replaced: object, delays = COLLECT_AFTER_MS): Promise<boolean> {
  const ref = new WeakRef(replaced);
  const collect = fullGc();
  if (!collect) return Promise.resolve(false);
  return new Promise((resolve) => {
    const attempt = (i: number) => {
      if (i >= delays.length) return resolve(false);
      setTimeout(() => {
        collect();
        if (ref.deref() === undefined) resolve(true);
        else attempt(i + 1);
      }, delays[i]).unref();
    };
    attempt(0);
  });
}
