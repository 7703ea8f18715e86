// ANSWER_MODE=llm: the model writes the whole reply from the numbered evidence, every sentence is checked
// against the quotes it cites, and the user always gets a correct cited reply. A loopback fake of an
// OpenAI-compatible /chat/completions server plays the model; the corpus is our own fixture.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant, type Assistant } from "../../src/answer/index.js";
import { renumber } from "../../src/answer/llm.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { testDataDir } from "../channels/helpers.js";
import { conversationCorpus } from "../chat/helpers.js";
import { evidenceNumber, OpenAiDouble } from "../doubles/openai-api.js";

const KEY = "sk-test-secret-llm-123";
const QUESTION = "Hợp tác xã được hỗ trợ bao nhiêu khi mở gian hàng?";
const AMOUNT = "tối đa 20 triệu đồng";
const CONDITION = "ít nhất 7 thành viên";

const model = new OpenAiDouble();
const logs: string[] = [];
let assistant: Assistant;

beforeAll(async () => {
  await model.start();
  const corpusDir = conversationCorpus();
  const env = { CORPUS_DIR: corpusDir, DATA_DIR: await testDataDir(corpusDir), LOG_LEVEL: "silent" };
  const llm = { ANSWER_MODE: "llm", LLM_BASE_URL: model.url, LLM_MODEL: "fake", LLM_API_KEY: KEY, LLM_TIMEOUT_MS: "300" };
  const config = loadConfig({ ...env, ...llm });
  assistant = await createAssistant(config, createLogger("debug", [KEY], { write: (s: string) => logs.push(s) } as never));
}, 180_000);
afterAll(() => model.stop());

/** A reply the fake model writes from the evidence it was given: `lead` and `rest` with [a] = amount, [b] = condition. */
const writes =
  (lead: string, rest = "") =>
  (prompt: string) => {
    const cite = (s: string) =>
      s.replace("[a]", `[${evidenceNumber(prompt, AMOUNT)}]`).replace("[b]", `[${evidenceNumber(prompt, CONDITION)}]`);
    return { content: cite(lead) + (rest ? `\n\n${cite(rest)}` : "") };
  };

/** What the user must get whatever the model did: the amount, quoted verbatim with its source. */
function expectCorrectCitedReply(answer: Awaited<ReturnType<Assistant["ask"]>>) {
  expect(answer.abstained).toBe(false);
  expect(answer.answer).toContain(AMOUNT);
  const quote = answer.citations.find((c) => c.quote.includes(AMOUNT));
  expect(quote).toMatchObject({ doc: "qd-ho-tro-ban-hang", section: "D1.1" });
}

