// Minimal structured logger (English, one JSON line per event) that never prints a secret.
type Level = "debug" | "info" | "warn" | "error" | "silent";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Replace secrets and any `/bot<token>/` URL segment with a placeholder. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\/bot[^/\s"']+/g, "/bot<redacted>");
  for (const s of secrets) if (s) out = out.split(s).join("<redacted>");
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
