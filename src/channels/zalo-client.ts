// A small typed client for the Zalo Bot Platform API (Telegram-like: POST /bot<token>/<method>, JSON).
// Our own code on purpose: no personal-account libraries. The token is part of every URL, so errors
// name the method only, never the URL.
import { z } from "zod";

const id = z.union([z.string(), z.number()]).transform(String);

export const zaloUpdateSchema = z
  .object({
    event_name: z.string(),
    message: z
      .object({
        message_id: id,
        date: z.number().optional(),
        chat: z.object({ id, chat_type: z.string().optional() }).passthrough(),
        from: z
          .object({
            id,
            display_name: z.string().optional(),
            first_name: z.string().optional(),
            name: z.string().optional(),
            is_bot: z.boolean().optional(),
          })
          .passthrough()
          .optional(),
        text: z.string().optional(),
      })
      .passthrough(),
  })
  .passthrough();

export type ZaloUpdate = z.infer<typeof zaloUpdateSchema>;

const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error_code: z.coerce.number().int(),
    description: z.string().optional(),
    parameters: z.object({ retry_after: z.coerce.number().optional() }).passthrough().optional(),
  }),
]);

const meSchema = z.object({ id, account_name: z.string().optional(), display_name: z.string().optional() }).passthrough();
const sentSchema = z.object({ message_id: id.optional() }).passthrough();

export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly description: string,
    /** Seconds to wait, from `parameters.retry_after` or a Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(`zalo ${method} failed: ${code} ${description}`);
    this.name = "ZaloApiError";
  }
}

export interface ZaloClientOptions {
  token: string;
  /** e.g. https://bot-api.zaloplatforms.com (older: https://bot-api.zapps.me). */
  baseUrl: string;
  /** Per-request timeout for ordinary calls (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told of each call's outcome (readiness, metrics); a long poll ending empty is a success. */
  observer?: { succeeded(): void; failed(err: unknown): void };
}

export interface ZaloClient {
  getMe(): Promise<z.infer<typeof meSchema>>;
  /** One update, or null when the long poll ended empty (the API answers 408). */
  getUpdates(timeoutSeconds: number, signal?: AbortSignal): Promise<ZaloUpdate | null>;
  sendMessage(chatId: string, text: string): Promise<z.infer<typeof sentSchema>>;
  sendChatAction(chatId: string, action: "typing"): Promise<void>;
  setWebhook(url: string, secretToken: string): Promise<void>;
  deleteWebhook(): Promise<void>;
}

/** A fetch failure without the request URL (it holds the token) but with its cause ("connect ECONNREFUSED …");
 * name and code kept so retries recognise network failures. */
function cleanFetchError(err: unknown, method: string, token: string): Error {
  const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  const why = [code ?? e.name, e.cause?.message ?? e.message].filter((x, i, all) => x && all.indexOf(x) === i).join(": ");
  const clean = new Error(`zalo ${method} request failed: ${why.split(token).join("<redacted>")}`);
  clean.name = e.name === "AbortError" || e.name === "TimeoutError" ? e.name : "FetchError";
  Object.assign(clean, { code });
  return clean;
}

/** The envelope's result, or a ZaloApiError with the platform's code and any retry delay. */
async function resultOf(res: Response, method: string): Promise<unknown> {
  const retryHeader = Number(res.headers.get("retry-after"));
  const payload: unknown = await res.json().catch(() => undefined);
  const parsed = envelopeSchema.safeParse(payload);
  if (!parsed.success)
    throw new ZaloApiError(method, res.ok ? 502 : res.status, res.ok ? "unexpected response" : res.statusText, retryHeader || undefined);
  const env = parsed.data;
  if (!env.ok)
    throw new ZaloApiError(method, env.error_code, env.description ?? "", env.parameters?.retry_after ?? (retryHeader || undefined));
  return env.result;
}

export function createZaloClient(opts: ZaloClientOptions): ZaloClient {
  const doFetch = opts.fetch ?? fetch;
  const root = opts.baseUrl.replace(/\/+$/, "");

  async function call(method: string, body: object, timeoutMs = opts.timeoutMs ?? 30_000, signal?: AbortSignal) {
    try {
      const result = await request(method, body, timeoutMs, signal);
      opts.observer?.succeeded();
      return result;
    } catch (err) {
      if (err instanceof ZaloApiError && err.code === 408) opts.observer?.succeeded();
      else if (!signal?.aborted) opts.observer?.failed(err);
      throw err;
    }
  }

  async function request(method: string, body: object, timeoutMs: number, signal?: AbortSignal) {
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
    let res: Response;
    try {
      res = await doFetch(`${root}/bot${opts.token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      throw cleanFetchError(err, method, opts.token);
    }
    return resultOf(res, method);
  }

  return {
    async getMe() {
      return meSchema.parse(await call("getMe", {}));
    },
    async getUpdates(timeoutSeconds, signal) {
      try {
        const result = await call("getUpdates", { timeout: String(timeoutSeconds) }, (timeoutSeconds + 15) * 1000, signal);
        // Documented as one update per call; accept a one-element array too.
        const one = Array.isArray(result) ? result[0] : result;
        return one === undefined || one === null ? null : zaloUpdateSchema.parse(one);
      } catch (err) {
        if (err instanceof ZaloApiError && err.code === 408) return null;
        throw err;
      }
    },
    async sendMessage(chatId, text) {
      return sentSchema.parse((await call("sendMessage", { chat_id: chatId, text })) ?? {});
    },
    async sendChatAction(chatId, action) {
      await call("sendChatAction", { chat_id: chatId, action });
    },
    async setWebhook(url, secretToken) {
      await call("setWebhook", { url, secret_token: secretToken });
    },
    async deleteWebhook() {
      await call("deleteWebhook", {});
    },
  };
}
