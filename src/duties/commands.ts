// Channel-independent chat commands: /viec <cơ quan>, /hanchot, /nhacnho, /huynhac. Each returns the Vietnamese
// reply text; the chat layer (Telegram, Zalo, web) registers them and delivers the text.
import type { DocumentMeta } from "../types.js";
import type { AgencyRegistry } from "./agencies.js";
import { agencyDutiesByPlan } from "./answer.js";
import { daysLeftText, formatDate, formatHanchot, upcomingDeadlines } from "./deadlines.js";
import type { ReminderStore } from "./store.js";
import type { Duty } from "./types.js";

export interface DutyCommandsOptions {
  duties: Duty[] | (() => Duty[]);
  /** Manifest entries, or a getter (the index may be swapped). */
  docs: DocumentMeta[] | (() => DocumentMeta[]);
  store: ReminderStore;
  /** Channels that can receive pushed messages; /nhacnho elsewhere (e.g. the web page) explains instead. */
  canRemind?: (channel: string) => boolean;
  clock?: () => Date;
  tzOffsetMinutes?: number;
  daysBefore?: number[];
  /** The agency table, or a getter (it follows the index version). */
  agencies: AgencyRegistry | (() => AgencyRegistry);
  /** The deadline calendar feed (/lich.ics), linked from /hanchot. */
  calendarUrl?: string;
}

export interface DutyCommands {
  /** /viec <cơ quan>: the agency's duties (own first, then its groups'), with quotes and sources. */
  viec(args: string): string;
  /** /hanchot: dated deadlines with the next date and days left, then undated ones (on `channel`: its commands). */
  hanchot(now?: Date, channel?: string): string;
  /** Whether `channel` can receive reminders (/nhacnho, /huynhac work there). */
  canRemind(channel: string): boolean;
  /** /nhacnho: subscribe this chat to deadline reminders. */
  nhacnho(channel: string, chatId: string): Promise<string>;
  /** /huynhac: unsubscribe. */
  huynhac(channel: string, chatId: string): Promise<string>;
}

const NO_REMINDERS_HERE =
  "Kênh này chưa gửi được tin nhắc. Hãy gõ /nhacnho trong Telegram hoặc Zalo; /hanchot vẫn xem được các hạn chót tại đây.";

export function createDutyCommands(opts: DutyCommandsOptions): DutyCommands {
  const registry = () => (typeof opts.agencies === "function" ? opts.agencies() : opts.agencies);
  const clock = opts.clock ?? (() => new Date());
  const tz = opts.tzOffsetMinutes ?? 420;
  const daysBefore = opts.daysBefore?.length ? opts.daysBefore : [7, 1];
  const duties = typeof opts.duties === "function" ? opts.duties : () => opts.duties as Duty[];
  const docs = typeof opts.docs === "function" ? opts.docs : () => opts.docs as DocumentMeta[];
  const canRemind = (channel: string) => !opts.canRemind || opts.canRemind(channel);

  const examples = () => {
    // Agencies that are the subject of some duty, in document order.
    const reg = registry();
    const seen = new Set<string>();
    for (const d of [...duties()].sort((a, b) => a.order - b.order))
      if (!d.via && reg.get(d.actor) && seen.size < 8) seen.add(reg.shortName(d.actor));
    return [...seen];
  };

  const thresholds = () =>
    [...daysBefore]
      .sort((a, b) => b - a)
      .map((d) => (d === 0 ? "đúng ngày hạn" : `${d} ngày`))
      .join(" và ");

  return {
    viec(args) {
      const text = args.trim();
      if (!text)
        return [
          "Cú pháp: /viec <tên cơ quan>, ví dụ /viec Sở Tài chính, /viec so khcn, /viec UBND huyện.",
          `Các cơ quan có nhiệm vụ trong Kế hoạch: ${examples().join("; ")}.`,
        ].join("\n");
      const reg = registry();
      const agency = reg.resolve(text);
      if (!agency)
        return `Chưa nhận ra cơ quan “${text}”. Thử lại với tên đầy đủ hoặc viết tắt, ví dụ: /viec Sở Tài chính, /viec Sở KH&CN, /viec UBND huyện.`;
      return agencyDutiesByPlan(agency, text, duties(), docs(), { agencies: reg, full: true }).answer;
    },

    canRemind,

    hanchot(now = clock(), channel) {
      // Where reminders cannot be subscribed (the web page), the reply does not offer /nhacnho.
      const remindHint = channel === undefined || canRemind(channel);
      const text = formatHanchot(duties(), now, tz, { docs: docs(), agencies: registry(), remindHint });
      const calendar = `Thêm các hạn chót vào lịch (Google Calendar, Outlook, điện thoại): ${opts.calendarUrl}`;
      // Under the /nhacnho line when there is one, else a paragraph of its own (not the list's last item).
      return opts.calendarUrl ? `${text}${remindHint ? "\n" : "\n\n"}${calendar}` : text;
    },

    async nhacnho(channel, chatId) {
      if (!canRemind(channel)) return NO_REMINDERS_HERE;
      const now = clock();
      const added = await opts.store.subscribe(channel, chatId, now);
      const next = upcomingDeadlines(duties(), now, tz)[0];
      const lines = [
        added
          ? `Đã bật nhắc hạn. Bạn sẽ nhận tin nhắc trước mỗi hạn chót ${thresholds()}.`
          : `Bạn đã đăng ký nhắc hạn từ trước (nhắc trước ${thresholds()}).`,
      ];
      if (next) lines.push(`Hạn gần nhất: ${formatDate(next.date)} — ${daysLeftText(next.daysLeft)} (${next.sectionLabel}).`);
      lines.push("Gõ /hanchot để xem các hạn chót, /huynhac để tắt nhắc.");
      return lines.join("\n");
    },

    async huynhac(channel, chatId) {
      if (!canRemind(channel)) return NO_REMINDERS_HERE;
      return (await opts.store.unsubscribe(channel, chatId))
        ? "Đã tắt nhắc hạn. Gõ /nhacnho nếu muốn bật lại."
        : "Bạn chưa đăng ký nhắc hạn. Gõ /nhacnho để bật.";
    },
  };
}

/** What registerDutyCommands needs from the chat layer (structural: src/chat's Chat fits). */
export interface CommandRegistry {
  command(
    name: string,
    handler: (ctx: { channel: string; chatId: string; args: string }) => string | Promise<string>,
    opts?: { description?: string; availableOn?: (channel: string) => boolean },
  ): unknown;
}

/** Registers /viec, /hanchot, /nhacnho, /huynhac on a chat (Telegram, Zalo and the web page share it). */
export function registerDutyCommands(chat: CommandRegistry, cmds: DutyCommands): void {
  chat.command("viec", (ctx) => cmds.viec(ctx.args), { description: "Nhiệm vụ của một cơ quan, ví dụ /viec Sở Tài chính" });
  chat.command("hanchot", (ctx) => cmds.hanchot(undefined, ctx.channel), { description: "Các hạn chót sắp tới và số ngày còn lại" });
  // Listed by /help only where reminders can be pushed; typed elsewhere, they explain where they work.
  const availableOn = cmds.canRemind;
  chat.command("nhacnho", (ctx) => cmds.nhacnho(ctx.channel, ctx.chatId), { description: "Bật nhắc trước hạn chót", availableOn });
  chat.command("huynhac", (ctx) => cmds.huynhac(ctx.channel, ctx.chatId), { description: "Tắt nhắc hạn chót", availableOn });
}
