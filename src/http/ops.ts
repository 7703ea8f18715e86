// Operator endpoints: GET /readyz (each channel's state, the index version and the state store; 503 until every
// channel is ready and the database answers, and while a file of the serving index is damaged) and GET /metrics (Prometheus text, behind METRICS_TOKEN or else ADMIN_TOKEN).
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

export function mountOps(app: Express, deps: OpsDeps): void {
  app.get("/readyz", async (_req, res) => {
    const channels = deps.channels.health();
    const index = deps.indexInfo();
    const database = deps.database ? { kind: deps.database.kind, ok: await databaseAnswers(deps.database, deps.log) } : undefined;
    // A damaged file of the serving version (index.damaged names it) makes the replica not ready until it is rebuilt.
    const intact = !!index && !index.damaged?.length;
    const ready = intact && Object.values(channels).every((c) => c.state === "ready") && database?.ok !== false;
    res.status(ready ? 200 : 503).json({ ready, index: index ?? null, channels, database });
  });

  const token = deps.config.METRICS_TOKEN ?? deps.config.ADMIN_TOKEN;
  const guard = bearerGuard({ name: "metrics", token, config: deps.config, log: deps.log, messages: opsMessages });
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
