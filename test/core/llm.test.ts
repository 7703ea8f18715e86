// ANSWER_MODE=llm against a loopback fake of an OpenAI-compatible /chat/completions endpoint.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../../src/answer/index.js";
import { createLogger } from "../../src/log.js";
import { testConfig } from "./helpers.js";

const requests: { auth?: string; body: { model: string; messages: { content: string }[] } }[] = [];
let reply: { status: number; content: string } = { status: 200, content: "" };
let server: http.Server;
let baseUrl = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      requests.push({ auth: req.headers.authorization, body: JSON.parse(raw) });
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: reply.content } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("LLM lead (optional)", () => {
  it("rewords only the lead; quotes and citations stay verbatim; bad leads and failures fall back", async () => {
    const config = testConfig({ env: { ANSWER_MODE: "llm", LLM_BASE_URL: baseUrl, LLM_MODEL: "fake", LLM_API_KEY: "sk-test-secret-123" } });
    const logs: string[] = [];
    const assistant = await createAssistant(config, createLogger("debug", ["sk-test-secret-123"], { write: (s: string) => logs.push(s) }));
    const q = "Hạn nộp báo cáo hằng năm là khi nào?";

    reply = { status: 200, content: "Các Sở, ngành, địa phương báo cáo trước ngày 30/11 hằng năm." };
    const a = await assistant.ask(q);
    expect(a.mode).toBe("llm");
    expect(a.answer.split("\n")[0]).toBe(reply.content);
    expect(a.citations[0]).toMatchObject({ doc: "kh-ctr77", section: "IV.2" });
    const sent = requests.at(-1)!;
    expect(sent.auth).toBe("Bearer sk-test-secret-123");
    expect(sent.body.messages[0]!.content).toContain(a.citations[0]!.quote);

    reply = { status: 200, content: "Hạn là ngày 15/12 hằng năm." }; // a date the quotes do not hold
    const invented = await assistant.ask(q);
    expect(invented.mode).toBe("extractive");
    expect(invented.answer).not.toContain("15/12");

    reply = { status: 500, content: "" };
    const failed = await assistant.ask(q);
    expect(failed.mode).toBe("extractive");
    expect(failed.answer).toContain("30/11");
    expect(logs.join("")).not.toContain("sk-test-secret-123");

    const before = requests.length;
    expect((await assistant.ask("Giá cà phê hôm nay bao nhiêu?")).abstained).toBe(true);
    expect(requests.length).toBe(before); // abstentions never reach the model
  });
});
