// Loopback fake of an OpenAI-compatible /chat/completions endpoint: a scripted "model" that may read the
// prompt (e.g. to cite the evidence number of a quote), answer late, or fail.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ModelReply {
  status?: number;
  content?: string;
  /** Answer this late (to test client timeouts). */
  delayMs?: number;
}

export interface ModelRequest {
  auth?: string;
  model: string;
  prompt: string;
}

export class OpenAiDouble {
  readonly requests: ModelRequest[] = [];
  /** How the fake model answers a prompt. */
  respond: (prompt: string) => ModelReply = () => ({ status: 500 });
  private server?: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  url = "";

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const body = JSON.parse(raw) as { model: string; messages: Array<{ content: string }> };
        const prompt = body.messages.map((m) => m.content).join("\n");
        this.requests.push({ auth: req.headers.authorization, model: body.model, prompt });
        let reply: ModelReply;
        try {
          reply = this.respond(prompt);
        } catch {
          reply = { status: 500 }; // a script that cannot answer this prompt fails like a broken server
        }
        const send = () => {
          res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
          res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: reply.content ?? "" } }] }));
        };
        if (!reply.delayMs) return send();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) send();
        }, reply.delayMs);
        this.timers.add(timer);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** The number [n] the prompt gives to the quote containing `text` (the model "reads" its evidence). */
export function evidenceNumber(prompt: string, text: string): number {
  const line = prompt.split("\n").find((l) => /^\[\d+\]/.test(l) && l.includes(text));
  if (!line) throw new Error(`no evidence quoting ${text}`);
  return Number(/^\[(\d+)\]/.exec(line)![1]);
}
