// The HTTP side with the real answering core: /api/ask contract and validation, /healthz, the static page.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_DIR } from "../../src/http/app.js";
import { webVisitor } from "../support/web-visitor.js";
import { CORPUS_DIR, startTestApp, type TestApp } from "./helpers.js";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ RATE_LIMIT_PER_MINUTE: "10", MAX_QUESTION_LENGTH: "200" });
}, 180_000);

afterAll(async () => {
  await app?.close();
});

// One visitor (the cookie the server sets is sent back) asks everything in this file.
const visitor = webVisitor(() => app.url);
const ask = (body: string) => visitor.post("/api/ask", body);

describe("web API", () => {
  it("POST /api/ask returns the same JSON as `ask --json`", async () => {
    const res = await ask(JSON.stringify({ question: "Hạn nộp báo cáo hằng năm là khi nào?" }));
    expect(res.status).toBe(200);
    const data = (await res.json()) as Record<string, unknown>;
    // The CLI's fields, then the conversation and the id 👍/👎 refer to.
    expect(Object.keys(data)).toEqual([
      "question",
      "answer",
      "lead",
      "more",
      "abstained",
      "mode",
      "citations",
      "conversationId",
      "answerId",
    ]);
    expect(data).toMatchObject({ question: "Hạn nộp báo cáo hằng năm là khi nào?", abstained: false, mode: "extractive" });
    expect(data.answer).toContain("30/11");
    const [first] = data.citations as Array<Record<string, unknown>>;
    expect(Object.keys(first!)).toEqual(["doc", "section", "title", "quote"]);
    expect(first).toMatchObject({ doc: "kh-ctr77", section: "IV.2" });
    expect(data.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    // Quoted verbatim from the document the citation names.
    const source = fs.readFileSync(path.join(CORPUS_DIR, "documents/kh-ctr77.txt"), "utf8").replace(/\s+/g, " ");
    expect(source).toContain(String(first!.quote).replace(/\s+/g, " "));
  });

  it("runs chat commands (/nguon, /start) and returns their text in the same shape", async () => {
    const docs = (await (await ask(JSON.stringify({ question: "/nguon" }))).json()) as Record<string, unknown>;
    expect(docs).toMatchObject({ question: "/nguon", abstained: false, citations: [] });
    expect(docs.answer).toContain("Nghị quyết 57-NQ/TW\nSố hiệu: 57-NQ/TW · Ngày ban hành: 22/12/2024");
    const start = (await (await ask(JSON.stringify({ question: "/start" }))).json()) as Record<string, unknown>;
    expect(start.answer).toContain("• Sở Tài chính có nhiệm vụ gì trong kế hoạch?");
  });

  it("abstains on questions the documents do not cover", async () => {
    const data = (await (await ask(JSON.stringify({ question: "Giá cà phê hôm nay bao nhiêu?" }))).json()) as Record<string, unknown>;
    expect(data.abstained).toBe(true);
    expect(data.citations).toEqual([]);
  });

  it("rejects bad input with 400 (413 when too large) and a Vietnamese message", async () => {
    const cases: Array<[string, number, RegExp]> = [
      ["{not json", 400, /không phải JSON hợp lệ/],
      ["{}", 400, /^Thiếu câu hỏi/],
      ['{"question": 42}', 400, /^Câu hỏi phải là một đoạn văn bản\.$/],
      ['{"question": "   "}', 400, /^Vui lòng nhập câu hỏi\.$/],
      ["[]", 400, /^Thiếu câu hỏi/],
      [JSON.stringify({ question: "x".repeat(201) }), 400, /^Câu hỏi dài 201 ký tự, vượt quá giới hạn 200 ký tự/],
      [JSON.stringify({ question: "x".repeat(70_000) }), 413, /^Dữ liệu gửi lên quá lớn\.$/],
    ];
    for (const [body, status, message] of cases) {
      const res = await ask(body);
      expect(res.status, body.slice(0, 40)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
  });

  it("rate-limits a client with 429 and a Vietnamese message", async () => {
    let res: Response | undefined;
    for (let i = 0; i < 15 && res?.status !== 429; i++) res = await ask(JSON.stringify({ question: "Ai ký ban hành kế hoạch?" }));
    expect(res!.status).toBe(429);
    expect(((await res!.json()) as { error: string }).error).toMatch(/^Bạn đã gửi quá 10 câu hỏi trong một phút/);
  });

  it("GET /api/sections/:doc/:id returns a cited section; unknown ones 404", async () => {
    const ok = await fetch(`${app.url}/api/sections/kh-ctr77/IV.2`);
    expect(ok.status).toBe(200);
    const data = (await ok.json()) as { document: { shortTitle: string }; sections: Array<{ heading: string }> };
    expect(data.document.shortTitle).toBe("Kế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông)");
    expect(data.sections[0]!.heading).toContain("trước ngày 30/11");
    const missing = await fetch(`${app.url}/api/sections/kh-ctr77/IX.9`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe("Không tìm thấy mục văn bản này.");
  });

  it("GET /healthz reports ok", async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, documents: 9, channels: [] });
  });
});

describe("web page", () => {
  it("GET / serves the Vietnamese page with local assets only", async () => {
    const res = await fetch(`${app.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('id="examples"');
    for (const asset of ["style.css", "app.js", "favicon.svg"]) expect((await fetch(`${app.url}/${asset}`)).status).toBe(200);
    // No CDN or other external resource anywhere in public/.
    for (const file of fs.readdirSync(PUBLIC_DIR)) {
      const text = fs.readFileSync(path.join(PUBLIC_DIR, file), "utf8");
      expect(text, file).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect(text, file).not.toMatch(/url\(\s*["']?https?:/);
      expect(text, file).not.toMatch(/fetch\(\s*["'`]https?:/);
    }
  });

  it("GET /api/profile gives the page the corpus profile's name, subject and examples", async () => {
    const profile = app.assistant.profile!();
    const body = (await (await fetch(`${app.url}/api/profile`)).json()) as Record<string, unknown>;
    expect(body).toEqual({
      name: profile.assistant.name,
      description: profile.assistant.description,
      examples: profile.assistant.examples,
    });
  });

  it("unknown paths get a Vietnamese 404", async () => {
    const res = await fetch(`${app.url}/khong-co`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Không tìm thấy địa chỉ này." });
  });
});
