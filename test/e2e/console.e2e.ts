// The staff console (/quan-tri) in real headless Chromium against the whole app over a fixture corpus of our own:
// sign-in, a DOCX built here uploaded through the page, previewed and answered from the staged version, confirmed
// and then cited by the chat page; rollback from the page; an out-of-scope chat question listed as unanswered;
// a change without the CSRF token refused. Screenshots go to test-output/.
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/app.js";
import { hashPassword } from "../../src/console/auth.js";
import { consoleFeature } from "../../src/console/index.js";
import { PUBLIC_DIR } from "../../src/http/app.js";
import { createDutiesFeature } from "../../src/http/duties.js";
import { emptyDataDir, ROOT, startTestApp, testDataDir, type TestApp } from "../channels/helpers.js";
import { PLAN_QUESTION, planDocx } from "../corpus/fixtures.js";
import { launchChromium } from "./browser.js";

const OUT = path.join(ROOT, "test-output");
const TOKEN = "quan-tri-e2e-token-7f3a9c";
const PASSWORD = "mật-khẩu-thử-của-Lan";
const OUT_OF_SCOPE = "Giá vé máy bay đi Phú Quốc dịp Tết là bao nhiêu?";

let app: TestApp;
let browser: Browser;
let desktop: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** A writable copy of the fixture corpus (changes rewrite it). */
function corpusCopy(): string {
  const dir = path.join(emptyDataDir(), "corpus");
  fs.cpSync(path.join(ROOT, "test/console/fixtures/corpus"), dir, { recursive: true });
  return dir;
}

function watch(p: Page): void {
  p.on("pageerror", (err) => pageErrors.push(err.message));
  p.on("console", (msg) => {
    // Refusals the test provokes (401/403) are logged by the browser as failed resources.
    if (msg.type() === "error" && !/status of 40[13]/.test(msg.text())) pageErrors.push(msg.text());
  });
  p.on("request", (req) => {
    if (!req.url().startsWith(app.url)) pageErrors.push(`external request: ${req.url()}`);
  });
}

