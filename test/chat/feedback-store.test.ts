// The feedback store keeps what "Xem thêm" shows, also in a database created before that column existed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openFeedbackStore } from "../../src/chat/feedback.js";
import { answerOf } from "../../src/types.js";

describe("feedback store", () => {
  it("adds the 'more' column to an older database and returns the stored 'Xem thêm'", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "feedback-")), "feedback.sqlite");
    const old = new Database(file);
    old.exec(`CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, question TEXT NOT NULL,
      abstained INTEGER NOT NULL, mode TEXT NOT NULL, citations TEXT NOT NULL, created_at TEXT NOT NULL)`);
    old.exec(`INSERT INTO answers (channel, question, abstained, mode, citations, created_at)
      VALUES ('zalo', 'cũ', 0, 'extractive', '[]', 'x')`);
    old.close();

    const store = openFeedbackStore(file);
    expect(store.getAnswer(1)).toMatchObject({ question: "cũ", more: null });
    const citation = { doc: "kh", section: "II.2", title: "Kế hoạch — Mục II.2", quote: "Đào tạo 40 cán bộ." };
    const more = { text: "«Đào tạo 40 cán bộ.» (Kế hoạch — Mục II.2)", citations: [citation] };
    const answer = answerOf({ question: "mới", answer: "Trả lời.", abstained: false, mode: "extractive", citations: [], more });
    const id = store.recordAnswer("telegram", answer);
    expect(store.getAnswer(id)?.more).toEqual(more);
    store.close();
  });
});
