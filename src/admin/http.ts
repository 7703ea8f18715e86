// Admin HTTP endpoints under /admin, behind `Authorization: Bearer <ADMIN_TOKEN>`, for uploads from a
// browser (multipart form) or a script (raw body + ?filename=). Responses are JSON; `text` and `error` are
// Vietnamese for the operator.
//   GET    /admin/documents                 list
//   GET    /admin/documents/:id             metadata and section tree
//   POST   /admin/documents                 upload (query/form fields: id, title, shortTitle, number, date,
//                                           issuer, style, alias, supersedes, replace)
//   PATCH  /admin/documents/:id             correct metadata (JSON body)
//   DELETE /admin/documents/:id             remove
//   POST   /admin/documents/:id/status      {status, by?, note?}
//   POST   /admin/reindex                   rebuild
//   GET    /admin/versions                  index versions
//   POST   /admin/rollback                  {version?}
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from "express";
import type { Config } from "../config.js";
import { auditedChanges, type AuditLog, type ChangeOps } from "./audit.js";
import type { ChangeReport, CorpusAdmin } from "./corpus-admin.js";
import { overridesFrom, parseFlags, supersedesFrom, type Flags } from "./args.js";
import { CorpusError, formatMb, httpStatusOf, isCorpusError } from "../corpus/ingest/index.js";
import { bearerGuard } from "../channels/bearer.js";
import { silentLogger, type Logger } from "../log.js";
import { adminMessages } from "./messages.js";
import { decodeField, singleQuery } from "./decode.js";
import { boundaryOf, parseMultipart } from "./multipart.js";

export interface AdminRouterOptions {
  admin: CorpusAdmin;
  /** Records every change with the actor "admin-token" and channel "http". */
  audit?: AuditLog;
  /** JSON reports for scripts: GET /admin/unanswered and /admin/stats (given by the console). */
  reports?: { unanswered(): unknown; stats(): unknown };
  config: Pick<Config, "ADMIN_TOKEN" | "UPLOAD_MAX_BYTES" | "AUTH_MAX_FAILURES" | "AUTH_FAILURE_WINDOW_MS">;
  log?: Logger;
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What a change returns over HTTP: the summary text and the machine-readable parts. */
function reportJson(r: ChangeReport) {
  return { text: r.text, version: r.version, previous: r.previous, document: r.document ?? null, diff: r.diff, ms: r.ms };
}

/** Query/form fields → the CLI's flags (same names, camelCase accepted), so one parser checks them all. */
function flagsFrom(fields: Record<string, unknown>): Flags {
  const argv: string[] = [];
  const names: Record<string, string> = { shortTitle: "short-title", aliases: "alias" };
  for (const [key, raw] of Object.entries(fields)) {
    const name = names[key] ?? key;
    if (name === "filename") continue;
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (typeof v !== "string" && typeof v !== "boolean") continue;
      if (name === "replace") {
        if (v === true || v === "true" || v === "1" || v === "") argv.push("--replace");
      } else argv.push(`--${name}`, String(v));
    }
  }
  return parseFlags(argv).flags;
}

type Handler = (req: Request, res: Response) => Promise<unknown> | unknown;

/** A JSON endpoint: a refusal (CorpusError) becomes its status and Vietnamese message; anything else a 500. */
function jsonHandler(log: Logger): (fn: Handler) => RequestHandler {
  return (fn) => async (req, res) => {
    try {
      const body = await fn(req, res);
      if (!res.headersSent) res.json(body);
    } catch (err) {
      if (isCorpusError(err)) {
        res.status(httpStatusOf(err)).json({ error: err.vi, code: err.code });
        return;
      }
      log.error("admin request failed", { path: req.path, err: errText(err) });
      res.status(500).json({ error: adminMessages.failed });
    }
  };
}

/** The uploaded file and its fields: multipart form (browser) or raw body with ?filename= / X-Filename (script). */
function uploadOf(req: Request): { bytes: Buffer; fileName: string; fields: Record<string, unknown> } {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const boundary = boundaryOf(req.get("content-type"));
  const query: Record<string, unknown> = { ...req.query };
  let upload: { bytes: Buffer; fileName: string | undefined; fields: Record<string, unknown> };
  if (boundary) {
    const form = parseMultipart(body, boundary);
    const file = form.files.find((f) => f.field === "file") ?? form.files[0];
    if (!file) throw new CorpusError("usage", adminMessages.missingFile, "multipart upload without a file");
    upload = { bytes: file.data, fileName: file.fileName, fields: { ...query, ...form.fields } };
  } else {
    const header = req.get("x-filename");
    const fileName = singleQuery(req.query.filename, "filename") ?? (header ? decodeField(header, "X-Filename") : undefined);
    upload = { bytes: body, fileName, fields: query };
  }
  if (!upload.fileName) throw new CorpusError("usage", adminMessages.missingFile, "upload without a file name");
  return { ...upload, fileName: upload.fileName };
}

