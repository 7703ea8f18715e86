// The HTTP side: the web chat page (static files in public/), its JSON API and a health check.
// Other features mount their routers on the returned app; `finishHttpApp` adds the fallbacks last.
import crypto from "node:crypto";
import { fileURLToPath } from "node:url";
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response, type Router } from "express";
import { z } from "zod";
import { conversationKey, type Chat, type GuardResult } from "../chat/chat.js";
import { sourceReply } from "../chat/commands.js";
import { moreAnswer, plainText, withoutSourceList } from "../chat/format.js";
import { messages } from "../chat/messages.js";
import type { Assistant } from "../chat/types.js";
import type { Config } from "../config.js";
import { assistantSubject, EMPTY_PROFILE, exampleQuestions } from "../corpus/manifest.js";
import { silentLogger, type Logger } from "../log.js";
import { answerOf, type Answer } from "../types.js";
import { visitorKey, visitors, type Visitors } from "./visitor.js";

export const PUBLIC_DIR = fileURLToPath(new URL("../../public/", import.meta.url));

export interface HttpDeps {
  assistant: Assistant;
  chat: Chat;
  config: Pick<Config, "TRUST_PROXY" | "WEB_COOKIE_SECRET" | "DATABASE_URL" | "dataDir">;
  log?: Logger;
  publicDir?: string;
}

export const webMessages = {
  badJson: 'Dữ liệu gửi lên không phải JSON hợp lệ. Hãy gửi dạng {"question": "câu hỏi của bạn"}.',
  missing: 'Thiếu câu hỏi. Hãy gửi JSON dạng {"question": "câu hỏi của bạn"}.',
  notText: "Câu hỏi phải là một đoạn văn bản.",
  tooLarge: "Dữ liệu gửi lên quá lớn.",
  notFound: "Không tìm thấy địa chỉ này.",
  badConversation: "Mã cuộc trò chuyện không hợp lệ. Hãy bỏ trống để bắt đầu cuộc trò chuyện mới.",
  sectionNotFound: "Không tìm thấy mục văn bản này.",
  badVote: 'Góp ý không hợp lệ. Hãy gửi JSON dạng {"answerId": 12, "vote": "up"} hoặc "down".',
};

const askSchema = z.object(
  {
    question: z.string({ required_error: webMessages.missing, invalid_type_error: webMessages.notText }),
    conversationId: z
      .string({ invalid_type_error: webMessages.badConversation })
      .regex(/^[A-Za-z0-9_-]{8,64}$/, webMessages.badConversation)
      .optional(),
  },
  { required_error: webMessages.missing, invalid_type_error: webMessages.missing },
);

const voteSchema = z.object({ answerId: z.number().int().positive(), vote: z.enum(["up", "down"]) });

/** What the page shows alongside an answer: its conversation, the id 👍/👎 refer to, whether it is a command's text. */
interface Shown {
  conversationId?: string;
  answerId?: number;
  command?: boolean;
}

/**
 * The fields (and order) of the CLI's `ask --json`, plus what the page needs (`Shown`). The page lists the cited
 * sections itself, so a paragraph of the text that only lists them again is left out.
 */
const answerJson = (a: Answer, shown: Shown = {}) => ({
  question: a.question,
  ...(a.resolvedQuestion ? { resolvedQuestion: a.resolvedQuestion } : {}),
  answer: withoutSourceList(a.answer, a.citations),
  lead: a.lead,
  more: a.more && {
    text: withoutSourceList(a.more.text, a.more.citations),
    citations: a.more.citations.map(({ doc, section, title, quote }) => ({ doc, section, title, quote })),
  },
  abstained: a.abstained,
  mode: a.mode,
  citations: a.citations.map(({ doc, section, title, quote }) => ({ doc, section, title, quote })),
  ...(shown.conversationId ? { conversationId: shown.conversationId } : {}),
  ...(shown.answerId !== undefined ? { answerId: shown.answerId } : {}),
  ...(shown.command ? { command: true } : {}),
});

/** Everything is served from here: no CDN, no inline script. */
const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  });
  next();
};

/** Sends a refusal (429 with Retry-After, or 400) and returns false; true when the guard let the request through. */
function withinRate(res: Response, guard: GuardResult): guard is Extract<GuardResult, { ok: true }> {
  if (guard.ok) return true;
  if (guard.status === 429) res.set("Retry-After", String(guard.retryAfterSeconds ?? 60));
  res.status(guard.status).json({ error: guard.message });
  return false;
}

/** The person (signed cookie id) and the address a web request counts against. */
interface Asker {
  person: string;
  address: string;
}

const askerOf = (who: Visitors, req: Request, res: Response): Asker => ({
  person: who.identify(req, res),
  address: req.ip ?? "unknown",
});

/** A command (/nguon, /help, /moi, /them …) run by the chat layer; its replies come back as one text. */
async function commandReply(chat: Chat, asker: Asker, conversationId: string, text: string) {
  const replies = await chat.collect({ channel: "web", userId: asker.person, chatId: conversationId, text });
  const only = replies.length === 1 ? replies[0] : undefined;
  if (only?.type === "answer") {
    const answerId = await chat.recordShownAnswer("web", only.answer);
    return answerJson(only.answer, { conversationId, answerId });
  }
  const answer = replies.map(plainText).join("\n\n");
  return answerJson(answerOf({ question: text, answer, abstained: false, mode: "extractive", citations: [] }), {
    conversationId,
    command: true,
  });
}

