// Documents as offices really send them, generated here (no binary blobs): a plan made from the standard Word
// template (two-column header table, bold title of 290 characters beginning "Thực hiện Chương trình …", Word's
// automatic numbering, a task table), the same plan typed in TCVN3 fonts (.VnTime / .VnTimeH), and the same
// plan scanned (an image-only PDF: rendered pages, no text layer). A made-up province, not the shipped plan's.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import fontkit from "@pdf-lib/fontkit";
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { PDFDocument } from "pdf-lib";
import { encodeTcvn3 } from "../../src/corpus/ingest/index.js";
import { agenciesOfIndex, createDutyCommands, dutiesForIndex } from "../../src/duties/index.js";
import type { LoadedIndex } from "../../src/index/store.js";
import { planNumbering, wrap } from "./fixtures.js";

export const TEMPLATE_META = {
  issuer: "Ủy ban nhân dân tỉnh Tây Ninh",
  number: "152/KH-UBND",
  date: "2025-06-12",
};

/** Left column: issuer (two lines), rule, number. Right: national motto, rule, place and date. */
export const HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH", "-------", "Số: 152/KH-UBND"];
export const HEADER_RIGHT = [
  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
  "Độc lập - Tự do - Hạnh phúc",
  "---------------",
  "Tây Ninh, ngày 12 tháng 6 năm 2025",
];

/** The subject under "KẾ HOẠCH": 290 characters, in bold, beginning with "Thực hiện". */
export const TEMPLATE_TITLE =
  "Thực hiện Chương trình hành động số 18-CTr/TU ngày 20 tháng 3 năm 2025 của Ban Chấp hành Đảng bộ tỉnh " +
  "về thực hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa học, " +
  "công nghệ, đổi mới sáng tạo và chuyển đổi số ở tỉnh Tây Ninh đến hết năm 2030";

/** The first body paragraph: plain text that the title must not absorb. */
export const FIRST_BODY =
  "Để triển khai kịp thời, hiệu quả Chương trình hành động nêu trên, Ủy ban nhân dân tỉnh xây dựng Kế hoạch với các nội dung sau:";

type Line = { text: string; bold?: boolean; list?: 0 | 1; caps?: boolean };

/** The body: "I." headings typed, "1." and "a)" items from Word's automatic numbering (list: level). */
export const TEMPLATE_BODY: Line[] = [
  { text: "I. MỤC ĐÍCH, YÊU CẦU", bold: true },
  { text: "Mục đích", bold: true, list: 0 },
  { text: "Cụ thể hóa các nhiệm vụ phát triển khoa học, công nghệ và đổi mới sáng tạo của tỉnh đến năm 2030.", list: 1 },
  { text: "Huy động doanh nghiệp tham gia đầu tư cho nghiên cứu và ứng dụng công nghệ mới.", list: 1 },
  { text: "Yêu cầu", bold: true, list: 0 },
  { text: "Các sở, ban, ngành triển khai đồng bộ, bảo đảm đúng tiến độ và hiệu quả.", list: 1 },
  { text: "II. NHIỆM VỤ VÀ GIẢI PHÁP", bold: true },
  {
    text: "Sở Khoa học và Công nghệ chủ trì xây dựng Cổng thông tin khởi nghiệp sáng tạo của tỉnh, hoàn thành trước ngày 30/9/2025.",
    list: 0,
  },
  {
    text: "Sở Tài chính bố trí kinh phí thực hiện các nhiệm vụ khoa học và công nghệ trong dự toán ngân sách hằng năm.",
    list: 0,
  },
  { text: "III. TỔ CHỨC THỰC HIỆN", bold: true },
  {
    text: "Các sở, ngành báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 15/12 hằng năm để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.",
    list: 0,
  },
];

/** The task table (as plans attach one): header row and two tasks. */
export const TASK_TABLE = [
  ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
  ["1", "Điều tra nhu cầu đổi mới công nghệ của doanh nghiệp", "Sở Khoa học và Công nghệ", "Sở Công Thương", "Quý IV năm 2025"],
  ["2", "Xây dựng cơ sở dữ liệu chuyên gia khoa học của tỉnh", "Sở Khoa học và Công nghệ", "Sở Nội vụ", "Năm 2026"],
];

