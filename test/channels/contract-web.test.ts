// The channel contract (contract.ts) for the web chat's JSON API: each user is a client address (behind a
// trusted proxy), each reply what the page shows: the answer, its citations' titles and quotes, or the error.
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

async function ask(user: number, question: string): Promise<void> {
  const abort = new AbortController();
  const request = fetch(`${app!.url}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `10.0.${Math.floor(user / 256) % 256}.${user % 256}` },
    body: JSON.stringify({ question }),
    signal: abort.signal,
  });
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
