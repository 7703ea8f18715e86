// Loopback double of the Telegram Bot API, strict where our code could go wrong: HTML entity parsing
// (unknown tags or a bare "&" are rejected like the real API), the 4096-character limit after parsing,
// and 64-byte callback data.
import { BotApiDouble, holdUntil, type RecordedCall, type ScriptedResponse } from "./http.js";

const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "s", "code", "pre", "a", "blockquote", "tg-spoiler"]);

/** Text as Telegram would show it, or an error like the API's "can't parse entities". */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  const stack: string[] = [];
  let text = "";
  for (let i = 0; i < html.length; ) {
    const ch = html[i]!;
    if (ch === "<") {
      const m = /^<(\/?)([a-z-]+)(\s[^>]*)?>/.exec(html.slice(i));
      if (!m || !ALLOWED_TAGS.has(m[2]!)) return { error: `Bad Request: can't parse entities: Unsupported start tag at byte offset ${i}` };
      if (m[1]) {
        if (stack.pop() !== m[2]) return { error: `Bad Request: can't parse entities: Unmatched end tag at byte offset ${i}` };
      } else stack.push(m[2]!);
      i += m[0].length;
    } else if (ch === "&") {
      const m = /^&(amp|lt|gt|quot|#\d+);/.exec(html.slice(i));
      if (!m) return { error: `Bad Request: can't parse entities: Character '&' is reserved at byte offset ${i}` };
      text += { amp: "&", lt: "<", gt: ">", quot: '"' }[m[1]!] ?? String.fromCharCode(Number(m[1]!.slice(1)));
      i += m[0].length;
    } else if (ch === ">") {
      return { error: `Bad Request: can't parse entities: Character '>' is reserved at byte offset ${i}` };
    } else {
      text += ch;
      i++;
    }
  }
  if (stack.length) return { error: "Bad Request: can't parse entities: Can't find end tag" };
  return { text };
}

const bad = (description: string): ScriptedResponse => ({ status: 400, body: { ok: false, error_code: 400, description } });

export interface SentMessage {
  chatId: string;
  /** Raw text as sent (HTML source when parse_mode is HTML). */
  raw: string;
  /** Text as a user sees it. */
  text: string;
  buttons: Array<Array<{ text: string; callback_data: string }>>;
  call: RecordedCall;
}

export class TelegramApiDouble extends BotApiDouble {
  readonly me = { id: 7000001, is_bot: true, first_name: "Trợ lý KH&CN", username: "trolykhcn_bot" };
  private readonly pending: Array<Record<string, unknown> & { update_id: number }> = [];
  private nextUpdateId = 100;
  private nextMessageId = 1;
  private closed = false;

  constructor() {
    super();
    this.on("getMe", () => ({ status: 200, body: { ok: true, result: this.me } }));
    this.on("getUpdates", async (body) => {
      const offset = Number(body.offset ?? 0);
      // Like the real API: an update stays pending until a later call confirms it with a higher offset, so a
      // poll that was aborted (a bot stopping) loses nothing for the next poller.
      const ready = () => {
        while (this.pending.length && this.pending[0]!.update_id < offset) this.pending.shift();
        return this.pending.length ? [...this.pending] : undefined;
      };
      const updates = await holdUntil(ready, Math.min(Number(body.timeout ?? 0), 0.5) * 1000, () => this.closed);
      return { status: 200, body: { ok: true, result: updates ?? [] } };
    });
    this.on("sendMessage", (body) => {
      const text = String(body.text ?? "");
      let shown = text;
      if (body.parse_mode === "HTML") {
        const parsed = parseTelegramHtml(text);
        if ("error" in parsed) return bad(parsed.error);
        shown = parsed.text;
      }
      if (!shown.trim()) return bad("Bad Request: message text is empty");
      if (shown.length > 4096) return bad("Bad Request: message is too long");
      const markup = body.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined;
      for (const b of markup?.inline_keyboard?.flat() ?? [])
        if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64) return bad("Bad Request: BUTTON_DATA_INVALID");
      const chat = { id: Number(body.chat_id), type: "private" };
      return {
        status: 200,
        body: { ok: true, result: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat, text: shown } },
      };
    });
  }

  override async stop(): Promise<void> {
    this.closed = true;
    await super.stop();
  }

  /** Queue an update for getUpdates; returns it (for webhook tests too). */
  push(update: Record<string, unknown>): Record<string, unknown> & { update_id: number } {
    const u = { update_id: this.nextUpdateId++, ...update };
    this.pending.push(u);
    return u;
  }

  /** An update with a text message (private chat unless `chatType` says otherwise). */
  textUpdate(
    text: string,
    o: { chatId?: number; userId?: number; chatType?: "private" | "group" | "supergroup"; replyToBot?: boolean; updateId?: number } = {},
  ): Record<string, unknown> & { update_id: number } {
    const userId = o.userId ?? 501;
    const chatType = o.chatType ?? "private";
    const chatId = o.chatId ?? (chatType === "private" ? userId : -100200);
    const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }] : undefined;
    const message: Record<string, unknown> = {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: chatType === "private" ? { id: chatId, type: "private", first_name: "Lan" } : { id: chatId, type: chatType, title: "Nhóm thử" },
      from: { id: userId, is_bot: false, first_name: "Lan" },
      text,
      ...(entities ? { entities } : {}),
      ...(o.replyToBot
        ? { reply_to_message: { message_id: 1, date: 0, chat: { id: chatId, type: chatType }, from: this.me, text: "…" } }
        : {}),
    };
    return { update_id: o.updateId ?? this.nextUpdateId++, message };
  }

  /** An update for a press of an inline button with `data`. */
  buttonUpdate(data: string, o: { chatId?: number; userId?: number } = {}): Record<string, unknown> & { update_id: number } {
    const userId = o.userId ?? 501;
    const chatId = o.chatId ?? userId;
    return {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: `cb${this.nextUpdateId}`,
        from: { id: userId, is_bot: false, first_name: "Lan" },
        chat_instance: "ci",
        data,
        message: { message_id: 1, date: 0, chat: { id: chatId, type: "private" }, from: this.me, text: "…" },
      },
    };
  }

  /** Messages the bot sent successfully (rejected or failed attempts are left out). */
  sent(chatId?: number | string): SentMessage[] {
    return this.callsOf("sendMessage")
      .filter((call) => call.status === 200 && (chatId === undefined || String(call.body.chat_id) === String(chatId)))
      .map((call) => {
        const raw = String(call.body.text ?? "");
        const parsed = call.body.parse_mode === "HTML" ? parseTelegramHtml(raw) : { text: raw };
        const markup = call.body.reply_markup as { inline_keyboard?: SentMessage["buttons"] } | undefined;
        return {
          chatId: String(call.body.chat_id),
          raw,
          text: "text" in parsed ? parsed.text : "",
          buttons: markup?.inline_keyboard ?? [],
          call,
        };
      });
  }
}