export const TEMPLATE_SIGNATURE = ["Nơi nhận:", "- Thường trực Tỉnh ủy;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"];

/** Questions with their answers in the plan (for answer tests on every form of it). */
export const TEMPLATE_DEADLINE = {
  question: "Hạn hoàn thành Cổng thông tin khởi nghiệp sáng tạo là khi nào?",
  answer: "30/9/2025",
};

/** How text is written into the document: Unicode, or TCVN3 codes in the .VnTime fonts. */
interface Typing {
  run(text: string, opts?: { bold?: boolean; italics?: boolean }): TextRun[];
}

const unicodeTyping: Typing = { run: (text, o = {}) => [new TextRun({ text, bold: o.bold, italics: o.italics })] };

/** A capital with a tone mark ("Ủ", "Đ" has a code): TCVN3 has no code for it outside the "H" fonts. */
const hCapital = (c: string) => c !== c.toLowerCase() && encodeTcvn3(c) === encodeTcvn3(c.toLowerCase()) && c !== encodeTcvn3(c);

/**
 * TCVN3 as typists write it: lines in capitals in .VnTimeH (which draws the codes as capitals), other text in
 * .VnTime, and a capital with a tone mark inside it ("Ủy ban") switched to .VnTimeH for that letter.
 */
const tcvn3Typing: Typing = {
  run: (text, o = {}) => {
    const run = (t: string, font: string) => new TextRun({ text: encodeTcvn3(t), bold: o.bold, italics: o.italics, font });
    if (text === text.toUpperCase() && /\p{Lu}/u.test(text)) return [run(text, ".VnTimeH")];
    const pieces = text.split(/(\p{Lu})/u).filter(Boolean);
    return pieces.map((p) => run(p, hCapital(p) ? ".VnTimeH" : ".VnTime"));
  },
};

function headerTable(t: Typing): Table {
  const cell = (lines: string[], boldFrom: number) =>
    new TableCell({
      width: { size: 50, type: WidthType.PERCENTAGE },
      children: lines.map(
        (l, i) =>
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: t.run(l, { bold: i >= boldFrom && i < 2, italics: /ngày/.test(l) }),
          }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ children: [cell(HEADER_LEFT, 1), cell(HEADER_RIGHT, 0)] })],
  });
}

function taskTable(t: Typing): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: TASK_TABLE.map(
      (row, r) =>
        new TableRow({ children: row.map((c) => new TableCell({ children: [new Paragraph({ children: t.run(c, { bold: r === 0 }) })] })) }),
    ),
  });
}

