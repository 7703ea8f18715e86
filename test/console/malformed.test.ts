// Malformed requests to the console and /admin are the client's mistake (400 in Vietnamese, never a 500), and
// signing out needs the session's CSRF token like every change.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/app.js";
import { consoleFeature } from "../../src/console/index.js";
import { PUBLIC_DIR } from "../../src/http/app.js";
import { emptyDataDir, ROOT, startTestApp, testDataDir, type TestApp } from "../channels/helpers.js";
import { consoleClient, json } from "./helpers.js";

const TOKEN = "console-malformed-token-7c1e-long-enough";
let app: TestApp;

beforeAll(async () => {
  const corpus = path.join(emptyDataDir(), "corpus");
  fs.cpSync(path.join(ROOT, "test/console/fixtures/corpus"), corpus, { recursive: true });
  const extensions = [adminExtension({ features: [consoleFeature({ publicDir: PUBLIC_DIR })] })];
  app = await startTestApp({ CORPUS_DIR: corpus, ADMIN_TOKEN: TOKEN }, { dataDir: await testDataDir(corpus), extensions });
}, 180_000);
afterAll(() => app?.close());

const { api, signIn, bearer } = consoleClient(() => app.url, TOKEN);

describe("malformed requests are refused with 400, not 500", () => {
  it("a session cookie that is not valid percent-encoding", async () => {
    for (const p of ["/van-ban", "/dang-xuat", "/dang-nhap"]) {
      const res = await api(p, { method: p === "/van-ban" ? "GET" : "POST", headers: { ...json, cookie: "quan_tri_phien=%E0%A4%A" } });
      expect(res.status, p).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain("Cookie phiên đăng nhập không hợp lệ");
    }
  });

  it("a malformed X-Filename or filename*, and a repeated ?filename= (before anything is converted)", async () => {
    const { cookie, csrf } = await signIn();
    const uploads: [string, RequestInit][] = [
      ["/admin/documents", { method: "POST", headers: { ...bearer, "x-filename": "%E0%A4%A.md" }, body: "# x" }],
      ["/admin/documents?filename=a.md&filename=b.md", { method: "POST", headers: bearer, body: "# x" }],
      [
        "/admin/documents",
        {
          method: "POST",
          headers: { ...bearer, "content-type": "multipart/form-data; boundary=XyZ" },
          body: `--XyZ\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''%E0%A4%A.md\r\n\r\n# x\r\n--XyZ--\r\n`,
        },
      ],
      ["/quan-tri/api/tai-len", { method: "POST", headers: { cookie, "x-csrf-token": csrf, "x-filename": "%E0%A4%A.md" }, body: "# x" }],
    ];
    for (const [p, init] of uploads) {
      const res = await fetch(`${app.url}${p}`, init);
      expect(res.status, p).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/không hợp lệ|chỉ được ghi một lần/);
    }
  });
});

describe("signing out", () => {
  it("needs the session's CSRF token: without it 403 and the session stays valid; with it the session ends", async () => {
    const { cookie, csrf } = await signIn();
    const without = await api("/dang-xuat", { method: "POST", headers: { cookie } });
    expect(without.status).toBe(403);
    expect((await api("/van-ban", { headers: { cookie } })).status).toBe(200);
    const ok = await api("/dang-xuat", { method: "POST", headers: { cookie, "x-csrf-token": csrf } });
    expect(ok.status).toBe(200);
    expect((await api("/van-ban", { headers: { cookie } })).status).toBe(401);
  });
});
