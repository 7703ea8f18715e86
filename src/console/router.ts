// The staff console: /quan-tri (the page, public/quan-tri.*) and its JSON API under /quan-tri/api. Every
// change goes through CorpusAdmin (the CLI's validated, versioned path) and is recorded in the audit log.
import crypto from "node:crypto";
import path from "node:path";
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from "express";
import { auditedChanges, type AuditLog, type ChangeOps } from "../admin/audit.js";
import { decodeField } from "../admin/decode.js";
import type { FeedbackStore } from "../chat/feedback.js";
import type { Config } from "../config.js";
import type { CorpusAdmin } from "../admin/corpus-admin.js";
import type { StagedChange } from "../admin/preview.js";
import { CorpusError, formatMb, httpStatusOf, isCorpusError, type MetaOverrides, type PreparedDocument } from "../corpus/ingest/index.js";
import { answerQuestion } from "../answer/index.js";
import type { AgencyRegistry } from "../duties/index.js";
import { silentLogger, type Logger } from "../log.js";
import { checkCredentials, cookieValue, readUsersFile, SessionStore, SignInThrottle, type Session } from "./auth.js";
import { consoleMessages as msg } from "./messages.js";
import { previewJson } from "./preview.js";
import type { SessionBackend } from "../store/index.js";
import type { QuestionLog } from "./questions.js";
import { reportsOf } from "./reports.js";

export interface ConsoleDeps {
  admin: CorpusAdmin;
  audit?: AuditLog;
  questions: QuestionLog;
  feedback?: FeedbackStore;
  agencies: () => AgencyRegistry;
  config: Pick<Config, "ADMIN_TOKEN" | "ADMIN_USERS_FILE" | "CONSOLE_SESSION_HOURS" | "UPLOAD_MAX_BYTES" | "TZ_OFFSET_MINUTES">;
  log?: Logger;
  publicDir: string;
  /** Where sessions live (default: in memory). */
  sessions?: SessionBackend;
  /** Vietnamese alerts that need a person's action (a channel that lost its authorisation). */
  alerts?: () => Promise<string[]>;
}

const COOKIE = "quan_tri_phien";
const STAGED_TTL_MS = 30 * 60_000;

interface Staged {
  staged: StagedChange;
  prepared: PreparedDocument;
  bytes: Buffer;
  fileName: string;
  /** A new text for the document with the same id (chosen before the upload, so the preview shows it). */
  replace: boolean;
  who: string;
  timer: NodeJS.Timeout;
}

type Handler = (req: Request, res: Response, session: Session) => unknown;

/** JSON handlers: refusals become their Vietnamese message and status; anything else is logged. */
function jsonHandler(log: Logger, fn: Handler): RequestHandler {
  return async (req, res) => {
    try {
      const body = await fn(req, res, res.locals.session as Session);
      if (!res.headersSent) res.json(body);
    } catch (err) {
      if (isCorpusError(err)) {
        res.status(httpStatusOf(err)).json({ error: err.vi, code: err.code });
        return;
      }
      log.error("console request failed", { path: req.path, err: err instanceof Error ? err.message : String(err) });
      res.status(500).json({ error: msg.failed });
    }
  };
}

export function createConsoleRouter(deps: ConsoleDeps): Router {
  const log = deps.log ?? silentLogger;
  const sessions = new SessionStore(deps.config.CONSOLE_SESSION_HOURS * 3_600_000, Date.now, deps.sessions);
  const router = express.Router();
  router.get("/", (_req, res) => res.sendFile(path.join(deps.publicDir, "quan-tri.html")));
  router.use("/api", apiRouter(deps, sessions, log));
  return router;
}

