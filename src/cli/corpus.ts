// `npm run corpus -- <command>`: keep the corpus current from the files staff receive (DOCX, PDF, MD, TXT).
// Every change builds and validates a new index version before switching to it; see docs/corpus.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline/promises";
import { overridesFrom, parseFlags, supersedesFrom, type Flags } from "../admin/args.js";
import { auditedChanges, type ChangeOps } from "../admin/audit.js";
import { documentsTable, metaText, sectionTree, versionsText } from "../admin/change-messages.js";
import type { CorpusAdmin } from "../admin/corpus-admin.js";
import { createProgressBar } from "../admin/progress.js";
import { openCliAdmin } from "../app.js";
import { loadConfig, secretsOf, type Config } from "../config.js";
import { checkSize, CorpusError, isCorpusError } from "../corpus/ingest/index.js";
import { createLogger } from "../log.js";

const USAGE = `Cách dùng: npm run corpus -- <lệnh> [tùy chọn]

  add TỆP [--id MÃ] [--title "…"] [--short-title "…"] [--number SỐ] [--date dd/mm/yyyy]
          [--issuer "…"] [--style plan|party|articles] [--alias "…" (lặp lại; nhiều tên: ngăn bằng ;)]
          [--supersedes MÃ,…] [--role primary|reference] [--replace] [--dry-run] [--yes]
                                                nạp tệp .docx, .pdf (cả bản scan: OCR), .md, .txt;
                                                --role primary: kế hoạch chính (hạn chót vào /hanchot, lịch)
  list                                          danh sách văn bản
  show MÃ                                       cây mục của một văn bản
  set MÃ [--title …] [--number …] [--date …] …  sửa thông tin văn bản
  set MÃ --role primary|reference               kế hoạch chính (câu hỏi không nêu văn bản) hoặc tham khảo
  remove MÃ                                     xóa văn bản
  status MÃ in_force|superseded|unknown [--by MÃ2] [--note "…"]
  reindex                                       dựng lại chỉ mục
  versions                                      các phiên bản chỉ mục
  rollback [PHIÊN_BẢN]                          quay lại phiên bản trước (và kho văn bản tương ứng)

Biến môi trường: CORPUS_DIR, DATA_DIR, INDEX_KEEP_VERSIONS, UPLOAD_MAX_BYTES, DATABASE_URL (thay đổi qua cơ sở dữ liệu dùng chung
của các bản sao máy chủ).`;

const usage = (msg: string) => new CorpusError("usage", `${msg}\n\n${USAGE}`, "usage");

async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(c|co|có|y|yes)$/iu.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `add FILE`: show what was read from the file, ask (on a terminal), then add it. */
async function addFile(
  admin: CorpusAdmin,
  changes: ChangeOps,
  config: Config,
  arg: string,
  flags: Flags,
  out: (s: string) => void,
): Promise<number> {
  const file = path.resolve(arg);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new CorpusError("not_found", `Không tìm thấy tệp «${arg}».`, `no file ${file}`);
  checkSize(stat.size, config.UPLOAD_MAX_BYTES, path.basename(file));
  const input = {
    bytes: fs.readFileSync(file),
    fileName: path.basename(file),
    overrides: overridesFrom(flags),
    replace: !!flags.replace,
    supersedes: supersedesFrom(flags),
  };
  const preview = await admin.preview(input);
  process.stderr.write(
    `Thông tin đọc được (sửa bằng --title, --number, --date, --issuer, --style…):\n${metaText(preview.meta)}\nSố mục: ${preview.sections.length}\n\n`,
  );
  if (flags["dry-run"]) {
    out("Chạy thử (--dry-run): chưa thay đổi gì.");
    return 0;
  }
  if (process.stdin.isTTY && !flags.yes && !(await confirm("Nạp văn bản với thông tin trên? [c/K] "))) {
    out("Đã hủy, kho văn bản không thay đổi.");
    return 1;
  }
  out((await changes.add(input)).text);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  // Logs (English JSON) only when asked: operators read the Vietnamese summaries on stdout.
  const log = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : "error", secretsOf(config));
  // With DATABASE_URL the change goes through the shared store, so running replicas pick it up.
  const opened = await openCliAdmin(config, { log, progress: () => createProgressBar(), killAt: process.env.CORPUS_TEST_KILL_AT });
  try {
    // The audit log names the operating-system user who ran the command.
    const changes = auditedChanges(opened.admin, opened.audit, { who: os.userInfo().username, channel: "cli" });
    return await run(opened.admin, changes, config, argv);
  } finally {
    await opened.close();
  }
}

async function run(admin: CorpusAdmin, changes: ChangeOps, config: Config, argv: string[]): Promise<number> {
  const { positionals, flags } = parseFlags(argv);
  const [command, ...args] = positionals;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const json = (v: unknown) => out(JSON.stringify(v, null, 2));
  const need = (n: number, what: string) => {
    if (args.length < n) throw usage(`Thiếu ${what}.`);
  };

  if (!command || flags.help) {
    out(USAGE);
    return command || flags.help ? 0 : 1;
  }
  switch (command) {
    case "add":
      need(1, "đường dẫn tệp");
      return addFile(admin, changes, config, args[0]!, flags, out);
    case "list":
      if (flags.json) json(admin.list());
      else out(documentsTable(admin.list()));
      return 0;
    case "show": {
      need(1, "mã văn bản");
      const { meta, sections } = admin.show(args[0]!);
      if (flags.json) json({ meta, sections });
      else out(sectionTree(meta, sections));
      return 0;
    }
    case "set": {
      need(1, "mã văn bản");
      const patch = overridesFrom(flags);
      if (!Object.keys(patch).length) throw usage("Chưa có thông tin nào để sửa.");
      out((await changes.update(args[0]!, patch)).text);
      return 0;
    }
    case "remove":
      need(1, "mã văn bản");
      out((await changes.remove(args[0]!)).text);
      return 0;
    case "status":
      need(2, "mã văn bản và tình trạng");
      out((await changes.setStatus(args[0]!, args[1]!, flags.by?.at(-1), flags.note?.at(-1))).text);
      return 0;
    case "reindex":
      out((await changes.reindex()).text);
      return 0;
    case "versions":
      if (flags.json) json(admin.versions());
      else out(versionsText(admin.versions()));
      return 0;
    case "rollback":
      out((await changes.rollback(args[0])).text);
      return 0;
    default:
      throw usage(`Không có lệnh «${command}».`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (isCorpusError(err)) {
    process.stderr.write(`Lỗi: ${err.vi}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`Lỗi hệ thống: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 3;
  }
}
