// The web chat page in real headless Chromium on a phone-sized screen, against the real answering core over
// our own fixture corpus: a reply rendered as a chat reply (each source once, lists as lists), a follow-up,
// "Xem thêm", "Câu hỏi mới", 👍 reaching /admin/stats, and /trach-nhiem and /hanchot within a 390 px screen
// (screenshots in test-output/).
import fs from "node:fs";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/app.js";
import { consoleFeature } from "../../src/console/index.js";
import { exampleQuestions } from "../../src/corpus/manifest.js";
import { PUBLIC_DIR } from "../../src/http/app.js";
import { createDutiesFeature } from "../../src/http/duties.js";
import { ROOT, startTestApp, type TestApp } from "../channels/helpers.js";
import { conversationCorpus } from "../chat/helpers.js";
import { launchChromium } from "./browser.js";

const SCREENSHOT = path.join(ROOT, "test-output", "web-chat.png");
const ADMIN_TOKEN = "web-chat-e2e-admin-token-0123456789";
const PHONE_WIDTH = 390;

let app: TestApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const extensions = [
    // A fixed day before the fixture plan's deadlines, so /hanchot lists them.
    createDutiesFeature({ autoStart: false, clock: () => new Date("2027-01-10T09:00:00+07:00") }).extension,
    adminExtension({ features: [consoleFeature({ publicDir: PUBLIC_DIR })] }),
  ];
  app = await startTestApp({ CORPUS_DIR: conversationCorpus(), ADMIN_TOKEN }, { extensions });
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "vi-VN",
  });
  page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") pageErrors.push(msg.text());
  });
  // Every request must stay on our server (no CDN).
  page.on("request", (req) => {
    if (!req.url().startsWith(app.url)) pageErrors.push(`external request: ${req.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Types a question, sends it, and returns the bot's reply bubble for it. */
async function ask(question: string) {
  const count = await page.locator("article.msg.bot").count();
  await page.fill("#question", question);
  await page.click("#send");
  const bubble = page.locator("article.msg.bot").nth(count);
  await bubble.waitFor();
  return bubble;
}

/** How often `part` occurs in `text`. */
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** Each cited section's title shows once in a reply (in its list of sources), never as a text list or label. */
async function expectSourcesOnce(bubble: Locator) {
  const text = await bubble.innerText();
  const titles = (await bubble.locator(".cite-link").allInnerTexts()).map((t) => t.replace(/^\[\d+\] /, ""));
  expect(titles.length).toBeGreaterThan(0);
  for (const title of titles) expect(occurrences(text, title), title).toBe(1);
  expect(text).not.toMatch(/^Nguồn:$/m);
  // No list marker left alone on a line: lists are lists.
  expect(text).not.toMatch(/^\s*[-•*]\s*$/m);
}

/** The page's widths: nothing may reach beyond the phone's screen. */
async function expectFitsPhone() {
  const widths = await page.evaluate(() => ({
    viewport: window.innerWidth,
    document: document.documentElement.scrollWidth,
    widest: Math.max(...[...document.querySelectorAll("body *")].map((e) => Math.ceil(e.getBoundingClientRect().right))),
  }));
  expect(widths).toEqual({ viewport: PHONE_WIDTH, document: PHONE_WIDTH, widest: expect.any(Number) });
  expect(widths.widest).toBeLessThanOrEqual(PHONE_WIDTH);
}

describe("web chat page (phone, 390×844)", () => {
  it("shows a reply as a chat reply, reads a follow-up in context, and opens 'Xem thêm' and a source", async () => {
    await page.goto(app.url);
    // Name and example questions come from the corpus profile (GET /api/profile).
    const profile = app.assistant.profile!();
    await page.locator("button.example").first().waitFor();
    await expect(page.title()).resolves.toBe(profile.assistant.name);
    expect(await page.locator("button.example").allInnerTexts()).toEqual(exampleQuestions(profile));
    const first = await ask("Sở Tài chính phải làm gì?");
    // The direct answer in bold first; the duties as a numbered list, each verbatim quote followed by the number of
    // its source, which opens that source in the list.
    expect(await first.locator(".reply-body > :first-child strong").count()).toBe(1);
    const item = first.locator("ol.reply-list > li").first();
    expect(await item.locator(".quoted").innerText()).toContain("bố trí 4,5 tỷ đồng kinh phí hỗ trợ hợp tác xã");
    const ref = item.locator("a.cite-ref");
    expect(await ref.getAttribute("aria-label")).toBe("Nguồn 1: Kế hoạch TMĐT nông sản (giả lập) — Mục II.1");
    await expectSourcesOnce(first);
    await ref.tap();
    await first.locator(".cite-panel").first().waitFor({ state: "visible" });
    expect(await first.locator(".cite-link").first().getAttribute("aria-expanded")).toBe("true");

    const followup = await ask("hạn khi nào?");
    expect(await followup.locator(".read-as").innerText()).toMatch(/^Câu hỏi được hiểu là: «Sở Tài chính/);
    expect(await followup.innerText()).toContain("trước ngày 15/3/2027");

    const broad = await ask("hỗ trợ bán hàng trực tuyến");
    const inMore = "Đưa nông sản của các hợp tác xã lên sàn thương mại điện tử";
    expect(await broad.innerText()).not.toContain(inMore);
    await broad.locator("button.show-more").tap();
    await broad.locator(".more-text").waitFor();
    expect(await broad.locator(".more-text").innerText()).toContain(inMore);
    // One list of sources, each section once, the rest's sources added to it.
    const sources = await broad.locator(".cite-link").allInnerTexts();
    const titles = sources.map((s) => s.replace(/^\[\d+\] /, ""));
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles).toContain("Kế hoạch TMĐT nông sản (giả lập) — Mục I.1");
    await expectSourcesOnce(broad);

    const link = broad.locator(".cite-link").first();
    const panel = broad.locator(".cite-panel").first();
    expect(await panel.isVisible()).toBe(false);
    await link.tap();
    await panel.waitFor({ state: "visible" });
    expect(await link.getAttribute("aria-expanded")).toBe("true");
    await panel.locator("button.more").tap();
    await panel.locator(".full").waitFor();
    expect(await panel.locator(".full").innerText()).toContain("Quy định hỗ trợ bán hàng trực tuyến");

    // Fits the phone: nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    await followup.scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT.replace(".png", "-viewport.png") });
  });

  it("'Câu hỏi mới' starts over: the log is cleared and a follow-up has no context any more", async () => {
    await page.tap("#new-chat");
    await page.locator("#intro").waitFor({ state: "visible" });
    expect(await page.locator("article.msg.bot").count()).toBe(0);
    const alone = await ask("hạn khi nào?");
    expect(await alone.locator(".read-as").count()).toBe(0);
    expect(await alone.innerText()).not.toContain("15/3/2027");
  });

  it("shows a question with markup as text, and Vietnamese errors", async () => {
    await page.fill("#question", '<img src=x onerror="window.__pwned=1"> Sở Tài chính làm gì?');
    await page.press("#question", "Enter");
    const question = page.locator("p.msg.user").last();
    await question.waitFor();
    expect(await question.innerText()).toBe('<img src=x onerror="window.__pwned=1"> Sở Tài chính làm gì?');
    await page.locator("article.msg.bot").nth(1).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await page.fill("#question", "x".repeat(1001));
    await page.click("#send");
    const error = page.locator("p.msg.bot.error").last();
    await error.waitFor();
    expect(await error.innerText()).toBe("Câu hỏi dài 1.001 ký tự, vượt quá giới hạn 1.000 ký tự. Vui lòng rút gọn câu hỏi rồi gửi lại.");
    expect(pageErrors.filter((e) => !e.includes("status of 400"))).toEqual([]);
  });

  it("👍 on an answer reaches /admin/stats, as a vote on Telegram or Zalo does", async () => {
    await page.goto(app.url);
    const answer = await ask("Sở Tài chính phải làm gì?");
    const up = answer.getByRole("button", { name: "Câu trả lời hữu ích" });
    expect(await answer.getByRole("button", { name: "Câu trả lời chưa đúng" }).getAttribute("aria-pressed")).toBe("false");
    await up.tap();
    await answer.getByRole("status").filter({ hasText: "Cảm ơn bạn đã góp ý!" }).waitFor();
    expect(await up.getAttribute("aria-pressed")).toBe("true");
    const stats = await fetch(`${app.url}/admin/stats`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(((await stats.json()) as { votes: unknown }).votes).toEqual([{ channel: "web", up: 1, down: 0 }]);
  });

  it("/trach-nhiem and the /hanchot reply fit a 390 px phone; the web offers only the commands that work on it", async () => {
    await page.goto(`${app.url}/trach-nhiem`);
    await page.locator("table.trach-nhiem").waitFor();
    await expectFitsPhone();
    // Each duty a card whose cells name their column.
    const agency = page.locator("table.trach-nhiem td[data-label='Cơ quan']").first();
    expect(await agency.isVisible()).toBe(true);
    expect(await page.locator("table.trach-nhiem thead").isVisible()).toBe(true); // kept for screen readers, 1 px
    await page.screenshot({ path: path.join(ROOT, "test-output", "trach-nhiem-390.png"), fullPage: true });

    await page.goto(app.url);
    const hanchot = await ask("/hanchot");
    const text = await hanchot.innerText();
    expect(text).toContain("15/3/2027");
    // Reminders cannot be pushed to a web page: the reply does not offer them.
    expect(text).not.toContain("/nhacnho");
    expect(await hanchot.locator("ul.reply-list > li").count()).toBeGreaterThan(0);
    expect(await hanchot.getByRole("link", { name: "/lich.ics" }).getAttribute("href")).toBe("/lich.ics");
    // A command's text is not an answer: no bold lead, no 👍/👎.
    expect(await hanchot.locator("strong").count()).toBe(0);
    expect(await hanchot.locator(".votes").count()).toBe(0);
    await expectFitsPhone();
    await hanchot.screenshot({ path: path.join(ROOT, "test-output", "hanchot-390.png") });

    const help = await (await ask("/help")).innerText();
    expect(help).toContain("/hanchot");
    expect(help).not.toMatch(/\/nhacnho|\/huynhac/);
    expect(
      pageErrors.filter((e) => !e.includes("status of 400")),
      pageErrors.join("\n"),
    ).toEqual([]);
  });
});
