// Chat administration through real telegraf against the Telegram Bot API double: an admin's document is
// downloaded, ingested and summarised; everyone else is refused politely and nothing changes.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminExtension } from "../../src/app.js";
import { TelegramApiDouble } from "../doubles/telegram-api.js";
import { startTestApp, testDataDir, until, type TestApp } from "../channels/helpers.js";
import { ROOT, tempDir } from "../core/helpers.js";
import { PLAN_QUESTION, planDocx, scannedPdf, treeHash } from "../corpus/fixtures.js";
import { documentMessage, withTelegramFiles, type TelegramFiles } from "../corpus/telegram-files.js";

const TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk";
const ADMIN = 4242;
const USER = 501;

let api: TelegramApiDouble;
let files: TelegramFiles;
let app: TestApp;
let corpusDir: string;

beforeAll(async () => {
  const dataDir = await testDataDir();
  corpusDir = path.join(tempDir("tg-admin"), "corpus");
  fs.cpSync(path.join(ROOT, "corpus"), corpusDir, { recursive: true });
  api = new TelegramApiDouble();
  await api.start();
  files = await withTelegramFiles(api, TOKEN);
  app = await startTestApp(
    { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: files.url, TELEGRAM_ADMIN_IDS: `${ADMIN}`, CORPUS_DIR: corpusDir },
    { dataDir, extensions: [adminExtension()] },
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  fs.rmSync(path.dirname(corpusDir), { recursive: true, force: true });
  await files?.stop();
  await api?.stop();
});

/** The next message the bot sends to `chatId` after `count` earlier ones. */
const nth = (chatId: number, n: number, label: string, ms = 60_000) => until(() => api.sent(chatId)[n], ms, label).then((m) => m.text);

describe("admin uploads and commands over Telegram", () => {
  it("a non-admin's document is refused politely, not downloaded, and the corpus is unchanged", async () => {
    const before = treeHash(corpusDir);
    api.push(documentMessage(files.add("ke-hoach.docx", await planDocx()), { userId: USER }));
    expect(await nth(USER, 0, "refusal")).toContain("chỉ quản trị viên mới được gửi tệp");
    api.push(api.textUpdate("/reindex", { userId: USER }));
    expect(await nth(USER, 1, "command refusal")).toBe("Lệnh này chỉ dành cho quản trị viên.");
    api.push(api.textUpdate("/phienban", { userId: USER }));
    expect(await nth(USER, 2, "command refusal")).toBe("Lệnh này chỉ dành cho quản trị viên.");
    // Everyone still gets the public /nguon.
    api.push(api.textUpdate("/nguon", { userId: USER }));
    const list = await nth(USER, 3, "public /nguon");
    expect(list).toContain("Các văn bản tôi dùng để trả lời:");
    expect(list).not.toContain("Mã: kh-ctr77");
    expect(api.callsOf("getFile")).toEqual([]);
    expect(files.downloads).toEqual([]);
    expect(treeHash(corpusDir)).toEqual(before);
  });

  it("an admin's DOCX is ingested, summarised and answered from; bad files get a clear message", async () => {
    api.push(documentMessage(files.add("Kế hoạch 15-KH-UBND.docx", await planDocx()), { userId: ADMIN }));
    expect(await nth(ADMIN, 0, "received")).toContain("Đã nhận tệp «Kế hoạch 15-KH-UBND.docx»");
    const summary = await nth(ADMIN, 1, "summary");
    expect(summary).toContain("Đã nạp văn bản «Kế hoạch 15/KH-UBND»");
    expect(summary).toContain("Số hiệu: 15/KH-UBND");
    expect(summary).toContain("• Kế hoạch 15/KH-UBND (kh-15-kh-ubnd-2025): mới, 12 mục");
    expect(files.downloads).toHaveLength(1);
    expect(fs.existsSync(path.join(corpusDir, "documents/kh-15-kh-ubnd-2025.md"))).toBe(true);

    // Everyone's next question is answered from the new version.
    api.push(api.textUpdate(PLAN_QUESTION.question, { userId: USER }));
    const answer = await nth(USER, 4, "answer");
    expect(answer).toContain("Kế hoạch 15/KH-UBND — Mục II.1");
    expect(answer).toContain("sàn giao dịch công nghệ");

    api.push(api.textUpdate("/phienban", { userId: ADMIN }));
    const versions = await nth(ADMIN, 2, "versions");
    expect(versions).toContain("(đang dùng)");
    expect(versions).toContain("/khoiphuc");
    api.push(api.textUpdate("/nguon", { userId: ADMIN }));
    expect(await nth(ADMIN, 3, "admin /nguon")).toContain("Mã: kh-15-kh-ubnd-2025 · Số hiệu: 15/KH-UBND");

    const before = treeHash(corpusDir);
    api.push(documentMessage(files.add("ban-scan.pdf", await scannedPdf()), { userId: ADMIN }));
    await nth(ADMIN, 4, "received scan");
    expect(await nth(ADMIN, 5, "scan refusal")).toContain("PDF không có lớp văn bản (bản scan) — cần bản có chữ hoặc DOCX");
    expect(treeHash(corpusDir)).toEqual(before);

    // Rollback from chat: the upload is gone again.
    api.push(api.textUpdate("/khoiphuc", { userId: ADMIN }));
    await nth(ADMIN, 6, "rolling back");
    expect(await nth(ADMIN, 7, "rolled back")).toContain("• Kế hoạch 15/KH-UBND (kh-15-kh-ubnd-2025): đã xóa (12 mục)");
    expect(fs.existsSync(path.join(corpusDir, "documents/kh-15-kh-ubnd-2025.md"))).toBe(false);
  }, 120_000);
});
