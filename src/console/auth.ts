// Console sign-in: the admin token, or per-person accounts (ADMIN_USERS_FILE, scrypt hashes) so the audit log
// names who did what. Sessions live in memory (a restart signs everyone out) or, with replicas, in PostgreSQL, behind an httpOnly, SameSite=Strict
// cookie with an expiry; every change carries the session's CSRF token; failed sign-ins are throttled per address.
import crypto from "node:crypto";
import fs from "node:fs";
import { z } from "zod";
import { secretMatches } from "../channels/secret.js";
import { tryDecode } from "../admin/decode.js";
import { memorySessions, type ConsoleSession, type SessionBackend } from "../store/index.js";

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

/** "scrypt$<salt b64>$<hash b64>" of a password (the format of ADMIN_USERS_FILE). */
export function hashPassword(password: string, salt = crypto.randomBytes(16)): string {
  const key = crypto.scryptSync(password.normalize("NFC"), salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${salt.toString("base64")}$${key.toString("base64")}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [kind, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const key = crypto.scryptSync(password.normalize("NFC"), Buffer.from(salt, "base64"), expected.length, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
  });
  return expected.length > 0 && crypto.timingSafeEqual(key, expected);
}

export const usersFileSchema = z.object({
  users: z.array(z.object({ name: z.string().regex(/^[\p{L}\p{N}._-]{1,40}$/u), hash: z.string().startsWith("scrypt$") })).default([]),
});
export type UsersFile = z.infer<typeof usersFileSchema>;

/** The accounts file, or no accounts when it is unset or missing. Throws (English) on a malformed file. */
export function readUsersFile(file: string | undefined): UsersFile {
  if (!file || !fs.existsSync(file)) return { users: [] };
  const parsed = usersFileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`Invalid ADMIN_USERS_FILE: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  return parsed.data;
}

export type Session = ConsoleSession;

/** A hash no password matches in practice, made once: what an unknown account name is checked against. */
let dummyHash: string | undefined;

/** Who signs in with a name and password, or with the admin token alone (name left empty). */
export function checkCredentials(name: string, password: string, opts: { adminToken?: string; users: UsersFile["users"] }): string | null {
  if (!name) return opts.adminToken && secretMatches(opts.adminToken, password) ? "admin-token" : null;
  const user = opts.users.find((u) => u.name === name);
  // A missing user costs exactly what a known one does (one verification, nothing more), so response times do not
  // reveal which names exist. The dummy hash is made once, outside any sign-in.
  dummyHash ??= hashPassword(crypto.randomBytes(24).toString("base64"));
  const ok = verifyPassword(password, user?.hash ?? dummyHash);
  return user && ok ? user.name : null;
}

/** Sessions with an expiry, kept by a backend: memory (one process) or PostgreSQL (shared by replicas). */
export class SessionStore {
  private created = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly backend: SessionBackend = memorySessions(),
  ) {}

  async create(who: string): Promise<Session> {
    // Expired sessions go now and then rather than on a timer.
    if (this.created++ % 50 === 0) await this.backend.prune(this.now());
    const s = {
      id: crypto.randomBytes(32).toString("base64url"),
      who,
      csrf: crypto.randomBytes(24).toString("base64url"),
      expires: this.now() + this.ttlMs,
    };
    await this.backend.put(s);
    return s;
  }

  async get(id: string | undefined): Promise<Session | undefined> {
    return id ? await this.backend.get(id, this.now()) : undefined;
  }

  async end(id: string | undefined): Promise<void> {
    if (id) await this.backend.delete(id);
  }
}

/** Failed sign-ins per address: at most `limit` in `windowMs`, then refused until the window passes. */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or 0. */
  blockedFor(address: string): number {
    const recent = this.recent(address);
    return recent.length < this.limit ? 0 : Math.ceil((recent[0]! + this.windowMs - this.now()) / 1000);
  }

  fail(address: string): void {
    // Many addresses (a scan): forget those whose failures are all outside the window.
    if (this.failures.size > 10_000) for (const a of [...this.failures.keys()]) if (!this.recent(a).length) this.failures.delete(a);
    this.failures.set(address, [...this.recent(address), this.now()]);
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(address) ?? []).filter((t) => t > since);
  }
}

/** The value of one cookie from a Cookie header; null when it is there but not valid percent-encoding. */
export function cookieValue(header: string | undefined, name: string): string | undefined | null {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return tryDecode(v.join("=")) ?? null;
  }
  return undefined;
}
