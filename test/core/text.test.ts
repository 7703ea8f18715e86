import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createAnalyzer } from "../../src/text/analyzer.js";
import { loadGlossary } from "../../src/text/glossary.js";
import { isStopword, tokenize } from "../../src/text/tokens.js";
import { fold, isVietnameseSyllable, normalizeVietnamese } from "../../src/text/vietnamese.js";
import { ROOT } from "./helpers.js";

const analyzer = createAnalyzer(loadGlossary(path.join(ROOT, "corpus/glossary.json")));

describe("Vietnamese normalisation", () => {
  it("unifies NFC/NFD and both tone-mark placements", () => {
    expect(normalizeVietnamese("hoà")).toBe(normalizeVietnamese("hòa"));
    expect(normalizeVietnamese("thuỷ")).toBe(normalizeVietnamese("thủy"));
    expect(normalizeVietnamese("Khoa học".normalize("NFD"))).toBe("khoa học");
    expect(normalizeVietnamese("quý")).toBe("quý");
    expect(normalizeVietnamese("giữa")).toBe("giữa");
    expect(normalizeVietnamese("ngoài")).toBe(normalizeVietnamese("ngoaì"));
  });

  it("folds diacritics and đ for matching", () => {
    expect(fold("Báo cáo định kỳ")).toBe("bao cao dinh ky");
    expect(fold("Đắk Nông")).toBe(fold("Đăk Nông").replace("dak", "dak"));
    expect(tokenize("kỳ")[0]!.fold).toBe(tokenize("kì")[0]!.fold);
  });

  it("matches a question without diacritics to accented text", () => {
    const doc = analyzer.documentFeatures("Định kỳ hàng năm (trước ngày 30/11) các Sở báo cáo");
    const q = analyzer.query("bao cao dinh ky truoc ngay nao");
    const shared = [...q.features.keys()].filter((k) => doc.has(k));
    expect(shared).toEqual(expect.arrayContaining(["f:bao_cao", "f:dinh_ki", "f:truoc_ngay"]));
  });

  it("prefers the accented match when the question has diacritics", () => {
    const q = analyzer.query("báo cáo");
    expect(q.features.has("a:báo_cáo")).toBe(true);
    expect(analyzer.query("bao cao").features.has("a:bao_cao")).toBe(false);
  });
});

