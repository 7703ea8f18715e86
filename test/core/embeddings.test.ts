// EMBEDDINGS_PROVIDER=openai against a loopback fake of an OpenAI-compatible /embeddings endpoint (one-document corpus).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../../src/answer/index.js";
import { PLAN_QUESTION } from "../corpus/fixtures.js";
import { testConfig, TINY_DOC, tinyCorpus } from "./helpers.js";

let server: http.Server;
let baseUrl = "";
let calls = 0;
const auths = new Set<string | undefined>();

/** A deterministic toy embedding: letter counts folded into 16 dimensions. */
const embed = (text: string) => {
  const v = new Array(16).fill(0);
  for (const ch of text.toLowerCase()) v[ch.charCodeAt(0) % 16] += 1;
  return v;
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      calls++;
      auths.add(req.headers.authorization);
      const { input } = JSON.parse(raw) as { input: string[] };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: input.map((t, index) => ({ index, embedding: embed(t) })) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("OpenAI-compatible embeddings", () => {
  it("builds the vector side through the endpoint and still answers with citations", async () => {
    const config = testConfig({
      corpusDir: tinyCorpus(),
      env: { EMBEDDINGS_PROVIDER: "openai", EMBEDDINGS_BASE_URL: baseUrl, EMBEDDINGS_MODEL: "toy", EMBEDDINGS_API_KEY: "emb-key" },
    });
    const assistant = await createAssistant(config);
    expect(calls).toBeGreaterThan(0);
    expect(assistant.index().meta.embeddings).toBe("openai:toy");
    const a = await assistant.ask(PLAN_QUESTION.question);
    expect(a.citations[0]).toMatchObject({ doc: TINY_DOC, section: PLAN_QUESTION.section });
    expect([...auths]).toEqual(["Bearer emb-key"]);
  });

  it("refuses to start without the endpoint settings", () => {
    expect(() => testConfig({ env: { EMBEDDINGS_PROVIDER: "openai" } })).toThrow(/EMBEDDINGS_BASE_URL/);
  });
});
