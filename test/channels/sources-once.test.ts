// Each source once per channel: a paragraph of an answer that only lists its cited sections ("Nguồn:" and one title
// a line) is left out where the channel lists them itself (Telegram's source buttons, Zalo's /xem list, the web
// page's list), and kept where it is the only list (Telegram without a stored answer, command texts).
import { describe, expect, it } from "vitest";
import { telegramMessages } from "../../src/channels/telegram.js";
import { zaloMessages } from "../../src/channels/zalo.js";
import { withoutSourceList } from "../../src/chat/format.js";
import { answerOf, type Citation } from "../../src/types.js";

// Our own fixture, not a shipped document.
const citations: Citation[] = [
  { doc: "qc-ao-ca", section: "2.1", title: "Quy chế ao cá (giả lập) — Điều 2, khoản 1", quote: "Trại giống gửi báo cáo trước ngày 5/4." },
  { doc: "qc-ao-ca", section: "3", title: "Quy chế ao cá (giả lập) — Điều 3", quote: "Hợp tác xã lập sổ theo dõi nước ao." },
];
const body = [
  "Trại giống — gửi báo cáo trước ngày 5/4 (Điều 2, khoản 1).",
  "Nhiệm vụ:\n1. Điều 2, khoản 1: “Trại giống gửi báo cáo trước ngày 5/4.”\n2. Điều 3: “Hợp tác xã lập sổ theo dõi nước ao.”",
].join("\n\n");
const sourceList = "Nguồn:\n- Quy chế ao cá (giả lập) — Điều 2, khoản 1\n- Quy chế ao cá (giả lập) — Điều 3";
const answer = answerOf({
  question: "Trại giống phải làm gì?",
  answer: `${body}\n\n${sourceList}`,
  abstained: false,
  mode: "extractive",
  citations,
});

describe("each source once", () => {
  it("withoutSourceList drops only a paragraph that lists cited titles", () => {
    expect(withoutSourceList(answer.answer, citations)).toBe(body);
    // A list of anything else stays, and so does a list of titles no citation has.
    const other = "Hồ sơ gồm:\n- Đơn đề nghị\n- Quy chế ao cá (giả lập) — Điều 3";
    expect(withoutSourceList(`${body}\n\n${other}`, citations)).toBe(`${body}\n\n${other}`);
    expect(withoutSourceList(answer.answer, [])).toBe(answer.answer);
  });

  it("Telegram: with source buttons the text does not list the sources again; without them it does", () => {
    const withButtons = telegramMessages({ type: "answer", answer, answerId: 7 });
    const text = withButtons.texts.join("\n");
    expect(text).not.toContain("Nguồn:");
    expect(text).toContain("Hợp tác xã lập sổ theo dõi nước ao.");
    expect(
      withButtons.buttons
        .flat()
        .filter((b) => b.text.startsWith("📄"))
        .map((b) => b.text),
    ).toEqual(["📄 Điều 2, khoản 1 · Quy chế ao cá (giả lập)", "📄 Điều 3 · Quy chế ao cá (giả lập)"]);
    expect(telegramMessages({ type: "answer", answer }).texts.join("\n")).toContain("Nguồn:");
  });

  it("Zalo: the numbered /xem list is the one list of sources", () => {
    const text = zaloMessages({ type: "answer", answer, answerId: 7 }).join("\n");
    expect(text).not.toContain("Nguồn:");
    expect(text.split("Quy chế ao cá (giả lập) — Điều 3").length - 1).toBe(1);
    expect(text).toContain("/xem 2 — Quy chế ao cá (giả lập) — Điều 3");
  });
});
