// Prometheus metrics (prom-client), one registry per app instance (never the module-level default), passed
// down to the chat layer and the channels. Served at GET /metrics behind a bearer token (see src/http).
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export type QuestionOutcome = "answered" | "abstained" | "refused" | "rate_limited";
export type ReminderResult = "sent" | "failed";

export interface IndexInfo {
  version: string;
  /** ISO time the version was built. */
  createdAt: string;
  /** Files of the serving version found damaged (paths under DATA_DIR), being rebuilt or not rebuildable. */
  damaged?: { file: string; reason: string; repairing: boolean; repairError?: string }[];
}

export interface Metrics {
  readonly registry: Registry;
  question(channel: string, outcome: QuestionOutcome): void;
  answerLatency(channel: string, seconds: number): void;
  apiError(channel: string): void;
  apiRetry(channel: string): void;
  reminder(channel: string, result: ReminderResult): void;
  /** A call to the shared database that failed and was skipped or served from this process's memory. */
  databaseSkip(operation: string): void;
  /** Where the index gauges read the serving version at scrape time. */
  trackIndex(read: () => IndexInfo | undefined): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const questions = new Counter({
    name: "assistant_questions_total",
    help: "Questions received, by channel and outcome (answered, abstained, refused, rate_limited)",
    labelNames: ["channel", "outcome"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "assistant_answer_duration_seconds",
    help: "Time to answer a question (retrieval and composition), by channel",
    labelNames: ["channel"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const byChannel = { labelNames: ["channel"] as const, registers };
  const apiErrors = new Counter({ name: "channel_api_errors_total", help: "Failed platform API calls", ...byChannel });
  const apiRetries = new Counter({ name: "channel_api_retries_total", help: "Platform API calls retried", ...byChannel });
  const reminders = new Counter({
    name: "reminders_total",
    help: "Deadline reminders, by result (sent, failed)",
    labelNames: ["channel", "result"] as const,
    registers,
  });
  const databaseSkips = new Counter({
    name: "database_skipped_total",
    help: "Calls to the shared database that failed while answering and were skipped or served locally, by operation",
    labelNames: ["operation"] as const,
    registers,
  });
  let readIndex: () => IndexInfo | undefined = () => undefined;
  new Gauge({
    name: "index_version_info",
    help: "The index version answering questions (value 1, version as a label)",
    labelNames: ["version"] as const,
    registers,
    collect() {
      this.reset();
      const info = readIndex();
      if (info) this.set({ version: info.version }, 1);
    },
  });
  new Gauge({
    name: "index_build_timestamp_seconds",
    help: "When the serving index version was built (Unix time)",
    registers,
    collect() {
      const built = Date.parse(readIndex()?.createdAt ?? "");
      if (Number.isFinite(built)) this.set(built / 1000);
    },
  });
  new Gauge({
    name: "index_damaged_files",
    help: "Files of the serving index version found damaged (each damaged segment is rebuilt from the corpus)",
    registers,
    collect() {
      this.set(readIndex()?.damaged?.length ?? 0);
    },
  });
  return {
    registry,
    question: (channel, outcome) => questions.inc({ channel, outcome }),
    answerLatency: (channel, seconds) => latency.observe({ channel }, seconds),
    apiError: (channel) => apiErrors.inc({ channel }),
    apiRetry: (channel) => apiRetries.inc({ channel }),
    reminder: (channel, result) => reminders.inc({ channel, result }),
    databaseSkip: (operation) => databaseSkips.inc({ operation }),
    trackIndex(read) {
      readIndex = read;
    },
  };
}
