// The wall-time rules of reading a PDF's pages, on a clock the test moves: a slow page, a file over its limit, and
// a pace that says the whole file would be over it, whatever the speed of the machine running the test.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type IngestLimits } from "../../src/corpus/ingest/index.js";
import { pageClock } from "../../src/corpus/ingest/pdf-time.js";

const limits: IngestLimits = { ...DEFAULT_LIMITS, maxBytes: 1e7, maxPdfPageMs: 1000, maxConvertMs: 10_000 };

/** Reads `pages` pages of `msPerPage` each on a fake clock; returns the error that stopped it, if any. */
function read(pages: number, msPerPage: number): { stoppedAt?: number; error?: { code: string; vi: string } } {
  let t = 0;
  const clock = pageClock("tep.pdf", pages, limits, () => t);
  for (let p = 1; p <= pages; p++) {
    clock.start();
    t += msPerPage;
    try {
      clock.done(p);
    } catch (error) {
      return { stoppedAt: p, error: error as { code: string; vi: string } };
    }
  }
  return {};
}

describe("pageClock", () => {
  it("lets a file read within its limits through", () => {
    expect(read(100, 90)).toEqual({});
  });

  it("refuses a page over its own limit, naming the page", () => {
    const { stoppedAt, error } = read(3, 1500);
    expect(stoppedAt).toBe(1);
    expect(error?.code).toBe("too_slow");
    expect(error?.vi).toContain("đọc trang 1 mất 1,5 giây, quá giới hạn 1 giây một trang");
  });

  it("refuses by pace once a tenth of the file's time has passed, long before the limit", () => {
    // 1000 pages of 0.2 s would take 200 s against a 10 s limit: refused after the first second.
    const { stoppedAt, error } = read(1000, 200);
    expect(stoppedAt).toBe(6);
    expect(error?.vi).toMatch(/đọc hết 1\.000 trang sẽ mất khoảng 200 giây, quá giới hạn 10 giây một tệp/);
  });

  it("judges no pace before a tenth of the time: one slow first page does not condemn a short file", () => {
    expect(read(5, 900)).toEqual({});
  });

  it("refuses a file whose pages, each in time, add up past the file's limit", () => {
    // The pace check does not run on the last page, so only the file limit can stop it there.
    let t = 0;
    const clock = pageClock("tep.pdf", 2, { ...limits, maxConvertMs: 1500 }, () => t);
    clock.start();
    t += 200;
    clock.done(1);
    t += 600; // time between pages counts towards the file, not the page
    clock.start();
    t += 900;
    expect(() => clock.done(2)).toThrow(
      expect.objectContaining({ vi: expect.stringContaining("đọc 2 trang đầu đã mất 1,7 giây, quá giới hạn 1,5 giây một tệp") }),
    );
  });
});
