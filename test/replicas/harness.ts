// Two (or more) real server processes (`node --import tsx src/main.ts`) sharing one PostgreSQL database and one fixture corpus
// of our own (test/replicas/fixtures: a plan whose yearly deadline falls a few days from now), each with its own
// PORT and DATA_DIR, talking to the loopback Telegram/Zalo API doubles.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { until } from "../support/until.js";

export { until };

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = path.join(ROOT, "test/replicas/fixtures");
export const FIXTURE_DOC = "documents/kh-lam-vien.txt";

// Fixture corpora made for a test file are removed after it.
const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A time zone in which it is now about noon (reminders wait for 07:00 local), and the fixture corpus with its
 * yearly deadline `daysAhead` local days from now.
 */
export function fixtureCorpus(daysAhead = 4): { dir: string; tzOffsetMinutes: number; text: string; deadline: string } {
  const tzOffsetMinutes = ((12 - new Date().getUTCHours() + 36) % 24) * 60 - 12 * 60;
  const local = new Date(Date.now() + tzOffsetMinutes * 60_000 + daysAhead * 86_400_000);
  const ddmm = `${String(local.getUTCDate()).padStart(2, "0")}/${String(local.getUTCMonth() + 1).padStart(2, "0")}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-replicas-corpus-"));
  created.push(dir);
  fs.cpSync(FIXTURES, dir, { recursive: true });
  const file = path.join(dir, FIXTURE_DOC);
  const text = fs.readFileSync(file, "utf8").replace("{{DEADLINE}}", ddmm);
  fs.writeFileSync(file, text);
  return { dir, tzOffsetMinutes, text, deadline: ddmm };
}

export interface Replica {
  name: string;
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (clean shutdown), and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts `tsx src/main.ts` with `env` on a free port; resolves once it listens (`onOutput` sees its log before). */
export async function startReplica(name: string, env: Record<string, string>, onOutput?: (all: string) => void): Promise<Replica> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tro-ly-replica-${name}-`));
  // `node --import tsx`, not the tsx CLI: the CLI runs the server in a child process, which `kill -9` would orphan.
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  if (onOutput) child.on("spawn", () => child.stderr!.on("data", () => onOutput(output)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const listening = () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
      return /"msg":"http server listening".*"port":(\d+)/.exec(output)?.[1];
    };
    const port = await until(listening, 90_000, `${name} listening`);
    return { name, url: `http://127.0.0.1:${port}`, child, output: () => output, kill: () => end("SIGKILL"), stop: () => end("SIGTERM") };
  } catch (err) {
    await end("SIGKILL");
    throw new Error(`${(err as Error).message}\n${output.slice(-3000)}`);
  }
}
