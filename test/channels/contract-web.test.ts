// The channel contract (contract.ts) for the web chat's JSON API: each user is a browser with its visitor cookie
// at a client address of its own (behind a trusted proxy), each reply what the page shows: the answer, its
// citations' titles and quotes, or the error.
import { webVisitor, type WebVisitor } from "../support/web-visitor.js";
import { runChannelContract } from "./contract.js";
import { startTestApp, type TestApp } from "./helpers.js";

interface AskJson {
  answer?: string;
  error?: string;
  citations?: Array<{ title: string; quote: string }>;
}

let app: TestApp | undefined;
const replies = new Map<number, string[]>();
const hangUp = new Set<number>();

const shownText = (body: AskJson) =>
  body.error ?? [body.answer ?? "", ...(body.citations ?? []).map((c) => `${c.title}\n«${c.quote}»`)].join("\n\n");

/** Each user is a browser (its visitor cookie) at an address of its own. */
const visitors = new Map<number, WebVisitor>();
const visitorOf = (user: number) => {
  if (!visitors.has(user))
    visitors.set(
      user,
      webVisitor(() => app!.url, `10.0.${Math.floor(user / 256) % 256}.${user % 256}`),
    );
  return visitors.get(user)!;
};

async function ask(user: number, question: string): Promise<void> {
  const abort = new AbortController();
  const request = visitorOf(user).post("/api/ask", { question }, { signal: abort.signal });
  // A client that hangs up before the answer arrives: the server must carry on.
  if (hangUp.delete(user)) {
    abort.abort();
    await request.catch(() => undefined);
    return;
  }
  const body = (await (await request).json()) as AskJson;
  replies.set(user, [...(replies.get(user) ?? []), shownText(body)]);
}

runChannelContract({
  name: "web",
  secrets: [],
  redelivers: false,
  async start(env, opts) {
    app = await startTestApp({ TRUST_PROXY: "loopback", ...env }, opts);
    return app;
  },
  async stop() {
    await app?.close();
  },
  async send(user, text) {
    await ask(user, text);
    return { redeliver: () => ask(user, text) };
  },
  received: (user) => replies.get(user) ?? [],
  failNextReply: (user) => void hangUp.add(user),
});
