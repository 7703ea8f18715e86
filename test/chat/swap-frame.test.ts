// A turn framed as a swap ("còn X thì sao?") continues the previous question even when X, read alone, is stated
// word for word elsewhere (src/chat/readings.ts `ownsItself`); a correction that repeats the words before the value
// it corrects does not say them twice. Our own fictional decree (test/core/fixtures/fisheries).
import { beforeAll, describe, expect, it } from "vitest";
import type { Assistant } from "../../src/answer/index.js";
import type { Conversations } from "../../src/chat/conversation.js";
import { openFixtureTalk } from "./helpers.js";

let assistant: Assistant;
let conversations: Conversations;

beforeAll(async () => {
  ({ assistant, conversations } = await openFixtureTalk("test/core/fixtures/fisheries"));
}, 120_000);

const cited = (a: { citations: { doc: string; section: string }[] }) => a.citations.map((c) => c.section);

describe("a turn framed as a swap", () => {
  it("asks the previous question of the swapped entity, not what the entity alone finds", async () => {
    const ask = (q: string) => conversations.answer("swap-1", q, assistant);
    expect(cited(await ask("Ai cấp giấy phép khai thác thủy sản cho tàu cá hoạt động ở vùng khơi?"))[0]).toBe("D3.1.a");
    // Alone, "tàu cá hoạt động ở vùng hồ chứa" is Điều 5's whole subject; asked as a swap, it is point b.
    const swapped = await ask("còn tàu cá hoạt động ở vùng hồ chứa thì sao?");
    expect(swapped.resolvedQuestion).toBe("Ai cấp giấy phép khai thác thủy sản cho tàu cá hoạt động ở vùng hồ chứa?");
    expect(cited(swapped)).not.toContain("D5");
    expect(cited(swapped)).toContain("D3.1.b");
    expect(swapped.answer).toContain("Chủ tịch Ủy ban nhân dân cấp tỉnh");
  });

  it("corrects a value without repeating the words before it", async () => {
    const ask = (q: string) => conversations.answer("swap-2", q, assistant);
    await ask("Ai cấp giấy phép khai thác thủy sản cho tàu cá hoạt động ở vùng khơi?");
    const corrected = await ask("à nhầm, ý tôi là tàu cá hoạt động ở vùng lộng chứ không phải vùng khơi");
    expect(corrected.resolvedQuestion).toBe("Ai cấp giấy phép khai thác thủy sản cho tàu cá hoạt động ở vùng lộng?");
    expect(cited(corrected)).toContain("D3.1.b");
  });
});