async function templateDocx(t: Typing): Promise<Buffer> {
  const centred = (text: string, bold: boolean) => new Paragraph({ alignment: AlignmentType.CENTER, children: t.run(text, { bold }) });
  const body = TEMPLATE_BODY.map((l) =>
    l.list === undefined
      ? new Paragraph({ children: t.run(l.text, { bold: l.bold }) })
      : new Paragraph({ numbering: { reference: "plan", level: l.list }, children: t.run(l.text, { bold: l.bold }) }),
  );
  const doc = new Document({
    numbering: { config: [planNumbering("plan")] },
    sections: [
      {
        children: [
          headerTable(t),
          centred("KẾ HOẠCH", true),
          centred(TEMPLATE_TITLE, true),
          centred("-----------", false),
          new Paragraph({ children: t.run(FIRST_BODY) }),
          ...body,
          new Paragraph({ children: t.run("Phụ lục: Danh mục nhiệm vụ", { bold: true }) }),
          taskTable(t),
          ...TEMPLATE_SIGNATURE.map((l) => new Paragraph({ children: t.run(l, { bold: l === l.toUpperCase() }) })),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

/** The plan from the standard template, in Unicode. */
export const templatePlanDocx = () => templateDocx(unicodeTyping);

/** The same plan typed in TCVN3 (.VnTime, capitals in .VnTimeH), as older offices still do. */
export const tcvn3PlanDocx = () => templateDocx(tcvn3Typing);

/** The plan's lines as printed (header columns one after the other, numbering typed out). */
export function templatePlanLines(): string[] {
  const numbered: string[] = [];
  let n = 0;
  let point = 0;
  for (const l of TEMPLATE_BODY) {
    if (l.list === 0) {
      n += 1;
      point = 0;
      numbered.push(`${n}. ${l.text}`);
    } else if (l.list === 1) numbered.push(`${"abcd"[point++]}) ${l.text}`);
    else {
      n = 0;
      numbered.push(l.text);
    }
  }
  return [
    ...HEADER_LEFT.filter((l) => !l.startsWith("-")),
    ...HEADER_RIGHT.filter((l) => !l.startsWith("-")),
    "KẾ HOẠCH",
    TEMPLATE_TITLE,
    FIRST_BODY,
    ...numbered,
    ...TEMPLATE_SIGNATURE,
  ];
}

const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";

/** Whether the image-only PDF can be made here (DejaVu fonts and poppler's pdftoppm). */
export function canRenderScans(): string | null {
  if (!fs.existsSync(FONT)) return `font ${FONT} missing (apt-get install fonts-dejavu-core)`;
  try {
    execFileSync("pdftoppm", ["-v"], { stdio: "ignore" });
  } catch {
    return "pdftoppm missing (apt-get install poppler-utils)";
  }
  return null;
}

/**
 * A scan of the plan: the text is typeset with an embedded font (pdf-lib + fontkit), each page rendered to a
 * PNG by pdftoppm at `dpi`, and the PNGs placed as the only content of a new PDF. No text layer remains.
 */
export async function scannedPlanPdf(lines = templatePlanLines(), dpi = 200, perPage = 44): Promise<Buffer> {
  const typeset = await PDFDocument.create();
  typeset.registerFontkit(fontkit);
  const font = await typeset.embedFont(fs.readFileSync(FONT), { subset: true });
  const size = 12;
  const wrapped = lines.flatMap((l) => wrap(l, 78));
  for (let i = 0; i < wrapped.length; i += perPage) {
    const page = typeset.addPage([595, 842]);
    wrapped.slice(i, i + perPage).forEach((l, j) => page.drawText(l, { x: 56, y: 780 - j * 16.5, size, font }));
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-fixture-"));
  try {
    const src = path.join(dir, "typeset.pdf");
    fs.writeFileSync(src, await typeset.save());
    execFileSync("pdftoppm", ["-r", String(dpi), "-gray", "-png", src, path.join(dir, "page")]);
    const scan = await PDFDocument.create();
    const pngs = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".png"))
      .sort();
    for (const f of pngs) {
      const image = await scan.embedPng(fs.readFileSync(path.join(dir, f)));
      const page = scan.addPage([595, 842]);
      page.drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
    }
    return Buffer.from(await scan.save());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A greyscale PNG (8-bit, no filter) of `width` × `height` from a pixel function: no image library needed. */
export function greyPng(width: number, height: number, pixel: (x: number, y: number) => number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8 bits, greyscale, deflate, no filter, no interlace
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = pixel(x, y);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** An image-only PDF without any tool: one page holding a striped picture (what a scan is, to a converter). */
export async function imageOnlyPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(greyPng(200, 280, (x, y) => ((y >> 3) % 3 === 0 && x > 20 && x < 180 ? 0 : 255)));
  doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  return Buffer.from(await doc.save());
}

/** The /hanchot reply from an index version, on a given day. */
export function hanchotOf(index: LoadedIndex, now = new Date("2025-07-01T03:00:00Z")): string {
  return createDutyCommands({
    duties: () => dutiesForIndex(index),
    docs: () => index.documents,
    agencies: () => agenciesOfIndex(index),
    store: { subscribe: () => true, unsubscribe: () => true } as never,
    clock: () => now,
  }).hanchot();
}