describe("function words", () => {
  it("reads a word typed with diacritics as typed: 'bồi', 'khí', 'mẹ', 'tờ' are topic words, 'bởi', 'vậy' are not", () => {
    const stop = (w: string) => isStopword(tokenize(w)[0]!);
    for (const w of ["bồi", "mẹ", "tờ", "khí", "bí", "đền", "vé"]) expect(stop(w), w).toBe(false);
    for (const w of ["bởi", "vậy", "khi", "bị", "đến", "nhiều"]) expect(stop(w), w).toBe(true);
    // Typed without diacritics the function word is the likelier reading.
    for (const w of ["boi", "vay", "khi", "bi", "den"]) expect(stop(w), w).toBe(true);
    // "con phai lam gi nua": typed bare, "nua" is "nữa" (more), not "nửa" (half).
    expect(stop("nua")).toBe(true);
    // "if", a greeting and "consists of" say nothing of the topic, with or without diacritics.
    for (const w of ["nếu", "neu", "chào", "chao", "gồm", "gom"]) expect(stop(w), w).toBe(true);
    // English pronouns of the asker say nothing of the topic ("can a fund invest in us?", "our charter capital").
    for (const w of ["we", "us", "our", "you", "your", "instead"]) expect(stop(w), w).toBe(true);
    // "dưới đây" (below) frames a question; typed bare, "day" may be "dạy" or "ngày".
    expect(stop("đây")).toBe(true);
    expect(stop("day")).toBe(false);
    // Chat particles and "đâu" (where), which no document uses: counted as topic words they held answerable
    // questions back as "a word no document uses" ("à, … nộp ở đâu nhỉ?").
    for (const w of ["à", "ừ", "nhỉ", "chứ", "đâu", "nữa", "rồi", "vâng", "dạ", "nhá", "hả"]) expect(stop(w), w).toBe(true);
    // "anh ấy", "cô ấy": the demonstrative after a person says nothing of the topic.
    expect(stop("ấy")).toBe(true);
    expect(analyzer.query("À, hồ sơ nộp ở đâu nhỉ?").content.map((t) => t.orig)).toEqual(["hồ", "sơ", "nộp"]);
    // A function word that is half of a topic word ("thay thế" replace, "thế chấp", "việc làm", "ngày làm việc").
    const content = (q: string) => analyzer.query(q).content.map((t) => t.orig);
    expect(content("Nghị định này thay thế văn bản nào?")).toEqual(["Nghị", "định", "thay", "thế", "văn", "bản"]);
    expect(content("nha the chap ngan hang")).toEqual(["nha", "the", "chap", "ngan", "hang"]);
    expect(content("trong mấy ngày làm việc")).toEqual(["làm", "việc"]); // "mấy ngày" frames the question
    // Typed without marks, "may" before what it counts is "mấy"; before anything else it may be "máy" (a machine).
    expect(content("moi nam dc may khoa")).toEqual(["moi", "nam", "khoa"]);
    expect(content("mua may moc")).toEqual(["mua", "may", "moc"]);
    expect(content("hỗ trợ như thế nào")).toEqual(["hỗ", "trợ"]);
    // "cụ thể" (specifically) frames what is asked, as "nói chung" does.
    expect(content("cụ thể được miễn những khoản gì")).toEqual(["miễn", "khoản"]);
    // "hỏi thêm" (one more question) frames it, as "cho hỏi" does.
    expect(content("em hỏi thêm ạ: hồ sơ nộp ở đâu")).toEqual(["hồ", "sơ", "nộp"]);
    expect(content("cho hoi them, ho so nop o dau")).toEqual(["ho", "so", "nop"]);
    // "trong nước" (domestic) is a topic, as "nước ngoài" is: it tells two clauses apart.
    expect(content("tư vấn trong nước")).toEqual(["tư", "vấn", "trong", "nước"]);
    expect(content("trong hồ sơ")).toEqual(["hồ", "sơ"]);
    // "giờ" alone is "now" in chat ("giờ muốn …", "bây giờ"), an hour in "giờ làm việc"; "bọn mình", "cho hỏi luôn".
    expect(content("giờ bọn mình muốn thuê phần mềm, cho hỏi luôn")).toEqual(["thuê", "phần", "mềm"]);
    expect(content("trong 24 giờ làm việc")).toEqual(["24", "giờ", "làm", "việc"]);
    // Typed bare, "co" is "có" — except in "co quan" (cơ quan), "co so" (cơ sở) …; typed "có" it is always the verb.
    expect(content("vo cu co duoc chu cap khong")).toEqual(["vo", "cu", "chu", "cap"]);
    expect(content("co quan nao cap giay phep")).toEqual(["co", "quan", "cap", "giay", "phep"]);
    expect(content("có quan hệ gì")).toEqual(["quan", "hệ"]);
    // Conjunctions and pronouns of chat ("nhưng", "nó", "bây giờ", "từng").
    for (const w of ["nhưng", "nó", "bây", "từng"]) expect(stop(w), w).toBe(true);
    // English greetings and the pieces of contractions ("I'm", "we'll") neither.
    expect(analyzer.query("Hi, I'm a scientist and I'll be back").content.map((t) => t.fold)).toEqual(["scientist", "be", "back"]);
    // Light English verbs say nothing of the topic ("loans taken by startups", "support given to …").
    expect(analyzer.query("loans taken by startups").content.map((t) => t.fold)).toEqual(["loans", "startups"]);
    expect(analyzer.query("Bố mẹ có phải bồi thường không?").content.map((t) => t.orig)).toEqual(["Bố", "mẹ", "bồi", "thường"]);
  });
});

