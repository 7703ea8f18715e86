// The follow-up rules (vocabulary from corpus/followups.json, agencies from corpus/agencies.json) on questions
// of our own: what becomes of an elliptic question after a given previous turn.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { agencySpans } from "../../src/answer/index.js";
import type { Turn } from "../../src/chat/conversation-store.js";
import { loadFollowupLexicon, readFollowup, topicOf } from "../../src/chat/followups.js";
import { CORPUS_DIR } from "../channels/helpers.js";

const lex = loadFollowupLexicon(path.join(CORPUS_DIR, "followups.json"));
const agencies = agencySpans(CORPUS_DIR);
const documentName = (id: string) => (id === "qd-ban-hang" ? "quy định bán hàng" : undefined);
const read = (question: string, previous?: Turn) => readFollowup(question, previous, lex, { agencies, documentName });

const turn = (standalone: string, extra: Partial<Turn> = {}): Turn => ({
  question: standalone,
  standalone,
  topic: topicOf(standalone, lex),
  docs: [],
  items: [],
  ...extra,
});

describe("follow-up rules", () => {
  it("takes the topic of a question without its question words", () => {
    expect(topicOf("Sở Tài chính phải làm gì?", lex)).toBe("Sở Tài chính");
    expect(topicOf("Hợp tác xã được hỗ trợ bao nhiêu khi mở gian hàng?", lex)).toBe("Hợp tác xã được hỗ trợ khi mở gian hàng");
  });

  it("swaps an agency, or another subject, into the previous question", () => {
    const duties = turn("Sở Y tế phải làm gì trong kế hoạch?");
    expect(read("còn Sở Xây dựng thì sao?", duties)).toMatchObject({ kind: "swap", standalone: "Sở Xây dựng phải làm gì trong kế hoạch?" });
    expect(read("vay con so xay dung?", duties).standalone).toBe("so xay dung phải làm gì trong kế hoạch?");
    const amount = turn("Hộ kinh doanh được hỗ trợ bao nhiêu khi chuyển đổi số?");
    expect(read("thế còn doanh nghiệp siêu nhỏ?", amount).standalone).toBe(
      "doanh nghiệp siêu nhỏ được hỗ trợ bao nhiêu khi chuyển đổi số?",
    );
    expect(read("what about cooperatives?", amount).standalone).toBe("cooperatives được hỗ trợ bao nhiêu khi chuyển đổi số?");
    // The same head word: only that phrase changes.
    expect(read("còn báo cáo quý thì sao?", turn("Hạn gửi báo cáo năm là khi nào?")).standalone).toBe("Hạn gửi báo cáo quý là khi nào?");
  });

  it("asks an aspect about the previous topic, staying in the previous document", () => {
    const previous = turn("Hộ kinh doanh được hỗ trợ bao nhiêu khi chuyển đổi số?", { docs: ["qd-ban-hang"] });
    expect(read("điều kiện là gì?", previous)).toMatchObject({
      kind: "aspect",
      standalone: "Hộ kinh doanh được hỗ trợ khi chuyển đổi số: điều kiện là gì theo quy định bán hàng?",
    });
    expect(read("han khi nao", previous).standalone).toBe(
      "Hộ kinh doanh được hỗ trợ khi chuyển đổi số: han khi nao theo quy định bán hàng?",
    );
    expect(read("when is the deadline?", previous).kind).toBe("aspect");
  });

  it("points 'cái thứ 2' at the second cited item, and leaves stand-alone questions alone", () => {
    const previous = turn("Các nhiệm vụ trọng tâm là gì?", { items: ["Xây dựng sàn giao dịch", "Đào tạo cán bộ quản lý"] });
    expect(read("cái thứ 2", previous)).toMatchObject({ kind: "ordinal", standalone: "Đào tạo cán bộ quản lý" });
    expect(read("the second one", previous).kind).toBe("new");
    expect(read("ý thứ hai", previous).standalone).toBe("Đào tạo cán bộ quản lý");
    expect(read("cái thứ 5", previous).kind).toBe("new");
    expect(read("Sở Xây dựng phải báo cáo khi nào?", previous)).toMatchObject({
      kind: "new",
      standalone: "Sở Xây dựng phải báo cáo khi nào?",
    });
    expect(read("hạn khi nào?", undefined).kind).toBe("new");
  });
});
