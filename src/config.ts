// Environment → one typed Config, parsed once at start and passed down.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import util from "node:util";
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const idList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

export const ADMIN_TOKEN_MIN_LENGTH = 24;
export const WEB_COOKIE_SECRET_MIN_LENGTH = 32;
const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** One entry of a trust-proxy list: a name express knows, an IP address, or a subnet (address/prefix). */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = net.isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  if (net.isIP(prefix)) return true; // address/netmask
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Express's "trust proxy" values: true/false, a hop count, or comma-separated addresses, subnets and names
 * (loopback, linklocal, uniquelocal). Anything else fails start-up with a message saying what is accepted.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((raw, ctx): boolean | number | string | undefined => {
    const v = raw?.trim() ?? "";
    if (v === "") return undefined;
    if (/^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v.split(",").map((e) => e.trim());
    const bad = entries.filter((e) => !isProxyEntry(e));
    if (bad.length === 0) return entries.join(",");
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message:
        `not a trust-proxy value: ${bad.map((b) => JSON.stringify(b)).join(", ")}; use true, false, a hop count (e.g. 1), ` +
        "or comma-separated IP addresses, subnets (10.0.0.0/8) and names (loopback, linklocal, uniquelocal)",
    });
    return z.NEVER;
  });

export const configSchema = z
  .object({
    CORPUS_DIR: z.string().default("corpus"),
    DATA_DIR: z.string().default("data"),
    INDEX_KEEP_VERSIONS: int(5, 1),
    /** Shared state of several replicas in PostgreSQL; unset = SQLite files under DATA_DIR. */
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// or postgresql:// URL")
        .optional(),
    ),

    EMBEDDINGS_PROVIDER: z.enum(["hash", "openai"]).default("hash"),
    EMBEDDINGS_BASE_URL: optionalString,
    EMBEDDINGS_MODEL: optionalString,
    EMBEDDINGS_API_KEY: optionalString,

    ANSWER_MODE: z.enum(["extractive", "llm"]).default("extractive"),
    LLM_BASE_URL: optionalString,
    LLM_MODEL: optionalString,
    LLM_API_KEY: optionalString,
    LLM_TIMEOUT_MS: int(20000, 100),

    PORT: int(3000),
    HOST: z.string().default("0.0.0.0"),
    PUBLIC_BASE_URL: optionalString,

    TELEGRAM_BOT_TOKEN: optionalString,
    TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
    TELEGRAM_WEBHOOK_URL: optionalString,
    TELEGRAM_WEBHOOK_SECRET: optionalString,
    TELEGRAM_ADMIN_IDS: idList,

    ZALO_BOT_TOKEN: optionalString,
    ZALO_API_BASE: z.string().url().default("https://bot-api.zaloplatforms.com"),
    ZALO_WEBHOOK_URL: optionalString,
    ZALO_WEBHOOK_SECRET: optionalString,
    ZALO_ADMIN_IDS: idList,

    /** Zalo Official Account (OA Open API v3): the app, its secret, the OA's webhook secret key. */
    ZALO_OA_APP_ID: optionalString,
    ZALO_OA_APP_SECRET: optionalString,
    ZALO_OA_SECRET_KEY: optionalString,
    /** The first refresh token (from authorising the app); afterwards the stored, rotated one wins. */
    ZALO_OA_REFRESH_TOKEN: optionalString,
    ZALO_OA_API_BASE: z.string().url().default("https://openapi.zalo.me"),
    ZALO_OA_OAUTH_BASE: z.string().url().default("https://oauth.zaloapp.com"),

    ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= ADMIN_TOKEN_MIN_LENGTH, {
      message: `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (a guessable token guards the corpus); e.g. openssl rand -hex 24`,
    }),
    /** Bearer for GET /metrics; without it /metrics uses ADMIN_TOKEN. */
    METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= ADMIN_TOKEN_MIN_LENGTH, {
      message: `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters`,
    }),
    /** Failed bearer attempts per client address and window before 429 (admin and metrics). */
    AUTH_MAX_FAILURES: int(10, 1),
    AUTH_FAILURE_WINDOW_MS: int(15 * 60_000, 1000),
    UPLOAD_MAX_BYTES: int(20 * 1024 * 1024, 1),
    /** Limits checked while reading an upload (zip bombs, huge PDFs): stop at the first one exceeded. */
    UPLOAD_MAX_ZIP_ENTRIES: int(2000, 1),
    UPLOAD_MAX_ENTRY_BYTES: int(64 * 1024 * 1024, 1024),
    UPLOAD_MAX_INFLATED_BYTES: int(128 * 1024 * 1024, 1024),
    UPLOAD_MAX_XML_BYTES: int(48 * 1024 * 1024, 1024),
    UPLOAD_MAX_PDF_PAGES: int(1000, 1),
    UPLOAD_MAX_TEXT_BYTES: int(8 * 1024 * 1024, 1024),
    /** Heap cap of the child process that converts uploads (the server's own heap does not grow). */
    UPLOAD_CONVERT_MAX_MB: int(256, 32),
    /** Wall time to convert one upload (the conversion process is killed past it) and to read one PDF page. */
    UPLOAD_CONVERT_MAX_SECONDS: int(45, 1),
    UPLOAD_PDF_PAGE_MAX_SECONDS: int(10, 1),
    /** OCR of scanned PDF pages (tesseract-ocr + tesseract-ocr-vie, poppler-utils): "off" refuses scans. */
    OCR_ENABLED: z
      .enum(["on", "off"])
      .default("on")
      .transform((v) => v === "on"),
    /** Time to render and read one scanned page, and all scanned pages of one file. */
    OCR_PAGE_TIMEOUT_MS: int(60_000, 1000),
    OCR_FILE_TIMEOUT_MS: int(600_000, 1000),
    /** Per-person console accounts (JSON, scrypt hashes; `npm run admin-user -- add NAME`). */
    ADMIN_USERS_FILE: optionalString,
    /** How long a console sign-in lasts. */
    CONSOLE_SESSION_HOURS: int(8, 1),

    RATE_LIMIT_PER_MINUTE: int(20, 1),
    /**
     * Web page: every request from one client address together, whatever its visitor cookie (an office behind one
     * NAT shares it; a script dropping cookies hits it). Each visitor still has RATE_LIMIT_PER_MINUTE of its own.
     */
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: int(120, 1),
    /** Signs the web page's visitor cookie; unset = a random key generated once in DATA_DIR (set it for replicas). */
    WEB_COOKIE_SECRET: optionalString.refine((v) => v === undefined || v.length >= WEB_COOKIE_SECRET_MIN_LENGTH, {
      message: `must be at least ${WEB_COOKIE_SECRET_MIN_LENGTH} characters; e.g. openssl rand -hex 32`,
    }),
    MAX_QUESTION_LENGTH: int(1000, 10),
    /** Days questions are kept in the question log (applied at start and daily); 0 keeps them forever. */
    QUESTION_LOG_DAYS: int(180, 0),
    /** Platform API calls (Telegram, Zalo): tries per call and first backoff delay (doubles per try). */
    API_RETRY_ATTEMPTS: int(5, 1),
    API_RETRY_BASE_MS: int(500, 1),
    /** Longest wait between two start-up attempts of a channel whose API is down (it keeps trying). */
    CHANNEL_RETRY_MAX_MS: int(60_000, 100),
    /** Express "trust proxy" setting behind an HTTPS reverse proxy (e.g. "loopback" or "1"). */
    TRUST_PROXY: trustProxy,
    /** Follow-ups: a chat's last turns are remembered this long, and at most this many. */
    CONVERSATION_TTL_MINUTES: int(30, 1),
    CONVERSATION_MAX_TURNS: int(5, 1),

    REMINDER_DAYS_BEFORE: z
      .string()
      .default("7,1")
      .transform((v) =>
        v
          .split(",")
          .map((s) => Number(s.trim()))
          .filter((n) => Number.isInteger(n) && n >= 0),
      ),
    REMINDER_CHECK_INTERVAL_MS: int(60 * 60 * 1000, 1000),
    TZ_OFFSET_MINUTES: z.coerce
      .number()
      .int()
      .default(7 * 60),

    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  })
  .superRefine((c, ctx) => {
    if (c.EMBEDDINGS_PROVIDER === "openai" && (!c.EMBEDDINGS_BASE_URL || !c.EMBEDDINGS_MODEL)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: "EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_BASE_URL and EMBEDDINGS_MODEL",
      });
    }
    if (c.ANSWER_MODE === "llm" && (!c.LLM_BASE_URL || !c.LLM_MODEL)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "ANSWER_MODE=llm needs LLM_BASE_URL and LLM_MODEL" });
    }
    if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET" });
    }
    if (c.ZALO_WEBHOOK_URL && !c.ZALO_WEBHOOK_SECRET) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "ZALO_WEBHOOK_URL needs ZALO_WEBHOOK_SECRET" });
    }
    if (c.ZALO_OA_APP_ID && (!c.ZALO_OA_APP_SECRET || !c.ZALO_OA_SECRET_KEY)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "ZALO_OA_APP_ID needs ZALO_OA_APP_SECRET and ZALO_OA_SECRET_KEY" });
    }
  });

