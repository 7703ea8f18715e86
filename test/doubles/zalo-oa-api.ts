// Loopback emulator of the Zalo Official Account Open API v3, kept as a test double of a real boundary:
//   POST /v3.0/oa/message/cs (header access_token; JSON {"recipient":{"user_id"},"message":{"text"}}, text 1–2000)
//   POST /v4/oa/access_token (form refresh_token, app_id, grant_type=refresh_token; header secret_key = app secret)
// Refresh tokens are single-use; access tokens expire when the test says so (-216 afterwards). Every call is
// recorded; shapes are checked strictly (an extra field, a missing header or a wrong content type is refused).
// It also builds webhook events signed as Zalo signs them (X-ZEvent-Signature: mac=sha256(app_id+body+timestamp+key)).
import crypto from "node:crypto";
import type http from "node:http";
import { LoopbackDouble } from "./http.js";

export interface OaCall {
  endpoint: "message/cs" | "access_token" | "unknown";
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** The `error` code answered (0 = success; absent until answered). */
  error?: number;
  at: number;
}

export interface OaScripted {
  status: number;
  body: unknown;
}

const random = (prefix: string) => `${prefix}${crypto.randomBytes(18).toString("base64url")}`;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, keys: string[]) => Object.keys(o).sort().join() === [...keys].sort().join();

export class ZaloOaApiDouble extends LoopbackDouble {
  readonly calls: OaCall[] = [];
  /** Every token this emulator has issued (tests check that none reaches a log). */
  readonly issued: string[] = [];
  readonly appId: string;
  readonly appSecret: string;
  readonly secretKey: string;
  /** Delay before answering a renewal (widens the window in which two replicas could both renew). */
  refreshDelayMs = 0;
  /** Delay before answering a message. */
  sendDelayMs = 0;
  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Set<string>();
  private readonly scripted = new Map<string, OaScripted[]>();
  private nextMessage = 1;

  constructor(o: { appId?: string; appSecret?: string; secretKey?: string } = {}) {
    super();
    this.appId = o.appId ?? "2553928453557884079";
    this.appSecret = o.appSecret ?? random("app-secret-");
    this.secretKey = o.secretKey ?? random("oa-key-");
  }

  /** The server's ZALO_OA_* variables for this emulator (a new grant unless `refreshToken` is given). */
  env(refreshToken = this.authorize()): Record<string, string> {
    return {
      ZALO_OA_APP_ID: this.appId,
      ZALO_OA_APP_SECRET: this.appSecret,
      ZALO_OA_SECRET_KEY: this.secretKey,
      ZALO_OA_REFRESH_TOKEN: refreshToken,
      ZALO_OA_API_BASE: this.url,
      ZALO_OA_OAUTH_BASE: this.url,
    };
  }

  /** A new grant, as when a person authorises the app: its refresh token (valid once). */
  authorize(): string {
    return this.issue(this.refreshTokens, "rt-");
  }

