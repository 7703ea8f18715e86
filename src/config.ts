// Environment → one typed Config, parsed once at start and passed down.
import path from "node:path";
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

export const configSchema = z
  .object({
    CORPUS_DIR: z.string().default("corpus"),
    DATA_DIR: z.string().default("data"),
    INDEX_KEEP_VERSIONS: int(5, 1),

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

    ADMIN_TOKEN: optionalString,
    UPLOAD_MAX_BYTES: int(20 * 1024 * 1024, 1),
    /** Per-person console accounts (JSON, scrypt hashes; `npm run admin-user -- add NAME`). */
    ADMIN_USERS_FILE: optionalString,
    /** How long a console sign-in lasts. */
    CONSOLE_SESSION_HOURS: int(8, 1),

    RATE_LIMIT_PER_MINUTE: int(20, 1),
    MAX_QUESTION_LENGTH: int(1000, 10),
    /** Platform API calls (Telegram, Zalo): tries per call and first backoff delay (doubles per try). */
    API_RETRY_ATTEMPTS: int(5, 1),
    API_RETRY_BASE_MS: int(500, 1),
    /** Express "trust proxy" setting behind an HTTPS reverse proxy (e.g. "loopback" or "1"). */
    TRUST_PROXY: optionalString,
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
    TZ_OFFSET_MINUTES: z.coerce.number().int().default(7 * 60),

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

/** Every secret value in the config, for redaction in logs and errors. */
export function secretsOf(c: Config): string[] {
  return [
    c.TELEGRAM_BOT_TOKEN,
    c.TELEGRAM_WEBHOOK_SECRET,
    c.ZALO_BOT_TOKEN,
    c.ZALO_WEBHOOK_SECRET,
    c.ADMIN_TOKEN,
    c.EMBEDDINGS_API_KEY,
    c.LLM_API_KEY,
  ].filter((s): s is string => typeof s === "string" && s.length >= 4);
}
