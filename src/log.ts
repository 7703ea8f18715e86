// Minimal structured logger (English, one JSON line per event) that never prints a secret.
type Level = "debug" | "info" | "warn" | "error" | "silent";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Percent-encoding with lower-case hex digits ("%2f"), as some clients write it. */
const lowerHex = (encoded: string) => encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/**
 * The ways a secret shows up in text that echoes it: as is, URL-encoded (component, whole URL, form "+" for
 * spaces, twice, lower-case hex), JSON-escaped (a log line is JSON) and base64. Longest first, so a form that
 * contains another is replaced whole.
 */
export function secretForms(secret: string): string[] {
  const url = [encodeURIComponent(secret), encodeURI(secret), encodeURIComponent(encodeURIComponent(secret))];
  const forms = [secret, ...url, ...url.map(lowerHex), encodeURIComponent(secret).replaceAll("%20", "+")];
  const b64 = Buffer.from(secret).toString("base64");
  forms.push(b64, b64.replace(/=+$/, ""), Buffer.from(secret).toString("base64url"));
  const all = [...forms, ...forms.map((f) => JSON.stringify(f).slice(1, -1))];
  return [...new Set(all)].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

const formsCache = new Map<string, string[]>();
const formsOf = (secret: string) => {
  let forms = formsCache.get(secret);
  if (!forms) formsCache.set(secret, (forms = secretForms(secret)));
  return forms;
};

/** Replace secrets (in any of their encoded forms) and any `/bot<token>/` URL segment with a placeholder. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\/bot[^/\s"']+/g, "/bot<redacted>");
  for (const s of secrets) if (s) for (const form of formsOf(s)) if (out.includes(form)) out = out.split(form).join("<redacted>");
  return out;
}

/** An error as "message (cause)": a bare "TypeError: fetch failed" says nothing about why. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? describeError(err.cause) : typeof err.cause === "string" ? err.cause : undefined;
  const code = (err as { code?: unknown }).code;
  const detail = cause ?? (typeof code === "string" && !err.message.includes(code) ? code : undefined);
  return detail && !err.message.includes(detail) ? `${err.message} (${detail})` : err.message;
}

export function createLogger(
  level: Level = "info",
  secrets: readonly string[] = [],
  sink: { write(chunk: string): unknown } = process.stderr,
): Logger {
  const emit = (lvl: Level, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < order[level]) return;
    const payload: Record<string, unknown> = { t: new Date().toISOString(), level: lvl, msg, ...fields };
    if (fields?.err instanceof Error) payload.err = describeError(fields.err);
    sink.write(redact(JSON.stringify(payload), secrets) + "\n");
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