  /** Every access token issued so far stops working (Zalo answers -216). */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Every refresh token stops working (the app's authorisation was revoked). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  /** The next calls of `endpoint` get these answers first. */
  failNext(endpoint: OaCall["endpoint"], ...responses: OaScripted[]): void {
    this.scripted.set(endpoint, [...(this.scripted.get(endpoint) ?? []), ...responses]);
  }

  callsOf(endpoint: OaCall["endpoint"]): OaCall[] {
    return this.calls.filter((c) => c.endpoint === endpoint);
  }

  /** Texts delivered to `userId` (or to anyone). */
  sent(userId?: string): string[] {
    return this.callsOf("message/cs")
      .filter((c) => c.error === 0)
      .map((c) => c.body as { recipient: { user_id: string }; message: { text: string } })
      .filter((b) => userId === undefined || b.recipient.user_id === userId)
      .map((b) => b.message.text);
  }

  /** A webhook event from a follower, as Zalo posts it. */
  textEvent(userId: string, text: string, msgId = random("msg")): Record<string, unknown> {
    return this.event("user_send_text", userId, { message: { text, msg_id: msgId } });
  }

  event(eventName: string, userId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const who = eventName === "follow" || eventName === "unfollow" ? { follower: { id: userId } } : { sender: { id: userId } };
    return {
      event_name: eventName,
      app_id: this.appId,
      ...who,
      recipient: { id: "3662729599332560487" },
      timestamp: String(Date.now()),
      user_id_by_app: `app-${userId}`,
      ...extra,
    };
  }

  /** The X-ZEvent-Signature header for a raw body (`key`: a wrong key for negative tests). */
  signature(raw: string, key = this.secretKey): string {
    const { app_id, timestamp } = JSON.parse(raw) as { app_id?: string; timestamp?: string };
    return `mac=${crypto
      .createHash("sha256")
      .update(`${app_id ?? ""}${raw}${timestamp ?? ""}${key}`)
      .digest("hex")}`;
  }

  /** Posts `event` to a server's webhook, signed (or with `signature` given, e.g. a wrong one or null for none). */
  async deliver(baseUrl: string, event: unknown, signature?: string | null): Promise<Response> {
    const raw = JSON.stringify(event);
    const headers: Record<string, string> = { "content-type": "application/json" };
    const mac = signature === undefined ? this.signature(raw) : signature;
    if (mac !== null) headers["x-zevent-signature"] = mac;
    return fetch(`${baseUrl}/zalo-oa/webhook`, { method: "POST", headers, body: raw });
  }

  private issue(into: Set<string>, prefix: string): string {
    const token = random(prefix);
    into.add(token);
    this.issued.push(token);
    return token;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const endpoint =
      req.method !== "POST"
        ? "unknown"
        : path === "/v3.0/oa/message/cs"
          ? "message/cs"
          : path === "/v4/oa/access_token"
            ? "access_token"
            : "unknown";
    const call: OaCall = { endpoint, headers: req.headers, body: raw, at: Date.now() };
    this.calls.push(call);
    const answer = this.scripted.get(endpoint)?.shift() ?? (await this.answer(call, raw));
    const body = answer.body as { error?: number };
    call.error = typeof body?.error === "number" ? body.error : answer.status === 200 ? 0 : answer.status;
    if (res.destroyed) return;
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  }

  private async answer(call: OaCall, raw: string): Promise<OaScripted> {
    if (call.endpoint === "message/cs") {
      if (this.sendDelayMs) await new Promise((r) => setTimeout(r, this.sendDelayMs));
      return this.message(call, raw);
    }
    if (call.endpoint === "access_token") {
      if (this.refreshDelayMs) await new Promise((r) => setTimeout(r, this.refreshDelayMs));
      return this.renew(call, raw);
    }
    return { status: 404, body: { error: 404, message: "Not Found" } };
  }

  private message(call: OaCall, raw: string): OaScripted {
    const refuse = (error: number, message: string) => ({ status: 200, body: { error, message } });
    if (!String(call.headers["content-type"]).startsWith("application/json")) return refuse(-201, "content type must be JSON");
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return refuse(-201, "invalid JSON");
    }
    call.body = body;
    const token = call.headers.access_token;
    if (typeof token !== "string" || !this.accessTokens.has(token)) return refuse(-216, "Access token is invalid");
    if (!isPlainObject(body) || !onlyKeys(body, ["recipient", "message"])) return refuse(-201, "body must be {recipient, message}");
    const { recipient, message } = body;
    if (!isPlainObject(recipient) || !onlyKeys(recipient, ["user_id"]) || typeof recipient.user_id !== "string" || !recipient.user_id)
      return refuse(-201, "recipient must be {user_id}");
    if (!isPlainObject(message) || !onlyKeys(message, ["text"]) || typeof message.text !== "string")
      return refuse(-201, "message must be {text}");
    if (message.text.length < 1 || message.text.length > 2000) return refuse(-201, "text must be 1-2000 characters");
    return {
      status: 200,
      body: { error: 0, message: "Success", data: { message_id: `m${this.nextMessage++}`, user_id: recipient.user_id } },
    };
  }

  private renew(call: OaCall, raw: string): OaScripted {
    const refuse = (error: number, name: string) => ({ status: 200, body: { error, error_name: name, error_description: name } });
    if (call.headers["content-type"] !== "application/x-www-form-urlencoded") return refuse(-14001, "Invalid content type");
    const form = new URLSearchParams(raw);
    call.body = Object.fromEntries(form);
    if (call.headers.secret_key !== this.appSecret) return refuse(-14003, "Invalid secret key");
    if ([...form.keys()].sort().join() !== "app_id,grant_type,refresh_token") return refuse(-14002, "Invalid parameters");
    if (form.get("app_id") !== this.appId || form.get("grant_type") !== "refresh_token") return refuse(-14002, "Invalid parameters");
    const used = form.get("refresh_token") ?? "";
    if (!this.refreshTokens.delete(used)) return refuse(-14014, "Invalid refresh token");
    const access = this.issue(this.accessTokens, "at-");
    const refresh = this.issue(this.refreshTokens, "rt-");
    return { status: 200, body: { access_token: access, refresh_token: refresh, expires_in: "90000" } };
  }
}
