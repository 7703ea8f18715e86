// Wall time of reading a PDF's pages: each page within maxPdfPageMs, the file within maxConvertMs, and the pace so
// far must not say the file would take longer (a slow thousand-page file is refused after a few seconds, not
// after the whole limit). Checked between pages; a page that never ends is the conversion process's parent's to
// kill (convertInChild).
import { type IngestLimits, seconds, tooSlow } from "./limits.js";

/** The pace is judged once this much of the file's time has passed (earlier, a slow first page may mislead). */
const PACE_AFTER_SHARE = 0.1;

export function pageClock(fileName: string, pages: number, limits: IngestLimits, now = () => Date.now()) {
  const started = now();
  let pageStarted = started;
  return {
    start(): void {
      pageStarted = now();
    },
    /** Throws too_slow (Vietnamese) when page `p`, the file so far or its projected total is over a limit. */
    done(p: number): void {
      const t = now();
      const page = t - pageStarted;
      const elapsed = t - started;
      if (page > limits.maxPdfPageMs)
        throw tooSlow(
          fileName,
          `đọc trang ${p} mất ${seconds(page)} giây, quá giới hạn ${seconds(limits.maxPdfPageMs)} giây một trang`,
          `PDF page ${p} took ${page} ms (limit ${limits.maxPdfPageMs})`,
        );
      if (elapsed > limits.maxConvertMs)
        throw tooSlow(
          fileName,
          `đọc ${p} trang đầu đã mất ${seconds(elapsed)} giây, quá giới hạn ${seconds(limits.maxConvertMs)} giây một tệp`,
          `PDF reading took ${elapsed} ms after page ${p} (limit ${limits.maxConvertMs})`,
        );
      const projected = (elapsed / p) * pages;
      if (p < pages && elapsed > limits.maxConvertMs * PACE_AFTER_SHARE && projected > limits.maxConvertMs)
        throw tooSlow(
          fileName,
          `với tốc độ đọc ${p} trang đầu, đọc hết ${pages.toLocaleString("vi-VN")} trang sẽ mất khoảng ${seconds(projected)} giây, quá giới hạn ${seconds(limits.maxConvertMs)} giây một tệp`,
          `PDF would take about ${Math.round(projected)} ms for ${pages} pages at the pace of the first ${p} (limit ${limits.maxConvertMs})`,
        );
    },
  };
}
