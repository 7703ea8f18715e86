// Secrets never appear in logs or operator reports, also when an upstream error echoes them encoded.
import { describe, expect, it } from "vitest";
import { createLogger, redact } from "../../src/log.js";

const TOKEN = "123456:AbC/d+e=f g&h";

describe("redaction of secrets", () => {
  const encoded = [
    TOKEN,
    encodeURIComponent(TOKEN),
    encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    encodeURI(TOKEN),
    encodeURIComponent(encodeURIComponent(TOKEN)),
    encodeURIComponent(TOKEN).replaceAll("%20", "+"),
    Buffer.from(TOKEN).toString("base64"),
    Buffer.from(TOKEN).toString("base64url"),
  ];

  it.each(encoded)("removes the form %s from text", (form) => {
    const text = `POST https://api.example.org/x?token=${form} failed: invalid token ${form}`;
    const out = redact(text, [TOKEN]);
    expect(out).not.toContain(form);
    expect(out).toContain("<redacted>");
  });

  it("removes them from log lines, where JSON escapes the secret's quotes and backslashes", () => {
    const lines: string[] = [];
    const secret = 'pa"ss\\word-123';
    const log = createLogger("info", [TOKEN, secret], { write: (l: string) => lines.push(l) });
    log.warn("upstream error", {
      err: new Error(`echo ${encodeURIComponent(TOKEN)} and ${secret}`),
      url: `/x?k=${encodeURIComponent(secret)}`,
    });
    const line = lines.join("");
    for (const form of [TOKEN, encodeURIComponent(TOKEN), JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])
      expect(line).not.toContain(form);
    expect(JSON.parse(line).msg).toBe("upstream error");
  });
});