function apiRouter(deps: ConsoleDeps, sessions: SessionStore, log: Logger): Router {
  const api = express.Router();
  api.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  api.use(express.json({ limit: "64kb", type: "application/json" }));
  api.use(rejectMalformedCookie);
  signInRoutes(api, deps, sessions, log);
  api.use(requireSession(sessions, log));
  const staged = new Map<string, Staged>();
  const ops = (s: Session): ChangeOps => auditedChanges(deps.admin, deps.audit, { who: s.who, channel: "console" });
  documentRoutes(api, deps, ops, log);
  stagedRoutes(api, deps, staged, ops, log);
  reportRoutes(api, deps, log);
  api.use((_req, res) => {
    res.status(404).json({ error: msg.notFound });
  });
  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    const type = (err as { type?: string }).type;
    if (type === "entity.too.large") {
      res.status(413).json({ error: msg.tooLarge(formatMb(deps.config.UPLOAD_MAX_BYTES)), code: "too_large" });
      return;
    }
    if ((err as { status?: number }).status === 400) {
      res.status(400).json({ error: msg.badBody });
      return;
    }
    log.error("console request failed", { err: err instanceof Error ? err.message : String(err) });
    res.status(500).json({ error: msg.failed });
  };
  api.use(errors);
  return api;
}

function signInRoutes(api: Router, deps: ConsoleDeps, sessions: SessionStore, log: Logger): void {
  const throttle = new SignInThrottle();
  api.post("/dang-nhap", async (req, res) => {
    const address = req.ip ?? "unknown";
    const wait = throttle.blockedFor(address);
    if (wait > 0) {
      log.warn("console sign-in throttled", { address });
      res
        .status(429)
        .set("Retry-After", String(wait))
        .json({ error: msg.throttled(Math.ceil(wait / 60)) });
      return;
    }
    const body = (req.body ?? {}) as { name?: unknown; password?: unknown };
    const name = typeof body.name === "string" ? body.name.trim() : "";
    const password = typeof body.password === "string" ? body.password : "";
    if (!deps.config.ADMIN_TOKEN && !deps.config.ADMIN_USERS_FILE) {
      res.status(503).json({ error: msg.noAccounts });
      return;
    }
    const who = checkCredentials(name, password, {
      adminToken: deps.config.ADMIN_TOKEN,
      users: readUsersFile(deps.config.ADMIN_USERS_FILE).users,
    });
    if (!who) {
      throttle.fail(address);
      log.warn("console sign-in refused", { address, named: name !== "" });
      res.status(401).json({ error: msg.badCredentials });
      return;
    }
    throttle.succeed(address);
    const s = await sessions.create(who);
    const maxAge = deps.config.CONSOLE_SESSION_HOURS * 3600;
    const secure = req.secure ? "; Secure" : "";
    res.set("Set-Cookie", `${COOKIE}=${s.id}; HttpOnly; SameSite=Strict; Path=/quan-tri; Max-Age=${maxAge}${secure}`);
    log.info("console sign-in", { who });
    res.json({ who, csrf: s.csrf, expires: new Date(s.expires).toISOString() });
  });
  // Signing out is a change too: it needs the session's CSRF token like every other (another site must not sign
  // staff out). Without it the answer is 403 and the session stays valid, rather than an "ok" that did nothing.
  api.post("/dang-xuat", async (req, res) => {
    const s = await sessions.get(sessionCookie(req));
    if (s && !csrfMatches(req, s)) {
      log.warn("console sign-out refused: missing or wrong CSRF token", { who: s.who });
      res.status(403).json({ error: msg.csrf });
      return;
    }
    if (s) await sessions.end(s.id);
    res.set("Set-Cookie", `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/quan-tri; Max-Age=0`).json({ ok: true });
  });
}

const sessionCookie = (req: Request) => cookieValue(req.get("cookie"), COOKIE) ?? undefined;

/** The request's X-CSRF-Token is the session's (compared in constant time). */
function csrfMatches(req: Request, s: Session): boolean {
  const a = crypto
    .createHash("sha256")
    .update(req.get("x-csrf-token") ?? "")
    .digest();
  const b = crypto.createHash("sha256").update(s.csrf).digest();
  return crypto.timingSafeEqual(a, b);
}

/** A session cookie that is not valid percent-encoding is a bad request (400), not a failure of ours. */
const rejectMalformedCookie: RequestHandler = (req, res, next) => {
  if (cookieValue(req.get("cookie"), COOKIE) !== null) return next();
  res.status(400).json({ error: msg.badCookie });
};

