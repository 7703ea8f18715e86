// The web chat page in real headless Chromium on a phone-sized screen, against the real answering core over
// our own fixture corpus: a reply rendered as a chat reply, a follow-up, "Xem thêm", "Câu hỏi mới".
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleQuestions } from "../../src/corpus/manifest.js";
import { ROOT, startTestApp, type TestApp } from "../channels/helpers.js";
import { conversationCorpus } from "../chat/helpers.js";
import { launchChromium } from "./browser.js";

const SCREENSHOT = path.join(ROOT, "test-output", "web-chat.png");

let app: TestApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ CORPUS_DIR: conversationCorpus() });
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

describe("web chat page (phone, 390×844)", () => {
  it("shows a reply as a chat reply, reads a follow-up in context, and opens 'Xem thêm' and a source", async () => {
    await page.goto(app.url);
    // Name and example questions come from the corpus profile (GET /api/profile).
    const profile = app.assistant.profile!();
    await page.locator("button.example").first().waitFor();
    await expect(page.title()).resolves.toBe(profile.assistant.name);
    expect(await page.locator("button.example").allInnerTexts()).toEqual(exampleQuestions(profile));
    const first = await ask("Sở Tài chính phải làm gì?");
    // The direct answer in bold first, the verbatim quote as a quote with a small source label.
    expect(await first.locator(".reply-body > :first-child strong").count()).toBe(1);
    const quote = first.locator(".reply-quote").first();
    expect(await quote.locator("blockquote").innerText()).toContain("bố trí 4,5 tỷ đồng kinh phí hỗ trợ hợp tác xã");
    expect(await quote.locator(".source-label").innerText()).toBe("[1] Kế hoạch TMĐT nông sản (giả lập) — Mục II.1");

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
});