beforeAll(async () => {
  const corpus = corpusCopy();
  const users = path.join(emptyDataDir(), "users.json");
  fs.writeFileSync(users, JSON.stringify({ users: [{ name: "lan", hash: hashPassword(PASSWORD) }] }));
  const extensions = [
    createDutiesFeature({ autoStart: false }).extension,
    adminExtension({ features: [consoleFeature({ publicDir: PUBLIC_DIR })] }),
  ];
  app = await startTestApp(
    { CORPUS_DIR: corpus, ADMIN_TOKEN: TOKEN, ADMIN_USERS_FILE: users },
    { dataDir: await testDataDir(corpus), extensions },
  );
  browser = await launchChromium();
  desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
  page = await desktop.newPage();
  watch(page);
  page.on("dialog", (d) => void d.accept());
  fs.mkdirSync(OUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function askOnChatPage(question: string): Promise<{ text: string; citations: string[] }> {
  const chat = await desktop.newPage();
  watch(chat);
  await chat.goto(app.url);
  await chat.fill("#question", question);
  await chat.click("#send");
  const answer = chat.locator("article.msg.bot").first();
  await answer.locator(".reply-body").waitFor();
  const result = { text: await answer.innerText(), citations: await answer.locator(".cite-link").allInnerTexts() };
  await chat.close();
  return result;
}

const tab = (name: string) => page.click(`.tabs button[data-tab="${name}"]`);

describe("staff console /quan-tri", () => {
  it("refuses a wrong token, accepts the right one, then a per-person account", async () => {
    await page.goto(`${app.url}/quan-tri`);
    await page.locator("#signin").waitFor();
    await page.fill("#signin-password", "sai-ma");
    await page.click("#signin-submit");
    // The message is written when the server answers: wait for it, not for the (empty) element.
    await page.locator("#signin-error", { hasText: /\S/ }).waitFor();
    await expect(page.locator("#signin-error").innerText()).resolves.toBe("Tên đăng nhập hoặc mật khẩu (mã quản trị) không đúng.");
    expect(await page.locator("#app").isVisible()).toBe(false);

    await page.fill("#signin-password", TOKEN);
    await page.click("#signin-submit");
    await page.locator("#app").waitFor();
    expect(await page.locator("#who").innerText()).toBe("Đăng nhập: admin-token");
    expect(await page.locator("#signin").isVisible()).toBe(false);
    const cookie = (await desktop.cookies()).find((c) => c.name === "quan_tri_phien")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(cookie.expires).toBeGreaterThan(Date.now() / 1000);

    await page.click("#signout");
    await page.locator("#signin").waitFor();
    await page.fill("#signin-name", "lan");
    await page.fill("#signin-password", PASSWORD);
    await page.click("#signin-submit");
    await page.locator("#app").waitFor();
    expect(await page.locator("#who").innerText()).toBe("Đăng nhập: lan");
    await page.locator("#documents tbody tr").first().waitFor();
    expect(await page.locator("#documents tbody").innerText()).toContain("kh-cho-so");
    await page.screenshot({ path: path.join(OUT, "console-documents.png") });
  });

  it("uploads a DOCX, previews it with an answer from the staged version, confirms it, and the chat page cites it", async () => {
    await tab("upload");
    const docx = await planDocx();
    const mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    await page.setInputFiles("#file", { name: "Kế hoạch 15-KH-UBND.docx", mimeType: mime, buffer: docx });
    await page.locator("#preview").waitFor({ timeout: 90_000 });
    expect(await page.locator("#upload-progress").evaluate((p) => (p as HTMLProgressElement).value)).toBe(100);
    const meta = page.locator("#preview-meta");
    expect(await meta.locator('[name="number"]').inputValue()).toBe("15/KH-UBND");
    expect(await meta.locator('[name="date"]').inputValue()).toBe("20/08/2025");
    expect(await meta.locator('[name="issuer"]').inputValue()).toBe("Ủy ban nhân dân tỉnh Lâm Đồng");
    const docId = await meta.locator('[name="id"]').inputValue();
    const tree = await page.locator("#preview-tree").innerText();
    for (const label of ["Mục I", "Mục II.1", "Mục III"]) expect(tree).toContain(label);
    expect(await page.locator("#preview-duties li").count()).toBeGreaterThan(0);
    // A new plan: the page asks whether it is the main plan and says what each choice does.
    expect(await page.locator("#preview-role").innerText()).toContain("/hanchot");
    expect(await page.locator('#preview-role input[value="primary"]').isChecked()).toBe(true);
    expect(await meta.locator('[name="role"]').inputValue()).toBe("primary");

    await page.fill("#preview-question", PLAN_QUESTION.question);
    await page.click("#preview-ask button");
    await page.locator("#preview-answer .answer-text").waitFor();
    expect(await page.locator("#preview-answer").innerText()).toContain(
      "Sở Khoa học và Công nghệ chủ trì xây dựng sàn giao dịch công nghệ",
    );
    await page.screenshot({ path: path.join(OUT, "console-preview.png"), fullPage: true });
    // Staged, not live: users are not answered from it yet.
    expect((await askOnChatPage(PLAN_QUESTION.question)).text).not.toContain("sàn giao dịch công nghệ của tỉnh");

    await page.locator("#preview-ask").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUT, "console-guide.png") });
    await page.fill('#preview-meta [name="shortTitle"]', "Kế hoạch 15/KH-UBND (Lâm Đồng, thử)");
    await page.click("#preview-confirm");
    await page.locator("#notice").filter({ hasText: "Đã nạp văn bản" }).waitFor({ timeout: 90_000 });
    await tab("documents");
    await page.locator("#documents tbody tr", { hasText: docId }).waitFor();

    const answer = await askOnChatPage(PLAN_QUESTION.question);
    expect(answer.text).toContain("Sở Khoa học và Công nghệ chủ trì xây dựng sàn giao dịch công nghệ");
    expect(answer.citations[0]).toContain(`Kế hoạch 15/KH-UBND (Lâm Đồng, thử) — Mục ${PLAN_QUESTION.section}`);
  });

  it("takes a file dropped on the box, converts an old-font text and says so, and discards the preview without a change", async () => {
    await tab("upload");
    const text = [
      "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
      "KÕ ho¹ch ph¸t triÓn khoa häc vµ c«ng nghÖ n¨m 2026",
      "I. Môc ®Ých, yªu cÇu",
      "1. Thóc ®Èy øng dông c«ng nghÖ cao trong s¶n xuÊt n«ng nghiÖp.",
      "2. Hç trî doanh nghiÖp khëi nghiÖp s¸ng t¹o tiÕp cËn v­ên ­¬m c«ng nghÖ.",
    ].join("\n\n");
    await page.evaluate((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], "ke-hoach-phong-cu.md", { type: "text/markdown" }));
      document.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    }, text);
    await page.locator("#preview-warnings li.legacy_font_converted").waitFor({ timeout: 90_000 });
    expect(await page.locator("#preview-warnings li.legacy_font_converted").innerText()).toContain("TCVN3");
    expect(await page.locator("#preview-tree").innerText()).toContain("Thúc đẩy ứng dụng công nghệ cao trong sản xuất nông nghiệp.");
    await page.click("#preview-discard");
    await page.locator("#upload-status", { hasText: "Đã hủy bản xem trước; kho văn bản không thay đổi." }).waitFor();
    expect(await page.locator("#preview").isVisible()).toBe(false);
    await tab("documents");
    await page.locator("#documents tbody tr").first().waitFor();
    expect(await page.locator("#documents tbody tr").count()).toBe(2);
  });

  it("lists versions with who changed what, and rolls back from the page after confirmation", async () => {
    await tab("versions");
    const current = page.locator("#versions tbody tr.current");
    await current.waitFor();
    expect(await current.innerText()).toMatch(/lan \(Trang quản trị\)[\s\S]*thêm «Kế hoạch 15\/KH-UBND \(Lâm Đồng, thử\)»/);
    await page.screenshot({ path: path.join(OUT, "console-versions.png") });
    await page.locator("#versions tbody tr", { hasNotText: "Đang dùng" }).getByRole("button", { name: "Khôi phục" }).first().click();
    await page.locator("#notice").filter({ hasText: "Đã khôi phục phiên bản" }).waitFor({ timeout: 60_000 });

    expect((await askOnChatPage(PLAN_QUESTION.question)).text).not.toContain("sàn giao dịch công nghệ của tỉnh");
    await tab("audit");
    await page.locator("#audit tbody tr").first().waitFor();
    const log = await page.locator("#audit tbody").innerText();
    expect(log).toMatch(/lan\s+Trang quản trị\s+Khôi phục/);
    expect(log).toMatch(/lan\s+Trang quản trị\s+Nạp văn bản/);
  });

  it("shows an out-of-scope question asked on the chat page under 'chưa trả lời được'", async () => {
    const asked = await askOnChatPage(OUT_OF_SCOPE);
    expect(asked.citations).toEqual([]);
    await tab("unanswered");
    const group = page.locator("#unanswered li.group", { hasText: OUT_OF_SCOPE });
    await group.waitFor();
    expect(await group.locator(".meta").first().innerText()).toMatch(/^1 lần · lần cuối .* · kênh: web$/);
    await page.screenshot({ path: path.join(OUT, "console-unanswered.png") });
    await group.getByRole("button", { name: "Đánh dấu đã xử lý" }).click();
    await group.waitFor({ state: "detached" });
  });

  it("refuses a change without the CSRF token and changes nothing", async () => {
    const refused = await page.evaluate(async () => {
      const res = await fetch("/quan-tri/api/van-ban/kh-cho-so", { method: "DELETE", credentials: "same-origin" });
      return { status: res.status, body: (await res.json()) as { error: string } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain("thiếu mã xác thực phiên (CSRF)");
    await tab("documents");
    await page.locator("#documents tbody tr", { hasText: "kh-cho-so" }).waitFor();
  });

  it("fits a phone screen", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "vi-VN",
    });
    const p = await phone.newPage();
    watch(p);
    await p.goto(`${app.url}/quan-tri`);
    await p.fill("#signin-password", TOKEN);
    await p.click("#signin-submit");
    await p.locator("#documents tbody tr").first().waitFor();
    // Wide tables scroll inside their card; the page itself does not.
    expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await p.screenshot({ path: path.join(OUT, "console-phone.png") });
    await phone.close();
    expect(pageErrors).toEqual([]);
  });
});
