// Who is asking on the web page: a first-party cookie holding a random visitor id signed with HMAC-SHA256, so
// each person behind one office NAT gets their own rate limit. The key comes from WEB_COOKIE_SECRET, else from a
// file generated once in DATA_DIR. A missing or forged cookie gets a fresh id (the per-address ceiling still
// counts it), so a client gains nothing by dropping or inventing cookies.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Request, Response } from "express";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";

export const VISITOR_COOKIE = "tro_ly_khach";
/** The generated key, when WEB_COOKIE_SECRET is not set (never logged). */
export const VISITOR_KEY_FILE = "web-cookie.key";
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const ID = /^[A-Za-z0-9_-]{22}$/;

/** WEB_COOKIE_SECRET, or the key in DATA_DIR (made on first use; a damaged file is replaced). */
export function visitorKey(config: Pick<Config, "WEB_COOKIE_SECRET" | "dataDir" | "DATABASE_URL">, log: Logger): Buffer {
  if (config.WEB_COOKIE_SECRET) return Buffer.from(config.WEB_COOKIE_SECRET, "utf8");
  // Replicas each generate their own key: a visitor would be a new person on every replica it reaches.
  if (config.DATABASE_URL) log.warn("WEB_COOKIE_SECRET is not set: with several replicas, set the same value on each");
  const file = path.join(config.dataDir, VISITOR_KEY_FILE);
  const read = () => {
    const hex = fs.readFileSync(file, "utf8").trim();
    return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, "hex") : undefined;
  };
  try {
    const key = read();
    if (key) return key;
    log.warn("web cookie key file is damaged; generating a new one (visitors get new ids)", { file });
    fs.rmSync(file, { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    // "wx": two processes starting on one DATA_DIR at once keep the first key written.
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return read() ?? crypto.randomBytes(32);
}

/** The value of one cookie in a Cookie header (the first of that name). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export interface Visitors {
  /** The visitor id of a request: the signed cookie's, or a new one set on the response. */
  identify(req: Request, res: Response): string;
}

export function visitors(key: Buffer): Visitors {
  const sign = (id: string) => crypto.createHmac("sha256", key).update(id).digest("base64url");
  const verified = (value: string | undefined): string | undefined => {
    const [id = "", signature = "", ...rest] = (value ?? "").split(".");
    if (rest.length || !ID.test(id)) return undefined;
    const expected = Buffer.from(sign(id));
    const given = Buffer.from(signature);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? id : undefined;
  };
  return {
    identify(req, res) {
      const known = verified(cookieValue(req.headers.cookie, VISITOR_COOKIE));
      if (known) return known;
      const id = crypto.randomBytes(16).toString("base64url");
      // Secure only when the page is served over HTTPS (req.secure follows X-Forwarded-Proto with TRUST_PROXY).
      const attributes = ["Path=/", `Max-Age=${ONE_YEAR_SECONDS}`, "HttpOnly", "SameSite=Lax", ...(req.secure ? ["Secure"] : [])];
      res.append("Set-Cookie", [`${VISITOR_COOKIE}=${id}.${sign(id)}`, ...attributes].join("; "));
      return id;
    },
  };
}