/** POST /api/ask: a question read in its conversation, or a command (/nguon, /moi, /viec …) run by the chat layer. */
function askHandler({ chat }: HttpDeps, who: Visitors, log: Logger): RequestHandler {
  return async (req, res) => {
    const input = askSchema.safeParse(req.body);
    if (!input.success) {
      res.status(400).json({ error: input.error.issues[0]?.message ?? webMessages.missing });
      return;
    }
    const asker = askerOf(who, req, res);
    const text = input.data.question.trim();
    // The page keeps this id; follow-ups are read in its conversation ("web:<id>", as a chat id would be).
    const conversationId = input.data.conversationId ?? crypto.randomUUID();
    if (text.startsWith("/")) {
      // Commands count against the rate like questions.
      if (!withinRate(res, await chat.guardRate("web", asker.person, undefined, asker.address))) return;
      res.json(await commandReply(chat, asker, conversationId, text));
      return;
    }
    const conversation = conversationKey({ channel: "web", chatId: conversationId, userId: asker.person, isGroup: false });
    // With a shared store the conversation's turns come with the rate decision: one round trip before answering.
    const guard = await chat.guardQuestion("web", asker.person, text, conversation, asker.address);
    if (!withinRate(res, guard)) return;
    // "còn gì nữa không?" after a reply with more: the rest of it, as the page's "Xem thêm" button shows.
    // The last answer is read only for such a question (with replicas it is a database round trip).
    const last = chat.conversations?.asksForMore(text) ? await chat.lastAnswer("web", conversationId) : undefined;
    const more = last ? moreAnswer(last) : null;
    const answer = more
      ? { ...more, question: text }
      : await chat.answer("web", guard.question, conversation, guard.ok ? guard.turns : undefined);
    // Stored for 👍/👎 first (their id goes to the page); then the turn (queued by the answer), the question log row
    // and the last answer go in one write: awaiting the last of them means all are stored before the reply (a
    // follow-up may reach another replica next).
    const answerId = await chat.recordShownAnswer("web", answer);
    const logged = more ? undefined : chat.questions?.record({ channel: "web", userId: asker.person, answer, answerId });
    await chat.rememberAnswer("web", conversationId, more ?? answer);
    await logged;
    if (!more) log.info("question answered", { channel: "web", abstained: answer.abstained, citations: answer.citations.length });
    res.json(answerJson(answer, { conversationId, answerId }));
  };
}

/** POST /api/feedback {answerId, vote: "up" | "down"}: 👍/👎 on a shown answer, into the store Telegram and Zalo use. */
function feedbackHandler({ chat }: HttpDeps, who: Visitors): RequestHandler {
  return async (req, res) => {
    const input = voteSchema.safeParse(req.body);
    if (!input.success) {
      res.status(400).json({ error: webMessages.badVote });
      return;
    }
    const asker = askerOf(who, req, res);
    // A vote counts against the rate like a button press on Telegram.
    if (!withinRate(res, await chat.guardRate("web", asker.person, undefined, asker.address))) return;
    const { answerId, vote } = input.data;
    const ok = await chat.feedback?.vote(answerId, "web", asker.person, vote === "down" ? -1 : 1);
    if (!ok) {
      res.status(404).json({ error: messages.expired });
      return;
    }
    res.json({ ok: true, message: messages.voteThanks });
  };
}

/** The JSON API under /api. */
function createApiRouter(deps: HttpDeps, log: Logger): Router {
  const { assistant } = deps;
  const who = visitors(visitorKey(deps.config, log));
  const api = express.Router();
  api.use(express.json({ limit: "64kb" }));
  api.post("/ask", askHandler(deps, who, log));
  api.post("/feedback", feedbackHandler(deps, who));

  api.get("/profile", (_req, res) => {
    res.json(pageProfile(assistant));
  });

  // The full text of a cited section (the page's "Xem toàn văn mục" link).
  api.get("/sections/:doc/:id", (req, res) => {
    const reply = sourceReply(assistant, { doc: req.params.doc, section: req.params.id, title: "", quote: "" });
    if (reply.type !== "source") {
      res.status(404).json({ error: webMessages.sectionNotFound });
      return;
    }
    res.json({ document: reply.document ?? null, sections: reply.sections, truncated: reply.truncated ?? false });
  });

  // Body-parser errors carry a 4xx status: answer them in Vietnamese; anything else is our fault.
  const apiErrors: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: status === 413 ? webMessages.tooLarge : webMessages.badJson });
      return;
    }
    log.error("web request failed", { err });
    res.status(500).json({ error: messages.failed });
  };
  api.use(apiErrors);
  return api;
}

export function createHttpApp(deps: HttpDeps): Express {
  const { assistant, chat } = deps;
  const log = deps.log ?? silentLogger;
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy (HTTPS termination), per-user limits need the client address it forwards.
  if (deps.config.TRUST_PROXY !== undefined) app.set("trust proxy", deps.config.TRUST_PROXY);
  app.use(securityHeaders);
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true, documents: assistant.documents().length, channels: chat.channels() });
  });
  app.use("/api", createApiRouter(deps, log));
  app.use(express.static(deps.publicDir ?? PUBLIC_DIR, { index: "index.html", maxAge: "1h" }));
  return app;
}

/** What the page shows before the first question: the assistant's name, what it knows, example questions. */
function pageProfile(assistant: Assistant): { name: string; description: string; examples: string[] } {
  const profile = assistant.profile?.() ?? EMPTY_PROFILE;
  return {
    name: profile.assistant.name,
    description: assistantSubject(profile, assistant.documents()),
    examples: exampleQuestions(profile),
  };
}

/** Adds the 404 and error fallbacks; call after every router is mounted, right before listening. */
export function finishHttpApp(app: Express, log: Logger = silentLogger): Express {
  app.use((_req, res) => {
    res.status(404).json({ error: webMessages.notFound });
  });
  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    log.error("http request failed", { err });
    if (!res.headersSent) res.status(500).json({ error: messages.failed });
  };
  app.use(errors);
  return app;
}