describe("the model's reply (ANSWER_MODE=llm)", () => {
  it("uses a good reply: lead first, [n] renumbered to its citations, the key sent but never logged", async () => {
    model.respond = writes(
      "Hợp tác xã được hỗ trợ 70% chi phí mở gian hàng, tối đa 20 triệu đồng mỗi hợp tác xã [a].",
      "Điều kiện là hợp tác xã có ít nhất 7 thành viên và đã hoạt động tối thiểu 12 tháng [b].",
    );
    const answer = await assistant.ask(QUESTION);
    expect(answer.mode).toBe("llm");
    expect(answer.lead).toBe("Hợp tác xã được hỗ trợ 70% chi phí mở gian hàng, tối đa 20 triệu đồng mỗi hợp tác xã [1].");
    expect(answer.answer.split("\n\n")[0]).toBe(answer.lead);
    expect(answer.answer).toContain("có ít nhất 7 thành viên và đã hoạt động tối thiểu 12 tháng [2].");
    expect(answer.citations[0]!.quote).toContain(AMOUNT);
    expect(answer.citations[1]!.quote).toContain(CONDITION);
    expectCorrectCitedReply(answer);
    expect(model.requests.at(-1)!.auth).toBe(`Bearer ${KEY}`);
    expect(model.requests.at(-1)!.prompt).toContain(`Câu hỏi: ${QUESTION}`);
    expect(logs.join("")).not.toContain(KEY);
  });

  it("renumbers [n] in the lead too when the model cites the evidence out of order", async () => {
    model.respond = writes("Điều kiện: ít nhất 7 thành viên [b]; mức hỗ trợ tối đa 20 triệu đồng [a].");
    const answer = await assistant.ask(QUESTION);
    expect(answer.mode).toBe("llm");
    expect(answer.lead).toBe("Điều kiện: ít nhất 7 thành viên [1]; mức hỗ trợ tối đa 20 triệu đồng [2].");
    expect(answer.citations[0]!.quote).toContain(CONDITION);
    expect(answer.citations[1]!.quote).toContain(AMOUNT);
  });

  it("drops a later sentence with an invented number and keeps the rest", async () => {
    model.respond = writes(
      "Mức hỗ trợ là 70% chi phí, tối đa 20 triệu đồng mỗi hợp tác xã [a].",
      "Hợp tác xã cần ít nhất 9 thành viên [b].",
    );
    const answer = await assistant.ask(QUESTION);
    expect(answer.mode).toBe("llm");
    expect(answer.answer).not.toContain("9 thành viên");
    expect(answer.citations).toHaveLength(1);
    expectCorrectCitedReply(answer);
  });

  it("falls back to the extractive reply when the lead invents a number, cites unknown evidence, or names another agency", async () => {
    for (const lead of [
      "Hợp tác xã được hỗ trợ tối đa 25 triệu đồng [a].",
      "Hợp tác xã được hỗ trợ 70% chi phí mở gian hàng [9].",
      "Hợp tác xã được hỗ trợ 70% chi phí mở gian hàng.",
      "Sở Công Thương hỗ trợ hợp tác xã 70% chi phí mở gian hàng [a].",
    ]) {
      model.respond = writes(lead);
      const answer = await assistant.ask(QUESTION);
      expect(answer.mode, lead).toBe("extractive");
      // Nothing the model wrote is shown: no [n] markers, no invented amount or agency.
      expect(answer.answer).not.toMatch(/\[\d\]|25 triệu|Sở Công Thương hỗ trợ/);
      expectCorrectCitedReply(answer);
    }
  });

  it("falls back on a timeout, an HTTP 500 and a refusal, and never asks the model about an abstention", async () => {
    for (const reply of [{ delayMs: 2000, content: "Hợp tác xã được hỗ trợ [1]." }, { status: 500 }, { content: "KHONG_DU_THONG_TIN" }]) {
      model.respond = () => reply;
      const started = Date.now();
      const answer = await assistant.ask(QUESTION);
      expect(answer.mode).toBe("extractive");
      expectCorrectCitedReply(answer);
      expect(Date.now() - started).toBeLessThan(1500);
    }
    const before = model.requests.length;
    expect((await assistant.ask("Giá vé máy bay đi Đà Nẵng bao nhiêu?")).abstained).toBe(true);
    expect(model.requests.length).toBe(before);
  });
});

describe("markers", () => {
  it("number cited sections as the channels number sources: two quotes of one section share a number", () => {
    const evidence = [
      { doc: "qd", section: "D1.1", title: "QĐ — Điều 1, khoản 1", quote: "Mức hỗ trợ 70%." },
      { doc: "kh", section: "II.1", title: "KH — Mục II.1", quote: "Sở Tài chính chủ trì." },
      { doc: "qd", section: "D1.1", title: "QĐ — Điều 1, khoản 1", quote: "Tối đa 20 triệu đồng." },
    ];
    const { text, citations } = renumber(["Mức hỗ trợ 70% [1], tối đa 20 triệu đồng [3][1].", "Sở Tài chính chủ trì [2]."], evidence);
    expect(text).toBe("Mức hỗ trợ 70% [1], tối đa 20 triệu đồng [1].\n\nSở Tài chính chủ trì [2].");
    expect(citations.map((c) => c.quote)).toEqual(["Mức hỗ trợ 70%.", "Tối đa 20 triệu đồng.", "Sở Tài chính chủ trì."]);
  });
});
