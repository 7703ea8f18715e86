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
import type { AppExtension } from "./server.js";

export interface DutiesFeature {
  extension: AppExtension;
  /** Set once the app has started (tests drive `tick()` with their own clock). */
  scheduler?: ReminderScheduler;
}

export function createDutiesFeature(opts: { clock?: () => Date; autoStart?: boolean } = {}): DutiesFeature {
  const feature: DutiesFeature = {
    extension: ({ app, chat, assistant, config, log, metrics }) => {
      const store = openReminderStore(config.dataDir);
      // The real assistant exposes the index version it serves (duties follow swaps); otherwise read the corpus.
      const serving = assistant as Partial<Pick<Assistant, "index">>;
      const fromCorpus = serving.index ? undefined : loadCorpusDuties(config.corpusDir).duties;
      const duties = () => fromCorpus ?? dutiesForIndex(serving.index!());
      const docs = () => assistant.documents();
      const common = { duties, docs, store, clock: opts.clock, tzOffsetMinutes: config.TZ_OFFSET_MINUTES, daysBefore: config.REMINDER_DAYS_BEFORE };
      // The web page cannot receive pushed messages, so it cannot subscribe.
      registerDutyCommands(chat, createDutyCommands({ ...common, canRemind: (channel) => channel !== "web" }));
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
<p>Trích từ Kế hoạch thực hiện Chương trình 77-CTr/TU của UBND tỉnh Đắk Nông. Bấm vào mục để xem nguyên văn.</p>
${table}</main></body></html>`;
}
