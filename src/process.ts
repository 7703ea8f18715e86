// Facts about other processes of this machine (lock holders, builds left by a killed process), and worker
// threads that run this project's TypeScript or JavaScript modules.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
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
