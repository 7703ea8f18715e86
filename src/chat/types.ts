// Channel-independent shapes of the conversation layer: what comes in, what goes out.
import type { Profile } from "../corpus/manifest.js";
import type { Answer, DocumentMeta, Section } from "../types.js";

/** A channel name: "telegram", "zalo", or any later adapter. */
export type ChannelName = string;

/**
 * An inline button. `action` is opaque callback data (≤ 64 bytes, Telegram's limit) routed to
 * `chat.action(prefix, …)` handlers as "prefix:payload". Channels without buttons print `hint` instead
 * (buttons without a hint are dropped there).
 */
export interface Button {
  text: string;
  action: string;
  hint?: string;
}

/** What a handler sends back; each adapter renders it for its platform. */
export type Reply =
  | { type: "text"; text: string; buttons?: Button[][] }
  /** `answerId` (from the feedback store) enables "show source" and 👍/👎 buttons; `heading` goes first ("Xem thêm"). */
  | { type: "answer"; answer: Answer; answerId?: number; heading?: string }
  /** A cited section in full: `sections[0]` is the cited one, then its sub-sections in order. */
  | { type: "source"; sections: Section[]; document?: DocumentMeta; truncated?: boolean };

/** A file sent with a message (e.g. an admin uploading a document); fetched lazily. */
export interface Attachment {
  fileName: string;
  mimeType?: string;
  size?: number;
  download(): Promise<Buffer>;
}

/** One incoming message, already normalised by its adapter. */
export interface IncomingMessage {
  channel: ChannelName;
  /** Platform delivery id; repeats of the same id are dropped. */
  updateId?: string;
  userId: string;
  chatId: string;
  /** Text with any bot mention removed; commands as "/name args". */
  text: string;
  userName?: string;
  isGroup?: boolean;
  attachments?: Attachment[];
}

/** A button press. `ack` closes the client's spinner, optionally with a short toast. */
export interface IncomingAction {
  channel: ChannelName;
  updateId?: string;
  userId: string;
  chatId: string;
  data: string;
  isGroup?: boolean;
  ack(toast?: string): Promise<void>;
}

/** What every handler sees, whatever the channel. */
export interface ChatContext {
  channel: ChannelName;
  userId: string;
  chatId: string;
  text: string;
  /** Command name without "/" (lower case), or undefined for plain text. */
  command?: string;
  /** Text after the command (or the whole text when there is no command), trimmed. */
  args: string;
  isAdmin: boolean;
  isGroup: boolean;
  userName?: string;
  attachments: Attachment[];
  reply(reply: string | Reply): Promise<void>;
  /** Answer a question through the normal flow (rate limit, length cap, typing, feedback buttons). */
  ask(question: string): Promise<void>;
}

export type HandlerResult = string | Reply | void | undefined;
export type CommandHandler = (ctx: ChatContext) => HandlerResult | Promise<HandlerResult>;
/** Middleware runs before command dispatch; call `next()` to continue. */
export type Middleware = (ctx: ChatContext, next: () => Promise<void>) => Promise<void> | void;

export interface ActionContext {
  channel: ChannelName;
  userId: string;
  chatId: string;
  /** The callback data after "prefix:". */
  payload: string;
  isAdmin: boolean;
  reply(reply: string | Reply): Promise<void>;
  ask(question: string): Promise<void>;
}
/** Returns an optional toast text for the button press. */
export type ActionHandler = (ctx: ActionContext) => Promise<string | void> | string | void;

/** A platform adapter: renders replies for one channel. Receiving is the adapter's own business. */
export interface ChannelAdapter {
  readonly name: ChannelName;
  send(chatId: string, reply: Reply): Promise<void>;
  /** Shows "typing…"; failures are ignored by the caller. */
  typing?(chatId: string): Promise<void>;
}

/**
 * The answering core as the chat layer uses it (mirrors `Assistant` in src/answer; structural, so the
 * real one fits).
 */
export interface Assistant {
  ask(question: string): Promise<import("../types.js").Answer>;
  section(doc: string, id: string): Section | undefined;
  documents(): DocumentMeta[];
  /** The corpus profile of the serving version (welcome text, example questions). */
  profile?(): Profile;
}