export type Config = z.infer<typeof configSchema> & { corpusDir: string; dataDir: string };

/** Parse the environment once. Throws an English error listing every bad variable (values never echoed). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".") || "config"}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return { ...c, corpusDir: path.resolve(cwd, c.CORPUS_DIR), dataDir: path.resolve(cwd, c.DATA_DIR) };
}

/**
 * The environment with `.env` (in `cwd`) underneath it: a variable already set in the real environment wins.
 * A missing file is fine (every variable is optional); the file itself is never printed.
 */
export function withEnvFile(env: NodeJS.ProcessEnv = process.env, file = path.resolve(".env")): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw new Error(`Cannot read ${file}: ${(err as Error).message}`);
  }
  return { ...util.parseEnv(text), ...env };
}

/** Every secret value in the config, for redaction in logs and errors. */
export function secretsOf(c: Config): string[] {
  return [
    c.TELEGRAM_BOT_TOKEN,
    c.TELEGRAM_WEBHOOK_SECRET,
    c.ZALO_BOT_TOKEN,
    c.ZALO_WEBHOOK_SECRET,
    c.ZALO_OA_APP_SECRET,
    c.ZALO_OA_SECRET_KEY,
    c.ZALO_OA_REFRESH_TOKEN,
    c.ADMIN_TOKEN,
    c.METRICS_TOKEN,
    c.WEB_COOKIE_SECRET,
    c.EMBEDDINGS_API_KEY,
    c.LLM_API_KEY,
    c.DATABASE_URL,
    databasePassword(c.DATABASE_URL),
  ].filter((s): s is string => typeof s === "string" && s.length >= 4);
}

/** The password inside a database URL, so a logged connection error cannot show it. */
function databasePassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
