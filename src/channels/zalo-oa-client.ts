// A small typed client for the Zalo Official Account Open API v3 (our own code: no SDK, no personal-account
// libraries): consultation text messages, renewing tokens, and the webhook's event shape and signature.
// Tokens travel in headers and form bodies only; errors name the endpoint and Zalo's code, never a token.
import crypto from "node:crypto";
import { z } from "zod";
import { secretMatches } from "./secret.js";

/** Zalo's error for an invalid or expired access token. */
export const OA_TOKEN_INVALID = -216;
/** Consultation messages longer than this are refused. */
export const OA_TEXT_LIMIT = 2000;

const id = z.union([z.string(), z.number()]).transform(String);

/** A webhook event: user_send_text, user_send_image, follow, unfollow, oa_send_text (echo) … */
export const oaEventSchema = z
  .object({
    event_name: z.string(),
    app_id: id.optional(),
    timestamp: id.optional(),
    sender: z.object({ id }).passthrough().optional(),
    /** `follow` and `unfollow` name the user here instead of in `sender`. */
    follower: z.object({ id }).passthrough().optional(),
    message: z.object({ msg_id: id.optional(), text: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

export type OaEvent = z.infer<typeof oaEventSchema>;

/**
 * The webhook signature: header `X-ZEvent-Signature: mac=<hex>`, hex = SHA-256 of app_id + raw body + timestamp +
 * the OA secret key (app_id and timestamp read from the body), compared in constant time.
 */
export function oaSignatureValid(raw: Buffer, header: unknown, secretKey: string): boolean {
  if (typeof header !== "string" || !secretKey) return false;
  let fields: { app_id?: unknown; timestamp?: unknown };
  try {
    fields = JSON.parse(raw.toString("utf8")) as typeof fields;
  } catch {
    return false;
  }
  if (!fields || typeof fields !== "object") return false;
  const mac = crypto
    .createHash("sha256")
    .update(String(fields.app_id ?? ""))
    .update(raw)
    .update(String(fields.timestamp ?? ""))
    .update(secretKey)
    .digest("hex");
  return secretMatches(`mac=${mac}`, header.trim().toLowerCase());
}

/** An error answer of the OA API (`error` ≠ 0), or an HTTP failure without one. */
export class ZaloOaApiError extends Error {
  constructor(
    readonly endpoint: string,
    /** Zalo's `error` code (e.g. -216), or the HTTP status when the body had none. */
    readonly code: number,
    readonly description: string,
    readonly httpStatus: number,
  ) {
    super(`zalo-oa ${endpoint} failed: ${code} ${description}`);
    this.name = "ZaloOaApiError";
  }
}

/**
 * The OAuth server refused a renewal. `app-credentials`: it names the app id or secret (fix the configuration; the
 * refresh token was not the problem). Anything else is taken as a refused refresh token: a person must re-authorise.
 */
export class OaRefreshRejected extends Error {
  readonly kind: "refresh-token" | "app-credentials";
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(`zalo-oa token renewal refused: ${code} ${description}`);
    this.name = "OaRefreshRejected";
    this.kind = /secret|app[ _-]?id/i.test(description) ? "app-credentials" : "refresh-token";
  }
}

export interface OaTokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export interface ZaloOaClientOptions {
  appId: string;
  appSecret: string;
  /** e.g. https://openapi.zalo.me */
  apiBase: string;
  /** e.g. https://oauth.zaloapp.com */
  oauthBase: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told of each call's outcome (readiness, metrics). */
  observer?: { succeeded(): void; failed(err: unknown): void };
}

export interface ZaloOaClient {
  /** A consultation text message to a follower; Zalo's message id. */
  sendText(accessToken: string, userId: string, text: string): Promise<{ messageId?: string }>;
  /** Exchanges the single-use refresh token for a new access token and a new refresh token. */
  refresh(refreshToken: string): Promise<OaTokenGrant>;
}

const sendSchema = z.object({
  error: z.coerce.number(),
  message: z.string().optional(),
  data: z.object({ message_id: id.optional() }).passthrough().nullish(),
});
const grantSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});
const oauthErrorSchema = z.object({
  error: z.coerce.number(),
  error_name: z.string().optional(),
  error_description: z.string().optional(),
  error_reason: z.string().optional(),
});

/** A fetch failure with its cause ("connect ECONNREFUSED …"), named so retries recognise network failures. */
function networkError(err: unknown, endpoint: string): Error {
  const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  const clean = new Error(`zalo-oa ${endpoint} request failed: ${code ?? e.name}: ${e.cause?.message ?? e.message}`);
  clean.name = e.name === "AbortError" || e.name === "TimeoutError" ? e.name : "FetchError";
  return Object.assign(clean, { code });
}

export function createZaloOaClient(opts: ZaloOaClientOptions): ZaloOaClient {
  const doFetch = opts.fetch ?? fetch;
  const apiBase = opts.apiBase.replace(/\/+$/, "");
  const oauthBase = opts.oauthBase.replace(/\/+$/, "");

  async function request(endpoint: string, url: string, init: RequestInit): Promise<{ res: Response; body: unknown }> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
    } catch (err) {
      const clean = networkError(err, endpoint);
      opts.observer?.failed(clean);
      throw clean;
    }
    return { res, body: await res.json().catch(() => undefined) };
  }

  /** Records a success (readiness) and returns its value. */
  const ok = <T>(value: T): T => {
    opts.observer?.succeeded();
    return value;
  };
  /** Records a failure and throws it. */
  const fail = (err: Error): never => {
    opts.observer?.failed(err);
    throw err;
  };

  return {
    async sendText(accessToken, userId, text) {
      const endpoint = "message/cs";
      const { res, body } = await request(endpoint, `${apiBase}/v3.0/oa/message/cs`, {
        method: "POST",
        headers: { "content-type": "application/json", access_token: accessToken },
        body: JSON.stringify({ recipient: { user_id: userId }, message: { text } }),
      });
      const parsed = sendSchema.safeParse(body);
      if (!parsed.success)
        return fail(new ZaloOaApiError(endpoint, res.status, res.ok ? "unexpected response" : res.statusText, res.status));
      const { error, message, data } = parsed.data;
      if (error !== 0) return fail(new ZaloOaApiError(endpoint, error, message ?? "", res.status));
      return ok({ messageId: data?.message_id });
    },

    async refresh(refreshToken) {
      const endpoint = "oa/access_token";
      const { res, body } = await request(endpoint, `${oauthBase}/v4/oa/access_token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", secret_key: opts.appSecret },
        body: new URLSearchParams({ refresh_token: refreshToken, app_id: opts.appId, grant_type: "refresh_token" }).toString(),
      });
      const grant = grantSchema.safeParse(body);
      if (grant.success) {
        const g = grant.data;
        return ok({ accessToken: g.access_token, refreshToken: g.refresh_token, expiresInSeconds: g.expires_in });
      }
      // A server error or throttling is worth another try later; a well-formed refusal is not.
      const refusal = oauthErrorSchema.safeParse(body);
      if (res.status >= 500 || res.status === 429 || !refusal.success || refusal.data.error === 0)
        return fail(new ZaloOaApiError(endpoint, res.status, res.ok ? "unexpected response" : res.statusText, res.status));
      const r = refusal.data;
      const why = [r.error_name, r.error_description, r.error_reason].filter((x, i, all) => x && all.indexOf(x) === i).join(": ");
      return fail(new OaRefreshRejected(r.error, why || "refused"));
    },
  };
}
