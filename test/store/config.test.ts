// DATABASE_URL: validated once in src/config.ts, never echoed, and its password redacted from logs.
import { describe, expect, it } from "vitest";
import { loadConfig, secretsOf } from "../../src/config.js";
import { createLogger } from "../../src/log.js";

describe("DATABASE_URL", () => {
  it("is optional: unset or blank keeps SQLite", () => {
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: "  " }).DATABASE_URL).toBeUndefined();
  });

  it("must be a postgres URL; the error names the variable, not its value", () => {
    const bad = "mysql://root:s3cr3t-pass@db/app";
    expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    try {
      loadConfig({ DATABASE_URL: bad });
    } catch (err) {
      expect((err as Error).message).not.toContain("s3cr3t-pass");
    }
    expect(loadConfig({ DATABASE_URL: "postgresql://u@localhost/db" }).DATABASE_URL).toBe("postgresql://u@localhost/db");
  });

  it("its password never reaches a log line", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://troly:p%40ss-w0rd-long@db.internal:5432/troly" });
    expect(secretsOf(config)).toContain("p@ss-w0rd-long");
    const lines: string[] = [];
    const log = createLogger("info", secretsOf(config), { write: (chunk: string) => lines.push(chunk) });
    log.error("connect failed", { err: "password authentication failed: p@ss-w0rd-long" });
    expect(lines.join("")).toContain("connect failed");
    expect(lines.join("")).not.toContain("p@ss-w0rd-long");
  });
});
