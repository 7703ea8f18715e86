// Corpus administration in chat: admins send a DOCX/PDF/MD/TXT to ingest it, and use /reindex, /phienban,
// /khoiphuc, /xoa, /hieuluc, /sua; /nguon shows admins ids and section counts. Everyone else is refused
// politely (admin-only commands by the chat layer, uploads here) and nothing is downloaded for them.
import type { Chat } from "../chat/chat.js";
import { documentsText } from "../chat/format.js";
import { commandDescriptions } from "../chat/messages.js";
import type { Attachment, ChatContext, CommandHandler } from "../chat/types.js";
import type { CorpusAdmin } from "./corpus-admin.js";
import { overridesFrom, parseFlags, splitArgs, supersedesFrom } from "./args.js";
import { checkSize, isCorpusError } from "../corpus/ingest/index.js";
import { documentsList, versionsText } from "./change-messages.js";
import { silentLogger, type Logger } from "../log.js";
import { auditedChanges, type AuditLog } from "./audit.js";
import { adminCommandDescriptions as desc, adminMessages } from "./messages.js";

export interface AdminChatOptions {
  maxBytes: number;
  log?: Logger;
  /** Records every change with the admin ("telegram:123") and channel "chat". */
  audit?: AuditLog;
}

/** The admin's change operations, recorded in the audit log under the chat admin who asked. */
const changesBy = (ctx: Pick<ChatContext, "channel" | "userId">, admin: CorpusAdmin, audit: AuditLog | undefined) =>
  auditedChanges(admin, audit, { who: `${ctx.channel}:${ctx.userId}`, channel: "chat" });

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Refusals become the operator's message; anything else is logged and reported as a system failure. */
function guarded(log: Logger, handler: (ctx: ChatContext) => Promise<string>): CommandHandler {
  return async (ctx) => {
    try {
      return await handler(ctx);
    } catch (err) {
      if (isCorpusError(err)) return err.vi;
      log.error("admin command failed", { command: ctx.command, err: errText(err) });
      return adminMessages.failed;
    }
  };
}

async function ingest(ctx: ChatContext, admin: CorpusAdmin, file: Attachment, opts: AdminChatOptions): Promise<string> {
  const log = opts.log ?? silentLogger;
  // Caption options (--id, --title, --replace, --supersedes …) as on the command line.
  const { flags } = parseFlags(splitArgs(ctx.args));
  if (file.size !== undefined) checkSize(file.size, opts.maxBytes, file.fileName);
  await ctx.reply(adminMessages.received(file.fileName));
  let bytes: Buffer;
  try {
    bytes = await file.download();
  } catch (err) {
    log.warn("admin upload download failed", { channel: ctx.channel, err: errText(err) });
    return adminMessages.downloadFailed(file.fileName);
  }
  const overrides = overridesFrom(flags);
  overrides.source ??= `Tệp «${file.fileName}» do quản trị viên gửi qua ${ctx.channel} ngày ${new Date().toISOString().slice(0, 10)}`;
  const report = await changesBy(ctx, admin, opts.audit).add({
    bytes,
    fileName: file.fileName,
    overrides,
    replace: !!flags.replace,
    supersedes: supersedesFrom(flags),
  });
  log.info("admin upload ingested", { channel: ctx.channel, user: ctx.userId, doc: report.document?.id, version: report.version });
  return report.text;
}

export function registerAdminChat(chat: Chat, admin: CorpusAdmin, opts: AdminChatOptions): Chat {
  const log = opts.log ?? silentLogger;

  chat.use(async (ctx, next) => {
    if (!ctx.attachments.length) return next();
    if (!ctx.isAdmin) {
      log.info("upload refused: not an admin", { channel: ctx.channel, user: ctx.userId });
      return ctx.reply(adminMessages.uploadRefused);
    }
    for (const file of ctx.attachments) {
      const text = await guarded(log, (c) => ingest(c, admin, file, opts))(ctx);
      if (text) await ctx.reply(text);
    }
  });

  const run = (busy: string, work: (ctx: ChatContext) => Promise<{ text: string }>) =>
    guarded(log, async (ctx) => {
      await ctx.reply(busy);
      return (await work(ctx)).text;
    });

  chat.command(
    "reindex",
    run(adminMessages.reindexing, (ctx) => changesBy(ctx, admin, opts.audit).reindex()),
    { description: desc.reindex, adminOnly: true },
  );
  chat.command(
    "phienban",
    guarded(log, async () => `${versionsText(admin.versions())}\n\n${adminMessages.versionsHint}`),
    {
      description: desc.phienban,
      adminOnly: true,
    },
  );
  chat.command(
    "khoiphuc",
    run(adminMessages.rollingBack, (ctx) => changesBy(ctx, admin, opts.audit).rollback(ctx.args.trim() || undefined)),
    {
      description: desc.khoiphuc,
      adminOnly: true,
    },
  );
  chat.command(
    "xoa",
    guarded(log, async (ctx) => {
      const id = ctx.args.trim();
      if (!id) return adminMessages.usage.xoa;
      await ctx.reply(adminMessages.working);
      return (await changesBy(ctx, admin, opts.audit).remove(id)).text;
    }),
    { description: desc.xoa, adminOnly: true },
  );
  chat.command(
    "hieuluc",
    guarded(log, async (ctx) => {
      const { positionals, flags } = parseFlags(splitArgs(ctx.args));
      if (positionals.length < 2) return adminMessages.usage.hieuluc;
      await ctx.reply(adminMessages.working);
      return (await changesBy(ctx, admin, opts.audit).setStatus(positionals[0]!, positionals[1]!, flags.by?.at(-1), flags.note?.at(-1)))
        .text;
    }),
    { description: desc.hieuluc, adminOnly: true },
  );
  chat.command(
    "sua",
    guarded(log, async (ctx) => {
      const { positionals, flags } = parseFlags(splitArgs(ctx.args));
      const patch = overridesFrom(flags);
      if (!positionals[0] || !Object.keys(patch).length) return adminMessages.usage.sua;
      await ctx.reply(adminMessages.working);
      return (await changesBy(ctx, admin, opts.audit).update(positionals[0], patch)).text;
    }),
    { description: desc.sua, adminOnly: true },
  );
  // Replaces the built-in /nguon: admins see ids, numbers and section counts; others the public list.
  chat.command("nguon", (ctx) => (ctx.isAdmin ? documentsList(admin.list()) : documentsText(chat.assistant.documents())), {
    description: commandDescriptions.nguon,
  });
  return chat;
}
