// A throwaway PostgreSQL cluster from Debian's `postgresql` package: initdb in a temp directory (as the
// `postgres` user when running as root), a free loopback port, a private socket directory; stop() removes it all.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface PostgresCluster {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  port: number;
  /** The cluster's data directory (postmaster.pid: the server's process id). */
  dataDir: string;
  /** `pg_ctl stop -m immediate` (as a crash would), keeping the cluster for `resume`. */
  halt(): void;
  /** Start the halted server again on the same port. */
  resume(): void;
  stop(): Promise<void>;
}

/** The newest installed server binaries (/usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a)).find((m) => fs.existsSync(path.join(root, m, "bin", "initdb")));
  return newest ? path.join(root, newest, "bin") : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a server binary, as `postgres` when we are root (the server refuses to run as root). */
function run(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries not found: apt-get install -y postgresql");
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-pg-"));
  const data = path.join(base, "data");
  const sockets = path.join(base, "sock");
  fs.mkdirSync(sockets);
  if (asRoot()) execFileSync("chown", ["-R", "postgres:postgres", base]);
  const port = await freePort();
  // fsync off: a test cluster never needs to survive a machine crash.
  const serverOpts = `-k ${sockets} -h 127.0.0.1 -p ${port} -F -c max_connections=200`;
  const pgCtl = (...args: string[]) => run(path.join(bin, "pg_ctl"), ["-D", data, ...args]);
  const halt = () => pgCtl("-m", "immediate", "-w", "stop");
  const resume = () => pgCtl("-o", serverOpts, "-l", path.join(base, "server.log"), "-w", "-t", "60", "start");
  try {
    run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
    resume();
  } catch (err) {
    fs.rmSync(base, { recursive: true, force: true });
    throw err;
  }
  const stop = async () => {
    try {
      halt();
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  };
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dataDir: data, halt, resume, stop };
}

/** A new empty database in the cluster; its URL. */
export async function createDatabase(adminUrl: string, prefix = "t"): Promise<string> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
