// A visitor of the web page as a browser is one: it keeps the visitor cookie the server sets and sends it back,
// optionally from a given client address (X-Forwarded-For, for apps started with TRUST_PROXY).
export interface WebVisitor {
  /** POST a JSON body (an object, or a raw string) to a path of the app, e.g. "/api/ask". */
  post(path: string, body: unknown, init?: { signal?: AbortSignal }): Promise<Response>;
  ask(question: string): Promise<Response>;
  /** The cookie it holds ("name=value"), once the server set one. */
  cookie(): string | undefined;
  /** Replace the cookie it sends (a forged one, or another visitor's). */
  setCookie(cookie: string | undefined): void;
}

export function webVisitor(baseUrl: string | (() => string), address?: string): WebVisitor {
  let cookie: string | undefined;
  const url = (path: string) => `${typeof baseUrl === "string" ? baseUrl : baseUrl()}${path}`;
  const visitor: WebVisitor = {
    async post(path, body, init = {}) {
      const res = await fetch(url(path), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(address ? { "x-forwarded-for": address } : {}),
          ...(cookie ? { cookie } : {}),
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
        signal: init.signal,
      });
      const set = res.headers.getSetCookie()[0];
      if (set) cookie = set.split(";")[0];
      return res;
    },
    ask: (question) => visitor.post("/api/ask", { question }),
    cookie: () => cookie,
    setCookie(value) {
      cookie = value;
    },
  };
  return visitor;
}
