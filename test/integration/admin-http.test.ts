// The /admin HTTP endpoints on the real app: bearer token, uploads from a script (raw body) and a browser
// (multipart form), refusals with the corpus unchanged, listing, versions and rollback.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/app.js";
import { startTestApp, testDataDir, type TestApp } from "../channels/helpers.js";
import { ROOT, tempDir } from "../core/helpers.js";
import { corruptDocx, decreeDocx, PLAN_QUESTION, planPdf, treeHash } from "../corpus/fixtures.js";

const TOKEN = "admin-token-for-tests-0123456789";
let app: TestApp;
let corpusDir: string;

beforeAll(async () => {
  corpusDir = path.join(tempDir("http-admin"), "corpus");
  fs.cpSync(path.join(ROOT, "corpus"), corpusDir, { recursive: true });
  app = await startTestApp(
    { ADMIN_TOKEN: TOKEN, CORPUS_DIR: corpusDir, UPLOAD_MAX_BYTES: String(200 * 1024) },
    {
      dataDir: await testDataDir(),
      extensions: [adminExtension()],
    },
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  fs.rmSync(path.dirname(corpusDir), { recursive: true, force: true });
});

/** fetch bodies want a plain Uint8Array, not a Node Buffer. */
const bytes = (b: Buffer) => new Uint8Array(b);
const auth = { authorization: `Bearer ${TOKEN}` };
const call = async (method: string, url: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}) => {
  const res = await fetch(`${app.url}${url}`, { method, ...init, headers: { ...auth, ...init.headers } });
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of every endpoint, checked field by field
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe("/admin endpoints", () => {
  it("need the bearer token", async () => {
    const none = await fetch(`${app.url}/admin/documents`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await none.json()) as { error: string }).error).toContain("Authorization: Bearer");
    const wrong = await fetch(`${app.url}/admin/documents`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    // The token never shows up in logs.
    expect(app.logs.text()).not.toContain(TOKEN);
  });

  it("a script uploads a PDF (raw body); the answer changes at once; rollback undoes it", async () => {
    const before = treeHash(corpusDir);
    const up = await call("POST", `/admin/documents?filename=${encodeURIComponent("Kế hoạch 15.pdf")}&alias=kế hoạch Lâm Đồng`, {
      headers: { "content-type": "application/pdf" },
      body: bytes(await planPdf()),
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.text).toContain("Đã nạp văn bản «Kế hoạch 15/KH-UBND»");
    expect(up.body.document).toMatchObject({ id: "kh-15-kh-ubnd-2025", aliases: ["kế hoạch Lâm Đồng"], number: "15/KH-UBND" });
    const ask = await fetch(`${app.url}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: PLAN_QUESTION.question }),
    });
    expect(((await ask.json()) as { citations: Array<{ doc: string }> }).citations[0]!.doc).toBe("kh-15-kh-ubnd-2025");

    const list = await call("GET", "/admin/documents");
    expect(list.body.documents.find((d: { id: string }) => d.id === "kh-15-kh-ubnd-2025")).toMatchObject({ sections: 12 });
    const tree = await call("GET", "/admin/documents/kh-15-kh-ubnd-2025");
    expect(tree.body.sections.map((s: { id: string }) => s.id)).toContain("II.1");
    const versions = await call("GET", "/admin/versions");
    expect(versions.body.versions[0]).toMatchObject({ version: up.body.version, current: true, restorable: true });

    const back = await call("POST", "/admin/rollback", { headers: { "content-type": "application/json" }, body: "{}" });
    expect(back.status).toBe(200);
    expect(back.body.version).toBe(up.body.previous);
    expect(treeHash(corpusDir)).toEqual(before);
  });

  it("a browser uploads a DOCX as a multipart form with metadata fields", async () => {
    const form = new FormData();
    form.append("file", new Blob([bytes(await decreeDocx())]), "Nghị định 99.docx");
    form.append("shortTitle", "NĐ 99/2025 về quỹ KH&CN địa phương");
    const up = await call("POST", "/admin/documents", { body: form });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.document).toMatchObject({ id: "nd-99-2025-nd-cp", style: "articles", shortTitle: "NĐ 99/2025 về quỹ KH&CN địa phương" });
    const status = await call("POST", "/admin/documents/nd-99-2025-nd-cp/status", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "unknown", note: "Chưa xác minh" }),
    });
    expect(status.body.text).toContain("chưa rõ");
    const patch = await call("PATCH", "/admin/documents/nd-99-2025-nd-cp", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ date: "06/03/2025" }),
    });
    expect(patch.body.document.date).toBe("2025-03-06");
    const del = await call("DELETE", "/admin/documents/nd-99-2025-nd-cp");
    expect(del.status).toBe(200);
    expect(del.body.text).toContain("đã xóa");
  });

  it("bad uploads get a clear message and the right status; the corpus is unchanged", async () => {
    const before = treeHash(corpusDir);
    const raw = (name: string, body: BodyInit) => call("POST", `/admin/documents?filename=${encodeURIComponent(name)}`, { body });
    const big = await raw("lon.pdf", bytes(Buffer.alloc(300 * 1024, 0x20)));
    expect(big.status).toBe(413);
    expect(big.body.error).toContain("vượt giới hạn");
    const corrupt = await raw("hong.docx", bytes(corruptDocx()));
    expect(corrupt.status).toBe(400);
    expect(corrupt.body).toMatchObject({ code: "corrupt_docx" });
    const lying = await raw("ke-hoach.docx", bytes(await planPdf()));
    expect(lying.body.code).toBe("wrong_extension");
    const empty = await raw("rong.md", "");
    expect(empty.body.code).toBe("empty");
    const dup = await call("POST", "/admin/documents?filename=x.pdf&id=kh-ctr77", { body: bytes(await planPdf()) });
    expect(dup.body.code).toBe("duplicate_id");
    const noName = await call("POST", "/admin/documents", { body: "Điều 1. A" });
    expect(noName.body.error).toContain("filename");
    expect((await call("DELETE", "/admin/documents/khong-co")).status).toBe(404);
    expect((await call("GET", "/admin/khong-co")).status).toBe(404);
    expect(treeHash(corpusDir)).toEqual(before);
  });
});
