// Shared by the console API suites: requests to /quan-tri/api of a running app, and a sign-in with the admin token.
import { expect } from "vitest";

export const json = { "content-type": "application/json" };

/** `url()`: the app's base URL (read at call time, after beforeAll started it). */
export function consoleClient(url: () => string, token: string) {
  const api = (p: string, init: RequestInit = {}) => fetch(`${url()}/quan-tri/api${p}`, init);
  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const res = await api("/dang-nhap", { method: "POST", headers: json, body: JSON.stringify({ password: token }) });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^quan_tri_phien=[\w-]+; HttpOnly; SameSite=Strict; Path=\/quan-tri; Max-Age=28800$/);
    return { cookie: setCookie.split(";")[0]!, csrf: ((await res.json()) as { csrf: string }).csrf };
  }
  return { api, signIn, bearer: { authorization: `Bearer ${token}` } };
}
