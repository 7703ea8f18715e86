// Console accounts, sessions and sign-in throttling.
import crypto from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { checkCredentials, cookieValue, hashPassword, SessionStore, SignInThrottle, verifyPassword } from "../../src/console/auth.js";

describe("console sign-in", () => {
  it("hashes passwords with scrypt and a random salt; verifies only the right one", () => {
    const a = hashPassword("Mật khẩu 1");
    expect(a).toMatch(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hashPassword("Mật khẩu 1")).not.toBe(a);
    expect(verifyPassword("Mật khẩu 1", a)).toBe(true);
    // The same text typed decomposed (NFD) is the same password.
    expect(verifyPassword("Mật khẩu 1".normalize("NFD"), a)).toBe(true);
    expect(verifyPassword("mật khẩu 1", a)).toBe(false);
    expect(verifyPassword("x", "plain-text")).toBe(false);
  });

  it("accepts the admin token without a name, or a named account with its password", () => {
    const users = [{ name: "lan", hash: hashPassword("bí mật") }];
    expect(checkCredentials("", "token-123", { adminToken: "token-123", users })).toBe("admin-token");
    expect(checkCredentials("", "token-12", { adminToken: "token-123", users })).toBeNull();
    expect(checkCredentials("", "", { users })).toBeNull();
    expect(checkCredentials("lan", "bí mật", { adminToken: "token-123", users })).toBe("lan");
    expect(checkCredentials("lan", "token-123", { adminToken: "token-123", users })).toBeNull();
    expect(checkCredentials("minh", "bí mật", { users })).toBeNull();
  });

  it("an unknown account name costs the same work as a known one: one scrypt of the same cost (no timing oracle)", () => {
    const users = [{ name: "lan", hash: hashPassword("bí mật") }];
    checkCredentials("warm-up", "x", { users }); // one-time set-up, outside any measured sign-in
    const spy = vi.spyOn(crypto, "scryptSync");
    try {
      const calls = (name: string) => {
        spy.mockClear();
        expect(checkCredentials(name, "sai mật khẩu", { users })).toBeNull();
        return spy.mock.calls.map((c) => [String(c[0]).length > 0, (c[1] as Buffer).length, c[2], c[3]]);
      };
      const known = calls("lan");
      expect(known).toHaveLength(1);
      expect(calls("khong-co-ai")).toEqual(known);
    } finally {
      spy.mockRestore();
    }
  });

  it("expires sessions", async () => {
    let now = 1_000;
    const store = new SessionStore(60_000, () => now);
    const s = await store.create("lan");
    expect((await store.get(s.id))?.who).toBe("lan");
    expect(s.csrf).not.toBe(s.id);
    now += 60_001;
    expect(await store.get(s.id)).toBeUndefined();
    const t = await store.create("lan");
    await store.end(t.id);
    expect(await store.get(t.id)).toBeUndefined();
  });

  it("throttles an address after five failures for the rest of the window", () => {
    let now = 0;
    const throttle = new SignInThrottle(5, 15 * 60_000, () => now);
    for (let i = 0; i < 5; i++) {
      expect(throttle.blockedFor("1.2.3.4")).toBe(0);
      throttle.fail("1.2.3.4");
      now += 1000;
    }
    expect(throttle.blockedFor("1.2.3.4")).toBe(15 * 60 - 5);
    expect(throttle.blockedFor("5.6.7.8")).toBe(0);
    now += 15 * 60_000;
    expect(throttle.blockedFor("1.2.3.4")).toBe(0);
  });

  it("reads one cookie from a header", () => {
    expect(cookieValue("a=1; quan_tri_phien=abc%3D; b=2", "quan_tri_phien")).toBe("abc=");
    expect(cookieValue(undefined, "x")).toBeUndefined();
  });
});
