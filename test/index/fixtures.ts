// A small corpus of our own (a fictional province's plan, a decree and, on request, near-copies of the plan),
// written to a temporary directory; glossary and agency table are the shipped data files.
import fs from "node:fs";
import path from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { ROOT, tempDir } from "../core/helpers.js";

export const PLAN_TEXT = [
  "ỦY BAN NHÂN DÂN TỈNH SƠN LÂM",
  "KẾ HOẠCH",
  "Ứng dụng công nghệ số trong nuôi cá hồi vùng cao năm 2027",
  "I. MỤC ĐÍCH",
  "1. Nâng cao năng suất nuôi cá hồi bằng cảm biến nhiệt độ nước.",
  "2. Hỗ trợ hợp tác xã thủy sản tiếp cận tín dụng ưu đãi.",
  "II. NHIỆM VỤ",
  "1. Sở Khoa học và Công nghệ chủ trì lắp đặt trạm quan trắc nước tại 12 trại cá, hoàn thành trước ngày 15/9/2027.",
  "2. Sở Tài chính bố trí kinh phí 850 triệu đồng cho trạm quan trắc.",
  "III. TỔ CHỨC THỰC HIỆN",
  "Các sở, ngành báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 20/12 hằng năm.",
  "TM. ỦY BAN NHÂN DÂN",
  "CHỦ TỊCH",
].join("\n\n");

export const DECREE_TEXT = [
  "NGHỊ ĐỊNH",
  "Quy định về quỹ phát triển nghề làm giấy dó",
  "Điều 1. Phạm vi điều chỉnh",
  "Nghị định này quy định việc thành lập quỹ phát triển nghề làm giấy dó truyền thống.",
  "Điều 2. Nguồn vốn của quỹ",
  "1. Vốn điều lệ do ngân sách cấp.",
  "2. Tài trợ của tổ chức, cá nhân yêu nghề giấy dó.",
].join("\n\n");

export interface FixtureDoc {
  id: string;
  style: "plan" | "articles";
  title: string;
  number: string | null;
  aliases: string[];
  text: string;
}

export const PLAN: FixtureDoc = {
  id: "kh-son-lam-ca-hoi",
  style: "plan",
  title: "Kế hoạch ứng dụng công nghệ số trong nuôi cá hồi vùng cao",
  number: "88/KH-UBND",
  aliases: ["kế hoạch cá hồi"],
  text: PLAN_TEXT,
};

export const DECREE: FixtureDoc = {
  id: "nd-giay-do",
  style: "articles",
  title: "Nghị định về quỹ phát triển nghề làm giấy dó",
  number: "999/2030/NĐ-CP",
  aliases: ["nghị định giấy dó"],
  text: DECREE_TEXT,
};

/** A copy of the plan with a new id, number and digits, as the benchmark's synthetic corpora make them. */
export function copyOf(doc: FixtureDoc, n: number): FixtureDoc {
  return {
    ...doc,
    id: `${doc.id}-ban-${n}`,
    title: `${doc.title} (bản ${n})`,
    number: `${100 + n}/KH-UBND`,
    aliases: [`kế hoạch bản ${n}`],
    text: doc.text.replace(/\d/g, (d) => String((Number(d) + n) % 10)),
  };
}

/** Write the documents and their manifest into `corpusDir` (replacing what was there). */
export function writeCorpus(corpusDir: string, docs: FixtureDoc[]): void {
  fs.mkdirSync(path.join(corpusDir, "documents"), { recursive: true });
  for (const name of ["glossary.json", "agencies.json"]) fs.copyFileSync(path.join(ROOT, "corpus", name), path.join(corpusDir, name));
  const documents = docs.map((d) => {
    fs.writeFileSync(path.join(corpusDir, "documents", `${d.id}.md`), d.text);
    return {
      id: d.id,
      file: `documents/${d.id}.md`,
      style: d.style,
      title: d.title,
      shortTitle: d.title,
      number: d.number,
      issuer: "Ủy ban nhân dân tỉnh Sơn Lâm",
      date: "2027-01-15",
      status: "in_force",
      aliases: d.aliases,
    };
  });
  fs.writeFileSync(path.join(corpusDir, "manifest.json"), JSON.stringify({ documents }, null, 1));
}

export function fixtureConfig(docs: FixtureDoc[]): Config {
  const corpus = path.join(tempDir("index-corpus"), "corpus");
  writeCorpus(corpus, docs);
  return loadConfig({ DATA_DIR: tempDir("index-data"), CORPUS_DIR: corpus, LOG_LEVEL: "silent" }, ROOT);
}