describe("glossary", () => {
  it("expands abbreviations in questions and documents alike", () => {
    const words = (s: string) =>
      analyzer
        .query(s)
        .tokens.map((t) => t.fold)
        .join(" ");
    expect(words("Sở KH&CN")).toBe("so khoa hoc va cong nghe");
    expect(words("so khcn")).toBe("so khoa hoc va cong nghe");
    expect(words("Sở KH&ĐT")).toBe("so ke hoach va dau tu");
    expect(words("UBND tỉnh")).toBe("uy ban nhan dan tinh");
    expect(words("ĐMST")).toBe("doi moi sang tao");
    expect(words("DNNVV")).toBe("doanh nghiep nho va vua");
    expect(words("sàn TMĐT, đóng BHXH")).toBe("san thuong mai dien tu dong bao hiem xa hoi");
    expect(words("con khxh va nhan van")).toBe("con khoa hoc xa hoi va nhan van");
    expect(words("dai pt-th tinh")).toBe("dai phat thanh va truyen hinh tinh");
    // Chat shorthand, as the users of the shipped sets write it: "đk" is "điều kiện", "đc" is "được".
    expect(analyzer.rewriteChat("đk để đc hỗ trợ là gì")).toBe("điều kiện để được hỗ trợ là gì");
    expect(analyzer.rewriteChat("can dk gi")).toBe("can điều kiện gi");
    expect(
      analyzer
        .documentTokens("UBND các huyện, TP. Gia Nghĩa")
        .map((t) => t.fold)
        .join(" "),
    ).toBe("uy ban nhan dan cac huyen thanh pho gia nghia");
  });

  it("keeps the Vietnamese word 'ai' (who) apart from the abbreviation AI", () => {
    expect(analyzer.query("ai ký kế hoạch").tokens[0]!.fold).toBe("ai");
    expect(
      analyzer
        .query("ứng dụng AI")
        .tokens.map((t) => t.fold)
        .join(" "),
    ).toBe("ung dung tri tue nhan tao");
  });

  it("adds synonyms and English meanings as expansions", () => {
    const phrases = (s: string) => analyzer.query(s).expansions.map((p) => p.map((t) => t.fold).join(" "));
    expect(phrases("startup được hỗ trợ gì")).toContain("khoi nghiep");
    expect(phrases("hạn chót nộp báo cáo")).toContain("truoc ngay");
    expect(phrases("who must report and when")).toEqual(expect.arrayContaining(["bao cao", "khi nao thoi han"]));
    expect(phrases("supporting young research groups")).toContain("nhom nghien cuu tre");
    expect(phrases("co cam gian lan so lieu ko")).toContain("lua doi gia mao");
    expect(phrases("muốn thuê phần mềm quản lý")).toContain("thue mua cac giai phap chuyen doi so");
    // How long a firm has existed, as people say it, is the statute's "thời gian hoạt động".
    expect(phrases("cty minh moi thanh lap dc 2 nam thi can dk gi")).toContain("thoi gian hoat dong");
  });

  it("is editable data: the shipped file parses", () => {
    expect(() => JSON.parse(fs.readFileSync(path.join(ROOT, "corpus/glossary.json"), "utf8"))).not.toThrow();
  });
});

describe("spelling repair", async () => {
  const { withinOneEdit } = await import("../../src/retrieve/spelling.js");
  it("accepts one substitution, insertion, deletion or swap", () => {
    expect(withinOneEdit("ngiep", "nghiep")).toBe(true);
    expect(withinOneEdit("baoc", "boac")).toBe(true);
    expect(withinOneEdit("tinh", "tinh")).toBe(true);
    expect(withinOneEdit("tinh", "tanh")).toBe(true);
    expect(withinOneEdit("nghiep", "ngiap")).toBe(false);
  });

  it("tells Vietnamese syllables from English words", () => {
    for (const w of ["nghiep", "truong", "khoa", "quyet", "giay", "thuong"]) expect(isVietnameseSyllable(w), w).toBe(true);
    for (const w of ["which", "many", "working", "law", "submits", "baocao"]) expect(isVietnameseSyllable(w), w).toBe(false);
  });
});
