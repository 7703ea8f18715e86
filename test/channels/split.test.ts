// Pure pieces of the chat layer: splitting, packing, rate limiting, duplicate detection, source layout.
import { describe, expect, it } from "vitest";
import { escapeHtml, renderHtml, telegramMessages } from "../../src/channels/telegram.js";
import { zaloMessages } from "../../src/channels/zalo.js";
import { packBlocks, splitText } from "../../src/chat/split.js";
import { RateLimiter, SeenSet } from "../../src/chat/limits.js";
import { renderMessages } from "../../src/chat/format.js";
import { answerOf } from "../../src/types.js";

describe("splitText", () => {
  it("keeps short text whole", () => {
    expect(splitText("  Một đoạn ngắn.  ", 100)).toEqual(["Một đoạn ngắn."]);
  });

  it("prefers paragraph, then line, then sentence, then word boundaries", () => {
    expect(splitText("aaaa bbbb\n\ncccc dddd", 12)).toEqual(["aaaa bbbb", "cccc dddd"]);
    expect(splitText("aaaa bbbb\ncccc dddd", 12)).toEqual(["aaaa bbbb", "cccc dddd"]);
    expect(splitText("Câu một. Câu hai dài", 14)).toEqual(["Câu một.", "Câu hai dài"]);
    expect(splitText("một hai ba bốn", 8)).toEqual(["một hai", "ba bốn"]);
  });

  it("cuts inside a word only when it must, never inside an emoji", () => {
    expect(splitText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    const parts = splitText("ab😀cd", 3);
    expect(parts.join("")).toBe("ab😀cd");
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(3);
    expect(parts).not.toContain("ab\ud83d");
  });

  it("measures with the given function (escaped HTML grows)", () => {
    const text = "Sở KH&CN & Sở TC & Sở XD";
    const parts = splitText(text, 20, (s) => escapeHtml(s).length);
    for (const p of parts) expect(escapeHtml(p).length).toBeLessThanOrEqual(20);
    expect(parts.join(" ")).toBe(text);
  });
});

describe("packBlocks and renderMessages", () => {
  it("packs whole blocks, tight ones with a single line break", () => {
    expect(packBlocks([{ text: "a" }, { text: "b", tight: true }, { text: "c" }], 100)).toEqual(["a\nb\n\nc"]);
    expect(packBlocks([{ text: "aaaa" }, { text: "bbbb" }], 9)).toEqual(["aaaa", "bbbb"]);
  });

  it("renders styles and never exceeds the limit in rendered form", () => {
    const blocks = [
      { text: "Tiêu đề <b>", style: "heading" as const },
      { text: "Trích «nguyên văn» & đủ. ".repeat(40), style: "quote" as const },
    ];
    const out = renderMessages(blocks, 200, renderHtml);
    for (const m of out) expect(m.length).toBeLessThanOrEqual(200);
    expect(out[0]).toMatch(/^<b>Tiêu đề &lt;b&gt;<\/b>/);
    expect(out.slice(1).every((m) => m.startsWith("<blockquote>") && m.endsWith("</blockquote>"))).toBe(true);
  });
});

describe("channel layouts", () => {
  const answer = answerOf({
    question: "q",
    answer: "Dẫn.\n\n1. «Trích dẫn.»\n   (Văn bản — Mục I.1)",
    abstained: false,
    mode: "extractive" as const,
    citations: [{ doc: "d", section: "I.1", title: "Văn bản — Mục I.1", quote: "Trích dẫn." }],
  });

  it("Telegram: no buttons without a stored answer id; source and vote buttons with one", () => {
    expect(telegramMessages({ type: "answer", answer }).buttons).toEqual([]);
    const { texts, buttons } = telegramMessages({ type: "answer", answer, answerId: 42 });
    expect(texts).toEqual(["Dẫn.\n\n1. «Trích dẫn.»\n   (Văn bản — Mục I.1)"]);
    expect(buttons).toEqual([
      [{ text: "📄 Mục I.1 · Văn bản", action: "s:42:0" }],
      [
        { text: "👍 Hữu ích", action: "v:42:+" },
        { text: "👎 Chưa đúng", action: "v:42:-" },
      ],
    ]);
  });

  it("Zalo: the text, plus the cited sections numbered for /xem (each section once)", () => {
    const twice = { ...answer, citations: [...answer.citations, { ...answer.citations[0]!, quote: "Khác." }] };
    expect(zaloMessages({ type: "answer", answer: twice })).toEqual([
      "Dẫn.\n\n1. «Trích dẫn.»\n   (Văn bản — Mục I.1)\n\nNguồn trích dẫn:\n\nVăn bản — Mục I.1\n«Khác.»\n\n" +
        "Xem toàn văn mục được trích dẫn (gõ lệnh):\n/xem 1 — Văn bản — Mục I.1",
    ]);
  });
});

describe("RateLimiter", () => {
  it("allows `limit` per window per key and tells once per window", () => {
    let t = 0;
    const rl = new RateLimiter(2, 60_000, () => t);
    expect(rl.take("a").allowed).toBe(true);
    expect(rl.take("a").allowed).toBe(true);
    expect(rl.take("b").allowed).toBe(true);
    const refused = rl.take("a");
    expect(refused).toMatchObject({ allowed: false, firstRefusal: true, retryInMs: 60_000 });
    expect(rl.take("a").firstRefusal).toBe(false);
    t = 60_000;
    expect(rl.take("a").allowed).toBe(true);
  });
});

describe("SeenSet", () => {
  it("reports repeats and forgets the oldest beyond its size", () => {
    const seen = new SeenSet(2);
    expect(seen.check("1")).toBe(false);
    expect(seen.check("1")).toBe(true);
    seen.check("2");
    seen.check("3");
    expect(seen.check("1")).toBe(false);
  });
});
