// The SQLite conversation memory: bounded, expiring, per conversation, surviving a reopen.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteConversationStore, type Turn } from "../../src/chat/conversation-store.js";

const turn = (question: string): Turn => ({ question, standalone: question, topic: question, docs: ["qd-a"], items: [] });

describe("SQLite conversation store", () => {
  it("keeps the last turns of each conversation, forgets them after the TTL or a reset, and survives a reopen", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "conv-")), "conversations.sqlite");
    let now = 1_000_000;
    const limits = { ttlMs: 60_000, maxTurns: 2, now: () => now };
    const store = openSqliteConversationStore(file, limits);
    await store.append("telegram:1", turn("một"));
    await store.append("telegram:1", turn("hai"));
    await store.append("telegram:1", turn("ba"));
    await store.append("zalo:1", turn("khác"));
    expect((await store.get("telegram:1")).map((t) => t.question)).toEqual(["hai", "ba"]);
    expect((await store.get("zalo:1")).map((t) => t.question)).toEqual(["khác"]);
    store.close();

    const reopened = openSqliteConversationStore(file, limits);
    expect((await reopened.get("telegram:1")).map((t) => t.question)).toEqual(["hai", "ba"]);
    await reopened.reset("telegram:1");
    expect(await reopened.get("telegram:1")).toEqual([]);
    expect(await reopened.get("zalo:1")).toHaveLength(1);
    now += 60_001;
    expect(await reopened.get("zalo:1")).toEqual([]);
    reopened.close();
  });
});
