// Operator endpoints: GET /readyz (public: the status alone; with the operator token: each channel's state, the index
// version and the state store; 503 until every channel is ready, "degraded" while the database is down) and
// GET /metrics (Prometheus text), both behind METRICS_TOKEN or else ADMIN_TOKEN. Not ready either while a file
// of the serving index is damaged (the operator's report names it).
import type { Express } from "express";
import type { ChannelSupervision } from "../channels/index.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { IndexInfo, Metrics } from "../metrics.js";
import { bearerGuard } from "../channels/bearer.js";

export const opsMessages = {
  noToken: "Chưa cấu hình METRICS_TOKEN hoặc ADMIN_TOKEN nên địa chỉ /metrics đang tắt.",
  unauthorized: "Cần mã truy cập hợp lệ (tiêu đề Authorization: Bearer <METRICS_TOKEN hoặc ADMIN_TOKEN>).",
};

export interface OpsDeps {
  channels: ChannelSupervision;
  metrics: Metrics;
  indexInfo: () => IndexInfo | undefined;
  /** The shared state store: its kind and whether it answers (PostgreSQL with replicas). */
  database?: { kind: string; ping(): Promise<void> };
  config: Pick<Config, "METRICS_TOKEN" | "ADMIN_TOKEN" | "AUTH_MAX_FAILURES" | "AUTH_FAILURE_WINDOW_MS">;
  log: Logger;
}

/** ready: everything answers; degraded: questions are answered but the database is down (logging skipped). */
export type Readiness = "ready" | "degraded" | "not_ready";

/** The full readiness report (for operators): each channel, the serving index version, the database. */
async function readinessReport(deps: OpsDeps) {
  const channels = deps.channels.health();
  const meta = deps.indexInfo();
  const index = meta ? { version: meta.version, createdAt: meta.createdAt, damaged: meta.damaged ?? [] } : null;
  const database = deps.database ? { kind: deps.database.kind, ok: await databaseAnswers(deps.database, deps.log) } : undefined;
  // A damaged file of the serving version (index.damaged names it) makes the replica not ready until it is rebuilt.
  const serving = !!index && !index.damaged.length && Object.values(channels).every((c) => c.state === "ready");
  const status: Readiness = !serving ? "not_ready" : database?.ok === false ? "degraded" : "ready";
  return { status, ready: status === "ready", index, channels, database };
}

export function mountOps(app: Express, deps: OpsDeps): void {
  const token = deps.config.METRICS_TOKEN ?? deps.config.ADMIN_TOKEN;
  const guard = bearerGuard({ name: "metrics", token, config: deps.config, log: deps.log, messages: opsMessages });
  // Anyone may ask whether the replica serves (a proxy's health check): the status alone. Channel errors, the index
  // version and the database are for operators (the same bearer token as /metrics). A degraded replica answers
  // questions (200): taking every replica out of rotation because the shared database is down would stop answers too.
  app.get("/readyz", async (req, res) => {
    const report = await readinessReport(deps);
    const code = report.status === "not_ready" ? 503 : 200;
    if (!req.get("authorization")) {
      res.status(code).json({ status: report.status });
      return;
    }
    guard(req, res, () => void res.status(code).json(report));
  });

  app.get("/metrics", guard, async (_req, res) => {
    res.set("Content-Type", deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}

async function databaseAnswers(database: NonNullable<OpsDeps["database"]>, log: Logger): Promise<boolean> {
  try {
    await database.ping();
    return true;
  } catch (err) {
    log.warn("readiness check: state store unreachable", { err });
    return false;
  }
}
