// The who-does-what feature on every channel: /viec, /hanchot, /nhacnho, /huynhac, the reminder scheduler
// (pushing through the chat layer) and the responsibility matrix page at /trach-nhiem.
import {
  buildMatrix,
  createDutyCommands,
  createReminderScheduler,
  agenciesOfIndex,
  dutiesForIndex,
  esc,
  loadCorpusDuties,
  registerDutyCommands,
  renderMatrixHtml,
  type ReminderScheduler,
} from "../duties/index.js";
import type { Assistant } from "../answer/index.js";
import { carriesDuties } from "../corpus/manifest.js";
import type { DocumentMeta } from "../types.js";
import { calendarHandler } from "./ics.js";
import type { AppExtension } from "./server.js";

export interface DutiesFeature {
  extension: AppExtension;
  /** Set once the app has started (tests drive `tick()` with their own clock). */
  scheduler?: ReminderScheduler;
}

export function createDutiesFeature(opts: { clock?: () => Date; autoStart?: boolean } = {}): DutiesFeature {
  const feature: DutiesFeature = {
    extension: ({ app, chat, assistant, config, log, metrics, stores }) => {
      const store = stores.reminders; // closed with the other stores
      // The real assistant exposes the index version it serves (duties follow swaps); otherwise read the corpus.
      const serving = assistant as Partial<Pick<Assistant, "index">>;
      const fromCorpus = serving.index ? undefined : loadCorpusDuties(config.corpusDir);
      // The agency table of the version serving, so duty actors and ?co-quan= agree on ids after a change too.
      const duties = () => fromCorpus?.duties ?? dutiesForIndex(serving.index!());
      const agencies = () => fromCorpus?.agencies ?? agenciesOfIndex(serving.index!());
      const docs = () => assistant.documents();
      const common = {
        duties,
        docs,
        agencies,
        store,
        clock: opts.clock,
        tzOffsetMinutes: config.TZ_OFFSET_MINUTES,
        daysBefore: config.REMINDER_DAYS_BEFORE,
      };
      const calendarUrl = `${config.PUBLIC_BASE_URL?.replace(/\/$/, "") ?? ""}/lich.ics`;
      // The web page cannot receive pushed messages, so it cannot subscribe.
      registerDutyCommands(chat, createDutyCommands({ ...common, calendarUrl, canRemind: (channel) => channel !== "web" }));
      const scheduler = createReminderScheduler({
        ...common,
        log,
        intervalMs: config.REMINDER_CHECK_INTERVAL_MS,
        // Counted here (reminders_total by result) so the scheduler needs no metrics of its own.
        send: (channel, chatId, text) =>
          chat.sendTo(channel, chatId, text).then(
            () => metrics?.reminder(channel, "sent"),
            (err: unknown) => {
              metrics?.reminder(channel, "failed");
              throw err;
            },
          ),
      });
      feature.scheduler = scheduler;
      if (opts.autoStart !== false) scheduler.start();

      app.get(
        "/lich.ics",
        calendarHandler({
          duties,
          docs,
          agencies,
          tzOffsetMinutes: config.TZ_OFFSET_MINUTES,
          publicBaseUrl: config.PUBLIC_BASE_URL,
          clock: opts.clock,
        }),
      );
      app.get("/trach-nhiem", (_req, res) => {
        res.type("html").send(matrixPage(renderMatrixHtml(buildMatrix(duties(), agencies(), docs())), docs()));
      });
      return async () => {
        await scheduler.stop();
      };
    },
  };
  return feature;
}

/** The page around the table; its title names the documents that carry duties (from the manifest). */
function matrixPage(table: string, docs: DocumentMeta[]): string {
  const sources = docs.filter((d) => carriesDuties(d) && d.status !== "superseded").map((d) => esc(d.shortTitle));
  const from = sources.length ? sources.join("; ") : "các kế hoạch trong kho văn bản";
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bảng trách nhiệm — ${from}</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/style.css"></head>
<body class="matrix-page"><main><p><a href="/">← Hỏi đáp</a></p>
<h1>Bảng trách nhiệm: cơ quan × nhiệm vụ</h1>
<p><a href="/lich.ics">Thêm các hạn chót vào lịch (Google Calendar, Outlook, điện thoại)</a></p>
<p>Trích từ: ${from}. Bấm vào mục để xem nguyên văn.</p>
${table}</main></body></html>`;
}