/** A valid session cookie for everything; the session's CSRF token (header) for every change. */
function requireSession(sessions: SessionStore, log: Logger): RequestHandler {
  return async (req, res, next) => {
    const s = await sessions.get(sessionCookie(req));
    if (!s) {
      res.status(401).json({ error: msg.signInFirst });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD" && !csrfMatches(req, s)) {
      log.warn("console change refused: missing or wrong CSRF token", { path: req.path, who: s.who });
      res.status(403).json({ error: msg.csrf });
      return;
    }
    res.locals.session = s;
    next();
  };
}

/** The metadata fields staff may correct (the same names as the HTTP API and CLI options). */
function overridesFromBody(body: unknown): MetaOverrides {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof b[k] === "string" ? (b[k] as string).trim() : undefined);
  const aliases = Array.isArray(b.aliases) ? b.aliases.filter((a): a is string => typeof a === "string" && a.trim() !== "") : undefined;
  const style = text("style") as MetaOverrides["style"] | undefined;
  const role = text("role") as MetaOverrides["role"] | undefined;
  return {
    id: text("id"),
    title: text("title"),
    shortTitle: text("shortTitle"),
    number: text("number"),
    date: text("date"),
    issuer: text("issuer"),
    style,
    role,
    aliases,
  };
}

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;

function documentRoutes(api: Router, deps: ConsoleDeps, ops: (s: Session) => ChangeOps, log: Logger): void {
  const h = (fn: Handler) => jsonHandler(log, fn);
  api.get(
    "/phien",
    h((_req, _res, s) => ({ who: s.who, csrf: s.csrf, expires: new Date(s.expires).toISOString() })),
  );
  api.get(
    "/canh-bao",
    h(async () => ({ alerts: (await deps.alerts?.()) ?? [] })),
  );
  api.get(
    "/van-ban",
    h(async () => ({ documents: await documentRows(deps) })),
  );
  api.get(
    "/van-ban/:id",
    h((req) => {
      const { meta, sections } = deps.admin.show(String(req.params.id));
      return {
        document: meta,
        sections: sections.map((x) => ({ id: x.id, label: x.label, heading: x.heading, parent: x.parent ?? null })),
      };
    }),
  );
  api.patch(
    "/van-ban/:id",
    h(async (req, _res, s) => (await ops(s).update(String(req.params.id), defined(overridesFromBody(req.body)))).text),
  );
  api.post(
    "/van-ban/:id/tinh-trang",
    h(async (req, _res, s) => {
      const b = (req.body ?? {}) as { status?: string; by?: string; note?: string };
      return (await ops(s).setStatus(String(req.params.id), String(b.status ?? ""), b.by || undefined, b.note || undefined)).text;
    }),
  );
  api.delete(
    "/van-ban/:id",
    h(async (req, _res, s) => (await ops(s).remove(String(req.params.id))).text),
  );
  api.get(
    "/phien-ban",
    h(async () => ({ versions: await versionRows(deps) })),
  );
  api.post(
    "/khoi-phuc",
    h(async (req, _res, s) => (await ops(s).rollback(String((req.body as { version?: string })?.version ?? "") || undefined)).text),
  );
}

/** Documents with section counts and the time of their last recorded change. */
async function documentRows(deps: ConsoleDeps) {
  const lastChange = new Map<string, string>();
  for (const e of (await deps.audit?.list(1000)) ?? [])
    if (e.outcome === "ok")
      for (const c of [...e.changes.map((x) => x.id), e.target ?? ""]) if (!lastChange.has(c)) lastChange.set(c, e.at);
  return deps.admin
    .list()
    .map((r) => ({ ...r.meta, role: r.meta.role ?? null, sections: r.sections, lastChange: lastChange.get(r.meta.id) ?? null }));
}

/** Versions with who made each and what changed (from the audit log). */
async function versionRows(deps: ConsoleDeps) {
  const made = new Map(
    ((await deps.audit?.list(1000)) ?? [])
      .filter((e) => e.outcome === "ok" && e.version)
      .reverse()
      .map((e) => [e.version!, e]),
  );
  return deps.admin.versions().map((v) => {
    const e = made.get(v.version);
    return {
      version: v.version,
      createdAt: v.createdAt,
      current: v.current,
      restorable: v.restorable,
      documents: v.documents,
      who: e?.who ?? null,
      channel: e?.channel ?? null,
      action: e?.action ?? null,
      changes: e?.changes ?? [],
    };
  });
}

