// Configuration: TRUST_PROXY takes what express takes (and nothing else), ADMIN_TOKEN has a minimum length,
// `.env` is read underneath the real environment.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema, loadConfig, secretsOf, withEnvFile } from "../../src/config.js";

const configError = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an invalid configuration");
};

describe("TRUST_PROXY", () => {
  it.each([
    ["true", true],
    ["FALSE", false],
    ["1", 1],
    ["2", 2],
    ["loopback", "loopback"],
    ["loopback, 10.0.0.0/8", "loopback,10.0.0.0/8"],
    ["192.168.1.10,fd00::/8,uniquelocal", "192.168.1.10,fd00::/8,uniquelocal"],
    ["10.0.0.0/255.0.0.0", "10.0.0.0/255.0.0.0"],
    ["", undefined],
  ])("%j → %j", (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).TRUST_PROXY).toEqual(expected);
  });

  it.each(["yes", "nginx", "10.0.0.0/33", "300.1.1.1", "loopback,-1"])("%j is refused with a message saying what is accepted", (raw) => {
    const message = configError({ TRUST_PROXY: raw });
    expect(message).toContain("TRUST_PROXY: not a trust-proxy value");
    expect(message).toContain("use true, false, a hop count (e.g. 1), or comma-separated IP addresses, subnets");
  });
});

describe("ADMIN_TOKEN and METRICS_TOKEN", () => {
  it("a short token refuses to start, saying why, without echoing it", () => {
    const message = configError({ ADMIN_TOKEN: "short-secret-123" });
    expect(message).toContain("ADMIN_TOKEN: must be at least 24 characters");
    expect(message).not.toContain("short-secret-123");
    expect(configError({ METRICS_TOKEN: "x".repeat(23) })).toContain("METRICS_TOKEN: must be at least 24 characters");
    expect(loadConfig({ ADMIN_TOKEN: "a".repeat(24) }).ADMIN_TOKEN).toBe("a".repeat(24));
  });
});

describe("web visitor cookie and address ceiling", () => {
  it("a short WEB_COOKIE_SECRET refuses to start without echoing it; a good one is redacted from logs", () => {
    const message = configError({ WEB_COOKIE_SECRET: "too-short-cookie-secret" });
    expect(message).toContain("WEB_COOKIE_SECRET: must be at least 32 characters");
    expect(message).not.toContain("too-short-cookie-secret");
    const config = loadConfig({ WEB_COOKIE_SECRET: "k".repeat(32) });
    expect(secretsOf(config)).toContain("k".repeat(32));
    expect(config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE).toBe(120);
    expect(configError({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: "0" })).toContain("RATE_LIMIT_PER_ADDRESS_PER_MINUTE");
  });
});

describe(".env", () => {
  it("is read underneath the real environment, which wins; a missing file is fine", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-env-"));
    try {
      const file = path.join(dir, ".env");
      fs.writeFileSync(file, "# comment\nPORT=3312          # from the example\nLOG_LEVEL=debug\nexport HOST=127.0.0.2\nEMPTY=\n");
      const env = withEnvFile({ LOG_LEVEL: "warn" }, file);
      expect(env).toMatchObject({ PORT: "3312", LOG_LEVEL: "warn", HOST: "127.0.0.2", EMPTY: "" });
      expect(loadConfig(env)).toMatchObject({ PORT: 3312, LOG_LEVEL: "warn", HOST: "127.0.0.2" });
      expect(withEnvFile({ A: "1" }, path.join(dir, "missing.env"))).toEqual({ A: "1" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every variable of .env.example is one the configuration knows", () => {
    const example = fs.readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    const names = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!);
    const known = Object.keys(configSchema.innerType().shape);
    expect(names.filter((n) => !known.includes(n))).toEqual([]);
    expect(known.filter((k) => !names.includes(k))).toEqual([]);
  });
});

describe("ZALO_OA_*", () => {
  it("default to Zalo's hosts, and an app id needs the app secret and the OA secret key (values never echoed)", () => {
    expect(loadConfig({})).toMatchObject({ ZALO_OA_API_BASE: "https://openapi.zalo.me", ZALO_OA_OAUTH_BASE: "https://oauth.zaloapp.com" });
    const message = configError({ ZALO_OA_APP_ID: "2553928453557884079", ZALO_OA_APP_SECRET: "app-secret-value" });
    expect(message).toContain("ZALO_OA_APP_ID needs ZALO_OA_APP_SECRET and ZALO_OA_SECRET_KEY");
    expect(message).not.toContain("app-secret-value");
    const c = loadConfig({
      ZALO_OA_APP_ID: "1",
      ZALO_OA_APP_SECRET: "app-secret-value",
      ZALO_OA_SECRET_KEY: "oa-key-value",
      ZALO_OA_REFRESH_TOKEN: "rt-value",
    });
    expect(secretsOf(c)).toEqual(expect.arrayContaining(["app-secret-value", "oa-key-value", "rt-value"]));
  });
});
