// The built-in commands and buttons: /start, /help, /nguon, /xem, example questions, sources, votes.
import { assistantSubject, EMPTY_PROFILE, exampleQuestions } from "../corpus/manifest.js";
import type { Citation } from "../types.js";
import type { Chat } from "./chat.js";
import { conversationKey } from "./chat.js";
import { citedSections, documentsText, moreAnswer } from "./format.js";
import { commandDescriptions, messages } from "./messages.js";
import type { Assistant, Button, ChatContext, Reply } from "./types.js";

/** Sub-sections beyond this many characters are left out of a "show source" reply. */
const SOURCE_BUDGET = 6000;

/** The cited section with its sub-sections (depth first), within a size budget. */
export function sourceReply(assistant: Assistant, citation: Citation): Reply {
  const top = assistant.section(citation.doc, citation.section);
  if (!top) return { type: "text", text: messages.sourceMissing };
  const sections = [top];
  let size = top.heading.length + top.paragraphs.join("").length;
  let truncated = false;
  const visit = (ids: string[]) => {
    for (const id of ids) {
      const s = assistant.section(top.doc, id);
      if (!s) continue;
      size += s.heading.length + s.paragraphs.join("").length;
      if (size > SOURCE_BUDGET) {
        truncated = true;
        return;
      }
      sections.push(s);
      visit(s.children);
      if (truncated) return;
    }
  };
  visit(top.children);
  const document = assistant.documents().find((d) => d.id === top.doc);
  return { type: "source", sections, document, truncated };
}

/** "Xem thêm" when there is more, one "show source" button per cited section, then 👍/👎 (needs a stored answer id). */
export function answerButtons(citations: Citation[], answerId: number | undefined, hasMore = false): Button[][] {
  if (answerId === undefined) return [];
  const more: Button[][] = hasMore ? [[{ text: messages.moreButton, action: `m:${answerId}` }]] : [];
  const rows: Button[][] = citedSections(citations).map(({ citation: c, index }) => {
    // "Doc — Mục IV.2" → "📄 Mục IV.2 · Doc": the section first, so truncation keeps it.
    const at = c.title.lastIndexOf(" — ");
    const text = `📄 ${at < 0 ? c.title : `${c.title.slice(at + 3)} · ${c.title.slice(0, at)}`}`;
    return [{ text: text.length > 60 ? `${text.slice(0, 59)}…` : text, action: `s:${answerId}:${index}` }];
  });
  rows.push([
    { text: "👍 Hữu ích", action: `v:${answerId}:+` },
    { text: "👎 Chưa đúng", action: `v:${answerId}:-` },
  ]);
  return [...more, ...rows];
}

export function registerBuiltins(chat: Chat): Chat {
  const { assistant } = chat;
  // The serving version's profile: a corpus change may bring other examples.
  const profile = () => assistant.profile?.() ?? EMPTY_PROFILE;

  chat.command(
    "start",
    () => ({
      type: "text",
      text: messages.welcome(assistantSubject(profile(), assistant.documents())),
      buttons: exampleQuestions(profile()).map((q, i) => [{ text: q, action: `x:${i}`, hint: `• ${q}` }]),
    }),
    { description: commandDescriptions.start },
  );
  chat.command(
    "help",
    (ctx) => messages.help(chat.commandList(ctx.isAdmin, ctx.channel)) + (ctx.isGroup ? `\n\n${messages.groupHint}` : ""),
    {
      description: commandDescriptions.help,
    },
  );
  chat.command("nguon", () => documentsText(assistant.documents()), { description: commandDescriptions.nguon });
  chat.command(
    "xem",
    async (ctx) => {
      const cited = citedSections(await chat.lastAnswerCitations(ctx.channel, ctx.chatId));
      const citation = cited[Number.parseInt(ctx.args, 10) - 1]?.citation;
      if (!citation) return messages.showSourceUsage(cited.length);
      return sourceReply(assistant, citation);
    },
    { description: commandDescriptions.xem },
  );

  registerConversationCommands(chat);

  chat.action("x", async (ctx) => {
    const q = exampleQuestions(profile())[Number(ctx.payload)];
    if (q) await ctx.ask(q);
  });
  chat.action("s", async (ctx) => {
    const [id, i] = ctx.payload.split(":").map(Number);
    const citation = (await chat.feedback?.getAnswer(id!))?.citations[i!];
    if (!citation) return messages.expired;
    await ctx.reply(sourceReply(assistant, citation));
  });
  chat.action("v", async (ctx) => {
    const [id, sign] = ctx.payload.split(":");
    const ok = await chat.feedback?.vote(Number(id), ctx.channel, ctx.userId, sign === "-" ? -1 : 1);
    return ok ? messages.voteThanks : messages.expired;
  });
  return chat;
}

/** "/moi" (start over), "/them" and "/xemthem" (more of the last answer), and the "Xem thêm" button. */
function registerConversationCommands(chat: Chat): void {
  chat.command(
    "moi",
    async (ctx) => {
      await chat.conversations?.reset(conversationKey(ctx));
      return messages.newConversation;
    },
    { description: commandDescriptions.moi },
  );
  const showMore = async (ctx: ChatContext): Promise<Reply | string> => {
    const last = await chat.lastAnswer(ctx.channel, ctx.chatId);
    const more = last && moreAnswer(last);
    if (!more) return messages.noMore;
    // "/xem <n>" now numbers the sections just shown.
    await chat.rememberAnswer(ctx.channel, ctx.chatId, more);
    return { type: "answer", answer: more, heading: messages.moreHeader };
  };
  chat.command("them", showMore, { description: commandDescriptions.them });
  // "còn gì nữa không?" typed as a message does what /them does, when the last reply has more.
  chat.use(async (ctx, next) => {
    const wantsMore = !ctx.command && chat.conversations?.asksForMore(ctx.text);
    if (wantsMore && (await chat.lastAnswer(ctx.channel, ctx.chatId))?.more) return ctx.reply(await showMore(ctx));
    return next();
  });
  chat.command("xemthem", showMore);
  chat.action("m", async (ctx) => {
    const stored = await chat.feedback?.getAnswer(Number(ctx.payload));
    const more = stored && moreAnswer({ question: stored.question, mode: "extractive", more: stored.more });
    if (!more) return messages.expired;
    const answerId = await chat.recordShownAnswer(ctx.channel, more);
    await ctx.reply({ type: "answer", answer: more, answerId, heading: messages.moreHeader });
  });
}