function stagedRoutes(api: Router, deps: ConsoleDeps, staged: Map<string, Staged>, ops: (s: Session) => ChangeOps, log: Logger): void {
  const h = (fn: Handler) => jsonHandler(log, fn);
  const drop = (id: string) => {
    const s = staged.get(id);
    if (!s) return;
    clearTimeout(s.timer);
    s.staged.discard();
    staged.delete(id);
  };
  const find = (req: Request): Staged => {
    const s = staged.get(String(req.params.id));
    if (!s) throw new CorpusError("not_found", msg.stagedGone, "unknown or expired staged upload");
    return s;
  };
  api.post(
    "/tai-len",
    express.raw({ type: () => true, limit: deps.config.UPLOAD_MAX_BYTES }),
    h(async (req, _res, session) => {
      const fileName = decodeField(req.get("x-filename") ?? "", "X-Filename");
      if (!fileName) throw new CorpusError("usage", msg.missingFile, "upload without a file name");
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const replace = req.get("x-replace") === "1";
      const { prepared, staged: change } = await deps.admin.stage({ bytes, fileName, overrides: {}, replace });
      const id = crypto.randomBytes(12).toString("base64url");
      // An abandoned preview is discarded after a while; its files live under DATA_DIR/corpus-work.
      const timer = setTimeout(() => drop(id), STAGED_TTL_MS);
      timer.unref();
      staged.set(id, { staged: change, prepared, bytes, fileName, replace, who: session.who, timer });
      log.info("console upload staged", { who: session.who, doc: prepared.meta.id });
      return { stageId: id, ...previewJson(prepared, change, deps.agencies()) };
    }),
  );
  api.post(
    "/tai-len/:id/hoi",
    h(async (req) => {
      const question = String((req.body as { question?: unknown })?.question ?? "").trim();
      if (!question) throw new CorpusError("usage", msg.emptyQuestion, "empty preview question");
      const a = await answerQuestion(find(req).staged.index, question.slice(0, 1000));
      return {
        answer: a.answer,
        abstained: a.abstained,
        citations: a.citations.map(({ doc, section, title, quote }) => ({ doc, section, title, quote })),
      };
    }),
  );
  api.post(
    "/tai-len/:id/xac-nhan",
    h(async (req, _res, session) => {
      const s = find(req);
      const overrides = {
        ...defined(overridesFromBody(req.body)),
        source: `Tệp «${s.fileName}» tải lên qua trang quản trị ngày ${new Date().toISOString().slice(0, 10)}`,
      };
      // The preview's conversion is reused: a scan is not OCR'd a second time.
      const { text, format, notes } = s.prepared;
      const converted = { text, format, notes };
      const report = await ops(session).add({ bytes: s.bytes, fileName: s.fileName, overrides, replace: s.replace, converted });
      drop(String(req.params.id));
      return { text: report.text, version: report.version, document: report.document ?? null };
    }),
  );
  api.delete(
    "/tai-len/:id",
    h((req) => {
      drop(String(req.params.id));
      return { ok: true };
    }),
  );
}

function reportRoutes(api: Router, deps: ConsoleDeps, log: Logger): void {
  const h = (fn: Handler) => jsonHandler(log, fn);
  const reports = reportsOf(deps);
  api.get(
    "/chua-tra-loi",
    h(async (req) => ({ groups: await reports.unanswered(req.query["ca-da-xu-ly"] === "1") })),
  );
  api.post(
    "/chua-tra-loi/xu-ly",
    h(async (req, _res, s) => {
      const key = String((req.body as { key?: unknown })?.key ?? "");
      if (!key) throw new CorpusError("usage", msg.badBody, "no group key");
      await deps.questions.markHandled(key, s.who);
      return { ok: true };
    }),
  );
  api.get(
    "/thong-ke",
    h(() => reports.stats()),
  );
  api.get(
    "/nhat-ky",
    h(async () => ({ entries: (await deps.audit?.list(200)) ?? [] })),
  );
}
