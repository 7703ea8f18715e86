// The conversation layer: one Chat shared by every channel adapter.
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { Chat, type ChatOptions } from "./chat.js";
import { registerBuiltins } from "./commands.js";
import type { ChatMemoryStore, RateStore, SeenStore } from "../store/types.js";
import type { Conversations } from "./conversation.js";
import type { FeedbackStore } from "./feedback.js";
import type { Assistant } from "./types.js";

export { Chat, conversationKey, type ChatOptions, type CommandOptions, type GuardResult } from "./chat.js";
export { Conversations, openConversations, type ConversationOptions, type QuestionRewriter } from "./conversation.js";
export { openSqliteConversationStore, type ConversationStore, type Turn } from "./conversation-store.js";
export { loadFollowupLexicon, parseFollowupLexicon, type AgencyFinder, type FollowupLexicon } from "./followups.js";
export { chooseReading, readingOptions, type ReadingOptions } from "./readings.js";
export { answerButtons, registerBuiltins, sourceReply } from "./commands.js";
export { openFeedbackStore, type FeedbackStore, type StoredAnswer } from "./feedback.js";
export * from "./format.js";
export { memoryChatMemory, memoryRateStore, memorySeenStore, RateLimiter, SeenSet, visibleLength } from "./limits.js";
export { messages } from "./messages.js";
export { packBlocks, splitText, type Measure } from "./split.js";
export type * from "./types.js";

/** A Chat with the built-in commands (/start, /help, /nguon, /xem) and buttons registered. */
export function createChat(opts: {
  assistant: Assistant;
  config: Config;
  log?: Logger;
  feedback?: FeedbackStore;
  seen?: SeenStore;
  rates?: RateStore;
  memory?: ChatMemoryStore;
  questions?: ChatOptions["questions"];
  conversations?: Conversations;
  typingIntervalMs?: number;
  metrics?: ChatOptions["metrics"];
}): Chat {
  return registerBuiltins(new Chat(opts));
}