function uploadHandler(admin: Pick<ChangeOps, "add">, log: Logger): Handler {
  return async (req, res) => {
    const { bytes, fileName, fields } = uploadOf(req);
    const flags = flagsFrom(fields);
    const overrides = overridesFrom(flags);
    overrides.source ??= `Tệp «${fileName}» tải lên qua trang quản trị ngày ${new Date().toISOString().slice(0, 10)}`;
    const report = await admin.add({ bytes, fileName, overrides, replace: !!flags.replace, supersedes: supersedesFrom(flags) });
    log.info("admin upload ingested", { channel: "http", doc: report.document?.id, version: report.version });
    res.status(201);
    return reportJson(report);
  };
}

/** Body-parser failures (too large, bad JSON) in Vietnamese; anything else a logged 500. */
function errorHandler(config: AdminRouterOptions["config"], log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const type = (err as { type?: string }).type;
    if (type === "entity.too.large") {
      res.status(413).json({ error: `Tệp vượt giới hạn ${formatMb(config.UPLOAD_MAX_BYTES)}. Hãy gửi bản nhỏ hơn.`, code: "too_large" });
      return;
    }
    if (type === "entity.parse.failed" || (err as { status?: number }).status === 400) {
      res.status(400).json({ error: adminMessages.badBody });
      return;
    }
    log.error("admin request failed", { err: errText(err) });
    res.status(500).json({ error: adminMessages.failed });
  };
}

function sectionTreeJson(admin: CorpusAdmin, id: string) {
  const { meta, sections } = admin.show(id);
  return {
    document: meta,
    sections: sections.map((s) => ({ id: s.id, label: s.label, heading: s.heading, parent: s.parent, paragraphs: s.paragraphs.length })),
  };
}

export function createAdminRouter(opts: AdminRouterOptions): Router {
  const { admin, config } = opts;
  // Changes go through the audited operations (reads to the admin itself).
  const changes = auditedChanges(admin, opts.audit, { who: "admin-token", channel: "http" });
  const log = opts.log ?? silentLogger;
  const handle = jsonHandler(log);
  const router = express.Router();
  router.use(bearerGuard({ name: "admin", token: config.ADMIN_TOKEN, config, log, messages: adminMessages }));

  router.get(
    "/documents",
    handle(() => ({ documents: admin.list().map((r) => ({ ...r.meta, sections: r.sections })) })),
  );
  router.get(
    "/documents/:id",
    handle((req) => sectionTreeJson(admin, String(req.params.id))),
  );
  const upload = express.raw({ type: () => true, limit: config.UPLOAD_MAX_BYTES });
  router.post("/documents", upload, handle(uploadHandler(changes, log)));

  const json = express.json({ limit: "64kb" });
  router.patch(
    "/documents/:id",
    json,
    handle(async (req) => reportJson(await changes.update(String(req.params.id), overridesFrom(flagsFrom(req.body ?? {}))))),
  );
  router.delete(
    "/documents/:id",
    handle(async (req) => reportJson(await changes.remove(String(req.params.id)))),
  );
  router.post(
    "/documents/:id/status",
    json,
    handle(async (req) => {
      const b = (req.body ?? {}) as { status?: string; by?: string; note?: string };
      return reportJson(await changes.setStatus(String(req.params.id), String(b.status ?? ""), b.by, b.note));
    }),
  );
  router.post(
    "/reindex",
    handle(async () => reportJson(await changes.reindex())),
  );
  router.get(
    "/versions",
    handle(() => ({ versions: admin.versions() })),
  );
  if (opts.reports) {
    const reports = opts.reports;
    router.get(
      "/unanswered",
      handle(async () => ({ groups: await reports.unanswered() })),
    );
    router.get(
      "/stats",
      handle(() => reports.stats()),
    );
  }
  router.post(
    "/rollback",
    json,
    handle(async (req) => reportJson(await changes.rollback((req.body as { version?: string } | undefined)?.version))),
  );

  router.use((_req, res) => {
    res.status(404).json({ error: adminMessages.notFound });
  });
  router.use(errorHandler(config, log));
  return router;
}
