// Operator endpoints: GET /readyz (each channel's state and the index version; 503 until every channel is
// ready) and GET /metrics (Prometheus text, behind METRICS_TOKEN or else ADMIN_TOKEN).
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
  config: Pick<Config, "METRICS_TOKEN" | "ADMIN_TOKEN" | "AUTH_MAX_FAILURES" | "AUTH_FAILURE_WINDOW_MS">;
  log: Logger;
}

export function mountOps(app: Express, deps: OpsDeps): void {
  app.get("/readyz", (_req, res) => {
    const channels = deps.channels.health();
    const index = deps.indexInfo();
    const ready = !!index && Object.values(channels).every((c) => c.state === "ready");
    res.status(ready ? 200 : 503).json({ ready, index: index ?? null, channels });
  });

  const token = deps.config.METRICS_TOKEN ?? deps.config.ADMIN_TOKEN;
  const guard = bearerGuard({ name: "metrics", token, config: deps.config, log: deps.log, messages: opsMessages });
  app.get("/metrics", guard, async (_req, res) => {
    res.set("Content-Type", deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
