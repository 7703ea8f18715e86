// Shared plumbing for loopback HTTP doubles of bot APIs: a 127.0.0.1 server on a random port that
// records every call to /bot<token>/<method> and can script failures per method.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  token: string;
  body: Record<string, unknown>;
  at: number;
  /** HTTP status the double answered with (set once answered). */
  status?: number;
}

export interface ScriptedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type MethodHandler = (
  body: Record<string, unknown>,
  call: RecordedCall,
  req: http.IncomingMessage,
) => ScriptedResponse | Promise<ScriptedResponse>;

/** A loopback HTTP server for a platform double: start on 127.0.0.1, stop dropping open connections. */
export abstract class LoopbackDouble {
  private server?: http.Server;
  url = "";

  /** Listens on 127.0.0.1 (`port`: a fixed one, e.g. to come up late where a bot was already pointed). */
  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}

export class BotApiDouble extends LoopbackDouble {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<string, MethodHandler>();
  private readonly scripted = new Map<string, ScriptedResponse[]>();
  private readonly waiters: Array<{ test: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];

  on(method: string, handler: MethodHandler): this {
    this.handlers.set(method, handler);
    return this;
  }

  /** The next calls of `method` get these responses, in order, before normal handling resumes. */
  failNext(method: string, ...responses: ScriptedResponse[]): this {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), ...responses]);
    return this;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call (past or future) matching `test`. */
  waitFor(test: (c: RecordedCall) => boolean, timeoutMs = 10_000, label = "call"): Promise<RecordedCall> {
    const found = this.calls.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${label}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  /** Waits until `count` calls of `method` were made (and returns them). */
  async waitForCount(method: string, count: number, timeoutMs = 10_000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsOf(method).length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} ${method} calls (got ${this.callsOf(method).length})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.callsOf(method);
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    if (!m) return this.reply(res, { status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return this.reply(res, { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: invalid JSON" } });
    }
    const call: RecordedCall = { method: m[2]!, token: decodeURIComponent(m[1]!), body, at: Date.now() };
    this.calls.push(call);
    for (const w of [...this.waiters])
      if (w.test(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(call);
      }
    const queue = this.scripted.get(call.method);
    const scripted = queue?.shift();
    const handler = this.handlers.get(call.method);
    const response = scripted ?? (handler ? await handler(body, call, req) : { status: 200, body: { ok: true, result: true } });
    call.status = response.status;
    this.reply(res, response);
  }

  private reply(res: http.ServerResponse, r: ScriptedResponse): void {
    if (res.destroyed) return;
    res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
    res.end(JSON.stringify(r.body));
  }
}

/** Resolves when `poll()` returns something, or with undefined after `ms` (for long-poll doubles). */
export async function holdUntil<T>(poll: () => T | undefined, ms: number, closed: () => boolean): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = poll();
    if (v !== undefined || Date.now() >= deadline || closed()) return v;
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** A loopback port nothing listens on (yet): connections are refused until a double starts there. */
export async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
