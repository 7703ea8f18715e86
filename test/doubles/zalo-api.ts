// Loopback double of the Zalo Bot Platform API: one update per getUpdates call (408 when none),
// sendMessage limited to 1–2000 characters of plain text.
import { BotApiDouble, holdUntil, type ScriptedResponse } from "./http.js";

export type ZaloUpdateBody = {
  event_name: string;
  message: {
    message_id: string;
    date: number;
    chat: { id: string; chat_type: string };
    from: { id: string; display_name?: string };
    text?: string;
  };
};

const bad = (description: string): ScriptedResponse => ({ status: 400, body: { ok: false, error_code: 400, description } });

export class ZaloApiDouble extends BotApiDouble {
  readonly me = { id: "1459232241454765289", account_name: "bot.TroLyKHCN", account_type: "BASIC", can_join_groups: false };
  private readonly pending: ZaloUpdateBody[] = [];
  private nextId = 1;
  private closed = false;

  constructor() {
    super();
    this.on("getMe", () => ({ status: 200, body: { ok: true, result: this.me } }));
    this.on("getUpdates", async (body) => {
      const wait = Math.min(Number(body.timeout ?? 0), 0.5) * 1000;
      const update = await holdUntil(
        () => this.pending.shift(),
        wait,
        () => this.closed,
      );
      return update
        ? { status: 200, body: { ok: true, result: update } }
        : { status: 408, body: { ok: false, error_code: 408, description: "Request timeout" } };
    });
    this.on("sendMessage", (body) => {
      const text = body.text;
      if (typeof text !== "string" || text.length < 1 || text.length > 2000) return bad("text must be 1-2000 characters");
      return { status: 200, body: { ok: true, result: { message_id: `m${this.nextId++}`, date: Date.now() } } };
    });
    this.on("setWebhook", (body) => ({ status: 200, body: { ok: true, result: { url: body.url, updated_at: Date.now() } } }));
  }

  override async stop(): Promise<void> {
    this.closed = true;
    await super.stop();
  }

  textUpdate(text: string, o: { chatId?: string; userId?: string; messageId?: string; chatType?: string } = {}): ZaloUpdateBody {
    const userId = o.userId ?? "e4ea0001";
    return {
      event_name: "message.text.received",
      message: {
        message_id: o.messageId ?? `msg${this.nextId++}`,
        date: Date.now(),
        chat: { id: o.chatId ?? userId, chat_type: o.chatType ?? "PRIVATE" },
        from: { id: userId, display_name: "Nguyen Van A" },
        text,
      },
    };
  }

  push(update: ZaloUpdateBody): ZaloUpdateBody {
    this.pending.push(update);
    return update;
  }

  /** Texts the bot sent successfully to `chatId` (or everyone). */
  sent(chatId?: string): string[] {
    return this.callsOf("sendMessage")
      .filter((c) => c.status === 200 && (chatId === undefined || c.body.chat_id === chatId))
      .map((c) => String(c.body.text));
  }
}
