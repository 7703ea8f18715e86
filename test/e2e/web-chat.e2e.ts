// The web chat page in real headless Chromium on a phone-sized screen, against the real answering core.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startTestApp, type TestApp } from "../channels/helpers.js";

const SCREENSHOT = path.join(ROOT, "test-output", "web-chat.png");

let app: TestApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  app = await startTestApp({});
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
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

describe("web chat page (phone, 390×844)", () => {
  it("answers a typed question and expands a citation to its verbatim source", async () => {
    await page.goto(app.url);
    // Name and example questions come from the corpus profile (GET /api/profile).
    const profile = app.assistant.profile!();
    await page.locator("button.example").first().waitFor();
    await expect(page.title()).resolves.toBe(profile.assistant.name);
    expect(await page.locator("button.example").allInnerTexts()).toEqual(profile.assistant.examples);
    await page.fill("#question", "Hạn nộp báo cáo hằng năm là khi nào?");
    await page.click("#send");

    const answer = page.locator("article.msg.bot").first();
    await answer.locator(".answer-text").waitFor();
    expect(await answer.locator(".answer-text").innerText()).toContain("30/11");

    const link = answer.locator(".cite-link").first();
    expect(await link.innerText()).toBe("[1] Kế hoạch thực hiện CTr 77-CTr/TU (UBND tỉnh Đắk Nông) — Mục IV.2");
    const panel = answer.locator(".cite-panel").first();
    expect(await panel.isVisible()).toBe(false);
    await link.tap();
    await panel.waitFor({ state: "visible" });
    expect(await link.getAttribute("aria-expanded")).toBe("true");
    expect(await panel.locator(".cite-meta").innerText()).toMatch(/Văn bản\s+Kế hoạch thực hiện CTr 77-CTr\/TU \(UBND tỉnh Đắk Nông\)\s+Mục\s+Mục IV\.2/);
    expect(await panel.locator("blockquote").innerText()).toContain("Định kỳ hàng năm (trước ngày 30/11) và khi có yêu cầu");

    await panel.locator("button.more").tap();
    await panel.locator(".full").waitFor();
    expect(await panel.locator(".full").innerText()).toContain("gửi về Sở Khoa học và Công nghệ để tổng hợp");

    // Fits the phone: nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    // What the phone shows around the opened citation.
    await link.scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT.replace(".png", "-viewport.png") });
  });

  it("shows a question with markup as text, and Vietnamese errors", async () => {
    await page.fill("#question", "<img src=x onerror=\"window.__pwned=1\"> Sở KH&CN làm gì?");
    await page.press("#question", "Enter");
    const question = page.locator("p.msg.user").last();
    await question.waitFor();
    expect(await question.innerText()).toBe("<img src=x onerror=\"window.__pwned=1\"> Sở KH&CN làm gì?");
    await page.locator("article.msg.bot").nth(1).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await page.fill("#question", "x".repeat(1001));
    await page.click("#send");
    const error = page.locator("p.msg.bot.error").last();
    await error.waitFor();
    expect(await error.innerText()).toBe(
      "Câu hỏi dài 1.001 ký tự, vượt quá giới hạn 1.000 ký tự. Vui lòng rút gọn câu hỏi rồi gửi lại.",
    );
    expect(pageErrors.filter((e) => !e.includes("status of 400"))).toEqual([]);
  });
});
