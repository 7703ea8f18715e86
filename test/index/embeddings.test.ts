// Offline hash embeddings: a document's vector is a function of its own text, computed on the fast path.
import { describe, expect, it } from "vitest";
import { documentVector, embedsAnalyzed, HashEmbeddings, hashFeatures, hashVector, HASH_DIMENSIONS } from "../../src/index/embeddings.js";
import { createAnalyzer } from "../../src/text/analyzer.js";
import { createGlossary } from "../../src/text/glossary.js";
import { tokenize } from "../../src/text/tokens.js";

describe("documentVector", () => {
  it("equals the vector of the document's hashed features, at unit length", () => {
    const tokens = tokenize("Sở Khoa học và Công nghệ chủ trì lắp đặt trạm quan trắc nước, hoàn thành trước ngày 15/9.");
    const fast = documentVector(tokens);
    const slow = hashVector(hashFeatures(tokens));
    expect(fast).toHaveLength(HASH_DIMENSIONS);
    for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(slow[i]!, 5);
    expect(fast.reduce((a, x) => a + x * x, 0)).toBeCloseTo(1, 5);
  });

  it("does not depend on other documents, and similar texts are closer than unrelated ones", () => {
    const a = documentVector(tokenize("trạm quan trắc nước tại trại cá hồi"));
    const b = documentVector(tokenize("trạm quan trắc nước ở các trại cá"));
    const c = documentVector(tokenize("quỹ phát triển nghề làm giấy dó"));
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c) + 0.3);
    expect(documentVector(tokenize("trạm quan trắc nước tại trại cá hồi"))).toEqual(a);
  });
});

describe("HashEmbeddings on the question side", () => {
  it("embeds the analysed question exactly as it embeds its text (retrieval passes the one analysis)", async () => {
    const analyzer = createAnalyzer(createGlossary({ chat: [], abbreviations: [], synonyms: [], english: [] }));
    const embeddings = new HashEmbeddings(analyzer);
    const question = "hạn lắp đặt trạm quan trắc nước là ngày nào";
    expect(embedsAnalyzed(embeddings)).toBe(true);
    expect(embeddings.embedAnalyzed(analyzer.query(question))).toEqual(await embeddings.embedQuery(question));
  });
});
