// The who-does-what feature on every channel: /viec, /hanchot, /nhacnho, /huynhac, the reminder scheduler
// (pushing through the chat layer) and the responsibility matrix page at /trach-nhiem.
import {
  buildMatrix,
  createDutyCommands,
  createReminderScheduler,
  dutiesForIndex,
  loadCorpusDuties,
  openReminderStore,
  registerDutyCommands,
  renderMatrixHtml,
  type ReminderScheduler,
} from "../duties/index.js";
import type { Assistant } from "../answer/index.js";
import { agenciesFor } from "../duties/load.js";
import { calendarHandler } from "./ics.js";
import type { AppExtension } from "./server.js";

export interface DutiesFeature {
  extension: AppExtension;
  /** Set once the app has started (tests drive `tick()` with their own clock). */
  scheduler?: ReminderScheduler;
}

export function createDutiesFeature(opts: { clock?: () => Date; autoStart?: boolean } = {}): DutiesFeature {
  const feature: DutiesFeature = {
    extension: ({ app, chat, assistant, config, log }) => {
      const store = openReminderStore(config.dataDir);
      // The real assistant exposes the index version it serves (duties follow swaps); otherwise read the corpus.
      const serving = assistant as Partial<Pick<Assistant, "index">>;
      const fromCorpus = serving.index ? undefined : loadCorpusDuties(config.corpusDir).duties;
      // The corpus's own agency table (read at start), so duty actors and ?co-quan= agree on ids.
      const registry = agenciesFor(config.corpusDir);
      const agencies = () => registry;
      const duties = () => fromCorpus ?? dutiesForIndex(serving.index!(), agencies());
      const docs = () => assistant.documents();
      const common = {
        duties,
        docs,
        store,
        clock: opts.clock,
        tzOffsetMinutes: config.TZ_OFFSET_MINUTES,
        daysBefore: config.REMINDER_DAYS_BEFORE,
      };
      const calendarUrl = `${config.PUBLIC_BASE_URL?.replace(/\/$/, "") ?? ""}/lich.ics`;
      // The web page cannot receive pushed messages, so it cannot subscribe.
      registerDutyCommands(
        chat,
        createDutyCommands({ ...common, agencies: registry, calendarUrl, canRemind: (channel) => channel !== "web" }),
      );
      const scheduler = createReminderScheduler({
        ...common,
        log,
        intervalMs: config.REMINDER_CHECK_INTERVAL_MS,
        send: (channel, chatId, text) => chat.sendTo(channel, chatId, text),
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
        res.type("html").send(matrixPage(renderMatrixHtml(buildMatrix(duties()))));
      });
      return async () => {
        await scheduler.stop();
        store.close();
      };
    },
  };
  return feature;
}

function matrixPage(table: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bảng trách nhiệm — Kế hoạch thực hiện CTr 77-CTr/TU</title><link rel="stylesheet" href="/style.css"></head>
<body class="matrix-page"><main><p><a href="/">← Hỏi đáp</a></p>
<h1>Bảng trách nhiệm: cơ quan × nhiệm vụ</h1>
<p><a href="/lich.ics">Thêm các hạn chót vào lịch (Google Calendar, Outlook, điện thoại)</a></p>
<p>Trích từ Kế hoạch thực hiện Chương trình 77-CTr/TU của UBND tỉnh Đắk Nông. Bấm vào mục để xem nguyên văn.</p>
${table}</main></body></html>`;
}
