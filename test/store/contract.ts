// The storage contract every implementation of src/store passes (SQLite: test/store/sqlite.test.ts;
// PostgreSQL: test/replicas/store-postgres.test.ts). `open` gives a new handle on the same storage each call, as a
// second process (or replica) would have.
import { afterAll, describe, expect, it } from "vitest";
import type { Stores } from "../../src/store/index.js";
import type { Answer } from "../../src/types.js";

export interface ContractOptions {
  /** Guards (seen updates, rate counters, leases) are shared between handles (PostgreSQL), not per process. */
  sharedGuards: boolean;
}

const answer = (question: string): Answer =>
  ({
    question,
    answer: "Trả lời.",
    abstained: false,
    mode: "extractive",
    citations: [{ doc: "qd-thu", section: "D2.1", title: "Quyết định thử", quote: "Sở Thử nghiệm báo cáo trước ngày 15/12." }],
  }) as unknown as Answer;

const key = (chatId: string) => ({ channel: "zalo", chatId, dutyKey: "d1", occurrence: "2031-12-15", daysBefore: 7 });

export function storeContract(name: string, open: () => Promise<Stores>, opts: ContractOptions): void {
  const opened: Stores[] = [];
  const handle = async () => {
    const s = await open();
    opened.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of opened) await s.close();
  });

  describe(`${name}: reminders`, () => {
    it("subscribes once, lists in order, unsubscribes", async () => {
      const s = await handle();
      expect(await s.reminders.subscribe("telegram", "1", new Date("2031-01-01T00:00:00Z"))).toBe(true);
      expect(await s.reminders.subscribe("telegram", "1")).toBe(false);
      expect(await s.reminders.subscribe("zalo", "2", new Date("2031-01-02T00:00:00Z"))).toBe(true);
      expect(await s.reminders.isSubscribed("zalo", "2")).toBe(true);
      const other = await handle();
      expect((await other.reminders.subscriptions()).map((x) => `${x.channel}:${x.chatId}`)).toEqual(["telegram:1", "zalo:2"]);
      expect(await other.reminders.unsubscribe("zalo", "2")).toBe(true);
      expect(await s.reminders.unsubscribe("zalo", "2")).toBe(false);
      expect(await s.reminders.isSubscribed("zalo", "2")).toBe(false);
    });

    it("a claim is won by exactly one of two handles racing for it, and a sent reminder is never claimed again", async () => {
      const [a, b] = [await handle(), await handle()];
      const now = new Date("2031-12-08T02:00:00Z");
      const wins = await Promise.all([a.reminders.claim(key("race"), now, 60_000), b.reminders.claim(key("race"), now, 60_000)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      await a.reminders.markSent(key("race"), now);
      expect(await b.reminders.claim(key("race"), new Date("2032-01-01T00:00:00Z"), 60_000)).toBe(false);
      const row = (await b.reminders.sentLog()).find((r) => r.chatId === "race");
      expect(row).toMatchObject({ status: "sent", dutyKey: "d1", occurrence: "2031-12-15", daysBefore: 7, sentAt: now.toISOString() });
    });

    it("a released claim can be taken again; a stale one only after the lease", async () => {
      const [a, b] = [await handle(), await handle()];
      const t0 = new Date("2031-12-08T02:00:00Z");
      expect(await a.reminders.claim(key("rel"), t0, 60_000)).toBe(true);
      await a.reminders.release(key("rel"));
      expect(await b.reminders.claim(key("rel"), t0, 60_000)).toBe(true);
      expect(await a.reminders.claim(key("rel"), new Date(t0.getTime() + 30_000), 60_000)).toBe(false);
      expect(await a.reminders.claim(key("rel"), new Date(t0.getTime() + 61_000), 60_000)).toBe(true);
    });
  });

  describe(`${name}: feedback`, () => {
    it("an answer recorded by one handle is found by another; one vote per user, replaced when voting again", async () => {
      const [a, b] = [await handle(), await handle()];
      const id = await a.feedback.recordAnswer("telegram", answer("Ai báo cáo?"));
      const stored = await b.feedback.getAnswer(id);
      expect(stored).toMatchObject({ id, channel: "telegram", question: "Ai báo cáo?", abstained: false });
      expect(stored!.citations[0]!.quote).toBe("Sở Thử nghiệm báo cáo trước ngày 15/12.");
      expect(await b.feedback.getAnswer(id + 1000)).toBeUndefined();
      expect(await b.feedback.vote(id, "telegram", "u1", 1)).toBe(true);
      expect(await a.feedback.vote(id, "telegram", "u1", -1)).toBe(true);
      expect(await a.feedback.vote(id + 1000, "telegram", "u1", 1)).toBe(false);
      const votes = (await a.feedback.votes()).filter((v) => v.answerId === id);
      expect(votes).toEqual([expect.objectContaining({ answerId: id, channel: "telegram", value: -1, question: "Ai báo cáo?" })]);
    });
  });

  describe(`${name}: guards`, () => {
    it("an update id is first seen once", async () => {
      const a = await handle();
      expect(await a.seen.firstSeen("telegram:42")).toBe(true);
      expect(await a.seen.firstSeen("telegram:42")).toBe(false);
      expect(await a.seen.firstSeen("zalo:42")).toBe(true);
      if (!opts.sharedGuards) return;
      const b = await handle();
      const both = await Promise.all([a.seen.firstSeen("zalo:race"), b.seen.firstSeen("zalo:race")]);
      expect(both.filter(Boolean)).toHaveLength(1);
    });

    it("rate limits count a sliding window, tell the first refusal only, and free up as events age", async () => {
      const a = await handle();
      const b = opts.sharedGuards ? await handle() : a;
      const t = 1_000_000;
      expect(await a.rates.take("web:1", 2, 60_000, t)).toMatchObject({ allowed: true, count: 1 });
      expect(await b.rates.take("web:1", 2, 60_000, t + 10_000)).toMatchObject({ allowed: true, count: 2 });
      const refused = await a.rates.take("web:1", 2, 60_000, t + 20_000);
      expect(refused).toEqual({ allowed: false, retryInMs: 40_000, firstRefusal: true, count: 2 });
      expect(await b.rates.take("web:1", 2, 60_000, t + 30_000)).toMatchObject({ allowed: false, firstRefusal: false });
      expect((await a.rates.take("web:2", 2, 60_000, t + 30_000)).allowed).toBe(true);
      expect((await b.rates.take("web:1", 2, 60_000, t + 60_001)).allowed).toBe(true);
    });

    it("a chat's last turn is recalled (by any handle when shared), the newest replacing the older", async () => {
      const a = await handle();
      const b = opts.sharedGuards ? await handle() : a;
      expect(await a.memory.recall("zalo:9")).toBeUndefined();
      await a.memory.remember("zalo:9", { citations: [{ doc: "qd-thu", section: "D1" }] });
      await a.memory.remember("zalo:9", { citations: [{ doc: "qd-thu", section: "D2" }] });
      expect(await b.memory.recall("zalo:9")).toEqual({ citations: [{ doc: "qd-thu", section: "D2" }] });
      expect(await b.memory.recall("zalo:10")).toBeUndefined();
    });

    it("conversation turns (when the store keeps them) are the newest few, oldest first, until reset", async () => {
      const [a, b] = [await handle(), await handle()];
      if (!a.conversations || !b.conversations) return expect(a.kind).toBe("sqlite"); // conversations.sqlite in the chat layer
      const turn = (n: number) => ({ question: `q${n}`, standalone: `q${n}`, topic: `t${n}`, docs: ["qd-thu"], items: [] });
      for (let n = 1; n <= 8; n++) {
        await a.conversations.append("web:c1", turn(n));
        if (n === 7) await b.conversations.append("web:c2", turn(9)); // another conversation in between
      }
      expect((await b.conversations.get("web:c1")).map((t) => t.question)).toEqual(["q3", "q4", "q5", "q6", "q7", "q8"]);
      await b.conversations.reset("web:c1");
      expect(await a.conversations.get("web:c1")).toEqual([]);
      expect((await a.conversations.get("web:c2")).map((t) => t.question)).toEqual(["q9"]);
    });

    it("a lease has one holder until it expires or is released", async () => {
      const [a, b] = [await handle(), await handle()];
      if (!a.leases || !b.leases) return expect(a.kind).toBe("sqlite"); // one process: nothing to lease
      expect(await a.leases.acquire("poll:bot", "A", 300)).toBe(true);
      expect(await b.leases.acquire("poll:bot", "B", 300)).toBe(false);
      expect(await a.leases.acquire("poll:bot", "A", 300)).toBe(true); // renewal
      await new Promise((r) => setTimeout(r, 400));
      expect(await b.leases.acquire("poll:bot", "B", 5_000)).toBe(true);
      expect(await a.leases.acquire("poll:bot", "A", 300)).toBe(false);
      await a.leases.release("poll:bot", "A"); // not the holder: no effect
      expect(await a.leases.acquire("poll:bot", "A", 300)).toBe(false);
      await b.leases.release("poll:bot", "B");
      expect(await a.leases.acquire("poll:bot", "A", 300)).toBe(true);
    });
  });
  describe(`${name}: staff state`, () => {
    const row = (question: string, abstained: boolean, answerId: number | null, createdAt: string) => ({
      channel: "web",
      userHash: "h1",
      question,
      abstained,
      answer: "Trả lời.",
      topDoc: abstained ? null : "qd-thu",
      answerId,
      createdAt,
    });

    it("the question log is written by one handle and read by another: candidates, rows since, handled groups", async () => {
      const [a, b] = [await handle(), await handle()];
      await a.questions.insert(row("Câu hỏi không trả lời được?", true, null, "2031-01-01T00:00:00.000Z"));
      await a.questions.insert(row("Câu hỏi bị chê?", false, 77, "2031-01-02T00:00:00.000Z"));
      await a.questions.insert(row("Câu hỏi được khen?", false, 78, "2031-01-03T00:00:00.000Z"));
      const ours = (rows: { question: string }[]) => rows.map((r) => r.question).filter((q) => q.startsWith("Câu hỏi"));
      expect(ours(await b.questions.candidates([77]))).toEqual(["Câu hỏi không trả lời được?", "Câu hỏi bị chê?"]);
      const since = await b.questions.since("2031-01-02T00:00:00.000Z");
      expect(ours(since)).toEqual(["Câu hỏi bị chê?", "Câu hỏi được khen?"]);
      expect(since.find((r) => r.answerId === 78)).toMatchObject({ channel: "web", userHash: "h1", abstained: false, topDoc: "qd-thu" });
      await b.questions.markHandled("bi che hoi cau", "2031-01-04T00:00:00.000Z", "lan");
      await a.questions.markHandled("bi che hoi cau", "2031-01-05T00:00:00.000Z", "minh");
      expect((await a.questions.handled()).filter((h) => h.key === "bi che hoi cau")).toEqual([
        { key: "bi che hoi cau", at: "2031-01-05T00:00:00.000Z" },
      ]);
    });

    it("retention: questions asked before a time are deleted (by any handle), later ones kept", async () => {
      const [a, b] = [await handle(), await handle()];
      await a.questions.insert(row("Câu hỏi cũ 1?", false, null, "1999-01-01T00:00:00.000Z"));
      await a.questions.insert(row("Câu hỏi cũ 2?", true, null, "1999-06-30T23:59:59.000Z"));
      await a.questions.insert(row("Câu hỏi mới?", false, null, "1999-07-01T00:00:00.000Z"));
      expect(await b.questions.prune("1999-07-01T00:00:00.000Z")).toBe(2);
      const left = (await a.questions.since("1999-01-01T00:00:00.000Z")).filter((r) => r.createdAt.startsWith("1999"));
      expect(left.map((r) => r.question)).toEqual(["Câu hỏi mới?"]);
      await b.questions.prune("2000-01-01T00:00:00.000Z");
    });

    it("the audit log is written by one handle and listed, newest first, by another", async () => {
      const [a, b] = [await handle(), await handle()];
      const changes = [{ id: "qd-thu", shortTitle: "Quyết định thử", kind: "added" as const, sections: 3 }];
      await a.audit.record({
        who: "lan",
        channel: "console",
        action: "add",
        target: "qd-thu",
        outcome: "ok",
        version: "v2",
        previous: "v1",
        changes,
      });
      await b.audit.record({
        who: "cli-user",
        channel: "cli",
        action: "remove",
        target: "qd-thu",
        outcome: "refused",
        detail: "Không xóa được.",
      });
      const [newest, older] = await a.audit.list(2);
      expect(newest).toMatchObject({
        who: "cli-user",
        channel: "cli",
        outcome: "refused",
        detail: "Không xóa được.",
        version: null,
        changes: [],
      });
      expect(older).toMatchObject({ who: "lan", action: "add", version: "v2", previous: "v1", changes });
      expect(newest!.id).toBeGreaterThan(older!.id);
      expect(Date.parse(newest!.at)).not.toBeNaN();
    });

    it("a console session is found until it expires or ends (by another handle when shared)", async () => {
      const a = await handle();
      const b = opts.sharedGuards ? await handle() : a;
      const t = 1_000_000;
      await a.sessions.put({ id: "sess-1", who: "lan", csrf: "csrf-1", expires: t + 1000 });
      await a.sessions.put({ id: "sess-2", who: "minh", csrf: "csrf-2", expires: t + 1000 });
      expect(await b.sessions.get("sess-1", t)).toEqual({ id: "sess-1", who: "lan", csrf: "csrf-1", expires: t + 1000 });
      expect(await b.sessions.get("sess-1", t + 1000)).toBeUndefined();
      await b.sessions.delete("sess-2");
      expect(await a.sessions.get("sess-2", t)).toBeUndefined();
      await b.sessions.prune(t + 2000);
      expect(await a.sessions.get("sess-1", t)).toBeUndefined();
      expect(await a.sessions.get("unknown", t)).toBeUndefined();
    });

    it("originals are kept once by name and read back by another handle", async () => {
      const [a, b] = [await handle(), await handle()];
      const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
      expect(await a.originals.keep("qd-thu-0123456789ab.docx", bytes)).toBe(true);
      expect(await b.originals.keep("qd-thu-0123456789ab.docx", bytes)).toBe(false);
      expect(Buffer.compare((await b.originals.get("qd-thu-0123456789ab.docx"))!, bytes)).toBe(0);
      expect(await b.originals.list()).toContain("qd-thu-0123456789ab.docx");
      await b.originals.remove("qd-thu-0123456789ab.docx");
      expect(await a.originals.get("qd-thu-0123456789ab.docx")).toBeUndefined();
    });
  });

  describe(`${name}: Zalo OA tokens`, () => {
    const tokens = (n: number, rejected?: string) => ({
      accessToken: `access-${n}`,
      refreshToken: `refresh-${n}`,
      expiresAt: 1_900_000_000_000 + n,
      seed: "seed-hash",
      ...(rejected ? { rejected } : {}),
      updatedAt: `2031-01-0${n}T00:00:00.000Z`,
    });

    it("tokens saved by one handle are read by another; a conditional save only replaces the refresh token it names", async () => {
      const [a, b] = [await handle(), await handle()];
      expect(await a.oaTokens.get("app-1")).toBeUndefined();
      expect(await a.oaTokens.save("app-1", tokens(1))).toBe(true);
      expect(await b.oaTokens.get("app-1")).toEqual(tokens(1));
      expect(await b.oaTokens.save("app-1", tokens(2), "refresh-1")).toBe(true);
      // A process still holding refresh-1 (another replica rotated it meanwhile) cannot overwrite the newer pair.
      expect(await a.oaTokens.save("app-1", tokens(3, "refresh token rejected"), "refresh-1")).toBe(false);
      expect(await a.oaTokens.get("app-1")).toEqual(tokens(2));
      expect(await a.oaTokens.save("app-1", tokens(4, "refresh token rejected"), "refresh-2")).toBe(true);
      expect(await b.oaTokens.get("app-1")).toMatchObject({ refreshToken: "refresh-4", rejected: "refresh token rejected" });
      expect(await b.oaTokens.get("app-2")).toBeUndefined();
    });
  });

  describe(`${name}: the answer path`, () => {
    it("a turn appended without waiting is stored once a later write resolves; the rate decision can bring the turns", async () => {
      const [a, b] = [await handle(), await handle()];
      if (!a.conversations || !b.conversations) return expect(a.kind).toBe("sqlite"); // conversations.sqlite in the chat layer
      const turn = { question: "q1", standalone: "q1", topic: "t1", docs: ["qd-thu"], items: [] };
      void a.conversations.append("web:path", turn);
      await a.memory.remember("web:path", { citations: [] });
      expect(await b.conversations.get("web:path")).toEqual([turn]);
      if (!b.rates.takeAndRead) return;
      const t = 5_000_000;
      const first = await b.rates.takeAndRead("web:path-user", 1, 60_000, t, "web:path");
      expect(first).toEqual({ allowed: true, retryInMs: 0, firstRefusal: false, count: 1, turns: [turn] });
      const refused = await a.rates.takeAndRead!("web:path-user", 1, 60_000, t + 1000, "web:path");
      expect(refused).toEqual({ allowed: false, retryInMs: 59_000, firstRefusal: true, count: 1 });
      expect((await a.rates.takeAndRead!("web:other-user", 1, 60_000, t, "web:none")).turns).toEqual([]);
      // Calls made together (batched into one statement per handle) count exactly, across handles too.
      const many = await Promise.all(
        Array.from({ length: 15 }, (_, i) => [a, b][i % 2]!.rates.takeAndRead!(`web:burst-${i % 3}`, 3, 60_000, t + i, "web:path")),
      );
      for (let k = 0; k < 3; k++) {
        const ofKey = many.filter((_, i) => i % 3 === k);
        expect(ofKey.filter((d) => d.allowed)).toHaveLength(3);
        expect(
          ofKey
            .filter((d) => !d.allowed)
            .map((d) => d.firstRefusal)
            .sort(),
        ).toEqual([false, true]);
      }
      expect(many.filter((d) => d.allowed).every((d) => d.turns?.length === 1)).toBe(true);
    });
  });

  describe(`${name}: writes that cannot be stored`, () => {
    it("text with a NUL character is stored without it; a write PostgreSQL refuses fails alone, not its batch", async () => {
      const [a, b] = [await handle(), await handle()];
      const row = {
        channel: "web",
        userHash: "h2",
        question: "Câu hỏi có\u0000ký tự lạ?",
        abstained: true,
        answer: "",
        topDoc: null,
        answerId: null,
        createdAt: "2031-02-01T00:00:00.000Z",
      };
      await a.questions.insert(row);
      const stored = (await b.questions.since("2031-02-01T00:00:00.000Z")).find((r) => r.userHash === "h2");
      expect(stored?.question.replace("\u0000", "")).toBe("Câu hỏi cóký tự lạ?");
      if (a.kind !== "postgres" || !a.conversations || !b.conversations) return;
      const turn = { question: "q", standalone: "q", topic: "t", docs: [], items: [] };
      const kept = a.conversations.append("web:batch", turn);
      const refused = a.questions.insert({ ...row, answerId: 1e30 }); // out of bigint range
      const remembered = a.memory.remember("web:batch", { citations: [] });
      await expect(refused).rejects.toThrow();
      await Promise.all([kept, remembered]);
      expect(await b.conversations.get("web:batch")).toEqual([turn]);
    });
  });

  describe(`${name}: corpus change lock and version notifications`, () => {
    it("one holder of the change lock at a time, across handles; a closed holder loses it", async () => {
      const [a, b] = [await handle(), await handle()];
      if (!a.versions || !b.versions) return expect(a.kind).toBe("sqlite"); // one process: the lock file
      const release = await a.versions.tryChangeLock();
      expect(release).not.toBeNull();
      expect(await b.versions.tryChangeLock()).toBeNull();
      await release!();
      const again = await b.versions.tryChangeLock();
      expect(again).not.toBeNull();
      expect(await a.versions.tryChangeLock()).toBeNull();
      await b.close(); // as a killed process: its connection, and the lock, are gone
      const c = await handle();
      const taken = await c.versions!.tryChangeLock();
      expect(taken).not.toBeNull();
      await taken!();
    });

    it("a version made current by one handle is notified to another's listener", async () => {
      const [a, b] = [await handle(), await handle()];
      if (!a.versions || !b.versions) return expect(a.kind).toBe("sqlite");
      let up!: () => void;
      const listening = new Promise<void>((resolve) => (up = resolve));
      let heard!: (v: string) => void;
      const notified = new Promise<string>((resolve) => (heard = resolve));
      const stop = a.versions.listen(heard, (isUp) => isUp && up());
      await listening;
      await b.versions.publish("v-notify", { "manifest.json": "e30=" }, {});
      expect(await notified).toBe("v-notify");
      expect(await a.versions.current()).toBe("v-notify");
      await stop();
    });
  });
}
