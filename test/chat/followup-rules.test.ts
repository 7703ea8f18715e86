// The follow-up phrases (vocabulary from corpus/followups.json, agencies from corpus/agencies.json) on questions
// of our own: which readings a turn gets after a given previous turn. Which one is answered is measured
// (test/chat/readings.test.ts); here, only that the candidates are the readable sentences they should be.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { agencySpans } from "../../src/answer/index.js";
import type { Turn } from "../../src/chat/conversation-store.js";
import {
  asksLocation,
  correctionOf,
  loadFollowupLexicon,
  itemAskedOf,
  ordinalOf,
  partReferenceOf,
  pointsBack,
  questionCount,
  referenceIn,
  replacePhrase,
  swappedPart,
  swapTarget,
  swapVariants,
  topicOf,
  topicSwitch,
  withoutFillers,
} from "../../src/chat/followups.js";
import { candidateReadings, measure, readingOptions } from "../../src/chat/readings.js";
import { DocumentNames } from "../../src/corpus/names.js";
import type { DocumentMeta } from "../../src/types.js";
import { answerOf } from "../../src/types.js";
import { CORPUS_DIR } from "../channels/helpers.js";

const lex = loadFollowupLexicon(path.join(CORPUS_DIR, "followups.json"));
const agencies = agencySpans(CORPUS_DIR);
const documentName = (id: string) => (id === "qd-ban-hang" ? "quy định bán hàng" : undefined);
const ctx = { lexicon: lex, agencies, documentName };

const turn = (standalone: string, extra: Partial<Turn> = {}): Turn => ({
  question: standalone,
  standalone,
  topic: topicOf(standalone, lex),
  docs: [],
  items: [],
  ...extra,
});
const readings = (question: string, ...turns: Turn[]) => candidateReadings(question, turns, ctx).map((c) => [c.kind, c.standalone]);

describe("follow-up phrases", () => {
  it("takes the topic of a question without its question words, and a turn without its fillers", () => {
    expect(topicOf("Sở Tài chính phải làm gì?", lex)).toBe("Sở Tài chính");
    expect(topicOf("Hợp tác xã được hỗ trợ bao nhiêu khi mở gian hàng?", lex)).toBe("Hợp tác xã được hỗ trợ khi mở gian hàng");
    expect(withoutFillers("vậy hạn gửi là ngày nào?", lex)).toBe("hạn gửi là ngày nào");
    // "cơ" closes a correction only: typed without diacritics, "co" opening a question is "có".
    expect(withoutFillers("co duoc mien le phi khong", lex)).toBe("co duoc mien le phi khong");
    // A word typed with diacritics matches the lexicon as typed: "vay" (loan) is not the particle "vậy".
    expect(topicOf("Hợp tác xã vay vốn được hỗ trợ lãi suất thế nào?", lex)).toBe("Hợp tác xã vay vốn được hỗ trợ lãi suất");
    expect(withoutFillers("hop tac xa vay von the nao vay", lex)).toBe("hop tac xa vay von the nao");
  });

  it("finds the entity of 'còn X thì sao?', 'X thì sao?', 'what about X?', but not a question of its own", () => {
    expect(swapTarget("còn Sở Xây dựng thì sao?", lex)).toEqual({ target: "Sở Xây dựng", framed: true });
    expect(swapTarget("Sở Xây dựng thì sao?", lex)).toEqual({ target: "Sở Xây dựng", framed: true });
    expect(swapTarget("what about cooperatives?", lex)).toEqual({ target: "cooperatives", framed: true });
    expect(swapTarget("hợp tác xã?", lex)).toEqual({ target: "hợp tác xã", framed: false });
    expect(swapTarget("còn theo quy định thì hạn nộp là ngày nào?", lex)).toBeNull();
    expect(swapTarget("kinh phí cho hoạt động này bố trí thế nào?", lex)).toBeNull();
  });

  it("swaps an agency into the sentences that ask, not into the situation told before them", () => {
    const told = "Tôi là chuyên viên Sở Y tế, vừa nhận kế hoạch. Cho tôi hỏi Sở Xây dựng phải làm gì trong kế hoạch?";
    expect(swapVariants(told, "Sở Tài chính", lex, agencies)[0]).toBe("Cho tôi hỏi Sở Tài chính phải làm gì trong kế hoạch?");
    // Asked in one sentence, the first agency it names is the one swapped.
    expect(swapVariants("Sở Y tế phối hợp với Sở Xây dựng làm gì?", "Sở Tài chính", lex, agencies)[0]).toBe(
      "Sở Tài chính phối hợp với Sở Xây dựng làm gì?",
    );
    // What is swapped in is no agency: the situation stays (it may say what the question is about).
    expect(swapVariants(told, "kinh phí", lex, agencies).some((v) => v.startsWith("Tôi là chuyên viên"))).toBe(true);
  });

  it("swaps into the words shared beyond function words", () => {
    // "em", "chị" shared by the greeting and the turn say nothing of where the target belongs.
    const told = "Chào em, chị là giám đốc một công ty may. Như vậy có được tính là doanh nghiệp do phụ nữ làm chủ không em?";
    for (const v of swapVariants(told, "doanh nghiệp sử dụng nhiều lao động nữ thì tính sao em", lex, agencies))
      expect(v).toContain("là giám đốc một công ty may");
    // Nor is the greeting the subject of the question: told after a situation, the question's subject is not swapped.
    for (const v of swapVariants(told, "doanh nghiệp vừa", lex, agencies)) expect(v.startsWith("doanh nghiệp vừa")).toBe(false);
  });

  it("puts an entity in place of the agency, the shared words, the object or the subject of the previous question", () => {
    expect(swapVariants("Sở Y tế phải làm gì trong kế hoạch?", "Sở Xây dựng", lex, agencies)).toContain(
      "Sở Xây dựng phải làm gì trong kế hoạch?",
    );
    // An agency for an agency: no reading keeps the old one beside the new ("Sở Y tế phải làm gì trong Sở Xây dựng?").
    for (const v of swapVariants("Sở Y tế phải làm gì trong kế hoạch?", "Sở Xây dựng", lex, agencies)) expect(v).not.toContain("Sở Y tế");
    expect(swapVariants("Hộ kinh doanh được hỗ trợ đào tạo trong nước tối đa bao nhiêu?", "đi nước ngoài", lex)).toContain(
      "Hộ kinh doanh được hỗ trợ đào tạo đi nước ngoài tối đa bao nhiêu?",
    );
    expect(swapVariants("Hợp tác xã được hỗ trợ bao nhiêu để xây dựng website?", "mở gian hàng", lex)).toContain(
      "Hợp tác xã được hỗ trợ bao nhiêu để mở gian hàng?",
    );
    expect(swapVariants("Hộ kinh doanh được hỗ trợ bao nhiêu khi chuyển đổi số?", "doanh nghiệp siêu nhỏ", lex)).toContain(
      "doanh nghiệp siêu nhỏ được hỗ trợ bao nhiêu khi chuyển đổi số?",
    );
    // The longest run of shared words with the rest of its phrase comes first: "doanh" of "hộ kinh doanh" is not
    // part of what "lệ phí trước bạ doanh nghiệp" replaces.
    expect(swapVariants("Hộ kinh doanh được miễn lệ phí môn bài mấy năm?", "lệ phí trước bạ doanh nghiệp", lex)[0]).toBe(
      "Hộ kinh doanh được miễn lệ phí trước bạ doanh nghiệp mấy năm?",
    );
  });

  it("finds the part a swapped-in entity stands for: a shared head with its modifier, up to punctuation", () => {
    // What the corpus writes as phrases: "siêu nhỏ", "quy mô" (the head's modifier runs on through them).
    const corpus = new Set(["sieu nho", "quy mo", "mo sieu", "mo nho"]);
    const phrase = (a: string, b: string) => corpus.has(`${a} ${b}`);
    const part = (previous: string, target: string) => {
      const span = swappedPart(previous, target, lex, undefined, phrase);
      return span && previous.slice(span.start, span.end);
    };
    expect(part("HTX siêu nhỏ thuê phần mềm được hỗ trợ tối đa bao nhiêu?", "HTX vừa")).toBe("HTX siêu nhỏ");
    // A modifier of one word cannot be told from a verb ("HTX nhỏ thuê …"), unless the phrase ends after it.
    expect(part("HTX nhỏ thuê phần mềm được hỗ trợ tối đa bao nhiêu?", "HTX vừa")).toBeNull();
    expect(part("HTX nhỏ được hỗ trợ tối đa bao nhiêu?", "HTX vừa")).toBe("HTX nhỏ");
    // A run of shared words ends at a comma: what follows it is another clause of the question.
    expect(part("Bên mình là HTX quy mô nhỏ, muốn thuê phần mềm thì được hỗ trợ bao nhiêu?", "HTX quy mô siêu nhỏ")).toBe("HTX quy mô nhỏ");
    expect(swapVariants("HTX siêu nhỏ thuê phần mềm được hỗ trợ tối đa bao nhiêu?", "HTX vừa", lex, undefined, phrase)[0]).toBe(
      "HTX vừa thuê phần mềm được hỗ trợ tối đa bao nhiêu?",
    );
  });

  it("tells a turn that asks where the previous answer stands from a question that names its own topic", () => {
    expect(asksLocation("cái đó nằm trong mục nào của kế hoạch vậy?", lex)).toBe(true);
    expect(asksLocation("y do nam o phan nao cua ke hoach", lex)).toBe(true);
    expect(asksLocation("khoản hỗ trợ đó thuộc điều nào", lex)).toBe(true);
    expect(asksLocation("which section is that in?", lex)).toBe(true);
    expect(asksLocation("Nghị định 45 quy định hỗ trợ lãi suất vay vốn ở điều nào?", lex)).toBe(false);
    expect(asksLocation("hồ sơ nộp ở đâu?", lex)).toBe(false);
  });

  it("sets a question asked after a correction apart from what was said", () => {
    expect(correctionOf("a nham, cty minh thanh lap tu 2018 roi chu ko phai 2 nam, vay con du dk ko", lex)).toEqual({
      meant: "cty minh thanh lap tu 2018 roi",
      said: "2 nam",
      asked: "vay con du dk ko",
    });
    expect(correctionOf("Sorry, I meant a medium cooperative, not a small one. What's the cap then?", lex)).toEqual({
      meant: "a medium cooperative",
      said: "a small one",
      asked: "What's the cap then",
    });
    // Nothing asked after it: the said value keeps its words.
    expect(correctionOf("nham, y toi la DN nho chu ko phai DN vua", lex)).toEqual({ meant: "DN nho", said: "DN vua" });
  });

  it("reads corrections, references and topic switches", () => {
    expect(correctionOf("ý tôi là năm 2030 chứ không phải 2045", lex)).toEqual({ meant: "năm 2030", said: "2045" });
    // "mình hỏi" says who asks, not what was meant.
    expect(correctionOf("a nham, minh hoi moc 2045 chu k phai 2030", lex)).toEqual({ meant: "moc 2045", said: "2030" });
    expect(correctionOf("em hỏi Sở Y tế chứ không phải Sở Xây dựng", lex)).toEqual({ meant: "Sở Y tế", said: "Sở Xây dựng" });
    expect(correctionOf("i meant cooperatives, not households", lex)).toEqual({ meant: "cooperatives", said: "households" });
    expect(correctionOf("ý tôi là hợp tác xã", lex)).toEqual({ meant: "hợp tác xã" });
    // An opener before the pattern, chat shorthand, and a closing particle that is not part of what was meant.
    expect(correctionOf("nhầm, ý em là hợp tác xã", lex)).toEqual({ meant: "hợp tác xã" });
    expect(correctionOf("sorry, ý tôi là phí thẩm định chứ không phải lệ phí", lex)).toEqual({ meant: "phí thẩm định", said: "lệ phí" });
    expect(correctionOf("k phai ho gia dinh, y minh la hop tac xa", lex)).toEqual({ meant: "hop tac xa", said: "ho gia dinh" });
    // "không phải B, ý mình hỏi A"; "AI" in capitals is the abbreviation, not the question word "ai".
    expect(correctionOf("ko phai AI, y minh hoi xu ly rac thai nhua", lex)).toEqual({ meant: "xu ly rac thai nhua", said: "AI" });
    expect(correctionOf("không phải hộ gia đình, ai được hỗ trợ?", lex)).toBeNull();
    expect(correctionOf("à không, mình hỏi Sở Xây dựng cơ", lex)).toEqual({ meant: "Sở Xây dựng" });
    expect(correctionOf("không có quy định nào về hợp tác xã à?", lex)).toBeNull();
    // Openers one after another ("à nhầm", "à xin lỗi"), and "A chứ không phải B" after one.
    expect(correctionOf("a nham, y em la hop tac xa chu ko phai ho gia dinh", lex)).toEqual({ meant: "hop tac xa", said: "ho gia dinh" });
    expect(correctionOf("à xin lỗi, ý mình là theo Nghị định 45 chứ không phải kế hoạch", lex)).toEqual({
      meant: "theo Nghị định 45",
      said: "kế hoạch",
    });
    expect(correctionOf("à nhầm, hợp tác xã thôi chứ không phải liên hiệp", lex)).toEqual({ meant: "hợp tác xã", said: "liên hiệp" });
    // The asker's own slip ("e nhầm", "mình nhầm") opens a correction; "e" is "em"; "em muốn hỏi A chứ không phải B".
    expect(correctionOf("À e nhầm, ý e là lĩnh vực y dược chứ ko phải nông nghiệp", lex)).toEqual({
      meant: "lĩnh vực y dược",
      said: "nông nghiệp",
    });
    expect(correctionOf("a nham, e muon hoi hop tac xa chu ko phai ho gia dinh", lex)).toEqual({
      meant: "hop tac xa",
      said: "ho gia dinh",
    });
    // "Cái tôi cần là A chứ không phải B": what was needed is A, not the words that frame it.
    expect(correctionOf("À không, cái tôi cần là hợp tác xã chứ không phải liên hiệp.", lex)).toEqual({
      meant: "hợp tác xã",
      said: "liên hiệp",
    });
    expect(correctionOf("cai minh muon hoi la phi tham dinh", lex)).toEqual({ meant: "phi tham dinh" });
    // "Mình đang cần A, không phải B" after an opener: what is needed is A, B was said.
    expect(correctionOf("à ko, mình đang cần hạn nộp hồ sơ theo Quyết định 12 cơ, ko phải Thông tư 5", lex)).toEqual({
      meant: "hạn nộp hồ sơ theo Quyết định 12",
      said: "Thông tư 5",
    });
    expect(correctionOf("mình đang cần hồ sơ gồm những gì", lex)).toBeNull();
    // "không" inside what was said is no question ("máy bay không người lái").
    expect(correctionOf("nhầm, ý em là phần mềm kế toán chứ không phải máy bay không người lái", lex)).toEqual({
      meant: "phần mềm kế toán",
      said: "máy bay không người lái",
    });
    // What follows "chứ không phải B," asks a question of its own: asked of what was meant (both are answered).
    expect(correctionOf("à nhầm, bên mình là hợp tác xã chứ không phải liên hiệp, vậy được hỗ trợ bao nhiêu?", lex)).toEqual({
      meant: "bên mình là hợp tác xã",
      said: "liên hiệp",
      asked: "vậy được hỗ trợ bao nhiêu",
    });
    // …in the same breath, without a comma: a new question that mentions a correction.
    expect(correctionOf("à nhầm, bên mình là hợp tác xã chứ không phải liên hiệp vậy được hỗ trợ bao nhiêu?", lex)).toBeNull();
    expect(questionCount("kế hoạch thì gửi báo cáo về đâu gửi báo cáo tình hình cho cơ quan nào?", lex)).toBe(2);
    expect(questionCount("Sở Tài chính phải làm gì?", lex)).toBe(1);
    expect(questionCount("còn Sở Tài chính?", lex)).toBe(0);
    // "Mình hỏi …" alone opens a new question; after an opener it corrects the last one.
    expect(correctionOf("mình hỏi thủ tục thành lập hợp tác xã", lex)).toBeNull();
    expect(replacePhrase("Chỉ tiêu đến năm 2045 là bao nhiêu?", "2045", "năm 2030")).toBe("Chỉ tiêu đến năm 2030 là bao nhiêu?");
    expect(replacePhrase("Chỉ tiêu đến năm 2045?", "2050", "2030")).toBeNull();
    // The meant value's opening words already stand before the said one, right before it or a few words earlier in
    // the same phrase: they are replaced with it, not said twice.
    expect(replacePhrase("Ai là chủ sở hữu đề tài cấp quốc gia?", "cấp quốc gia", "đề tài cấp bộ")).toBe("Ai là chủ sở hữu đề tài cấp bộ?");
    expect(replacePhrase("còn chi phí dùng trang thiết bị ở vườn ươm thì sao", "thiết bị", "chi phí đi thi quốc tế")).toBe(
      "còn chi phí đi thi quốc tế ở vườn ươm thì sao",
    );
    expect(correctionOf("a nham, y minh hoi chi phi di thi chu ko phai thiet bi", lex)).toEqual({
      meant: "chi phi di thi",
      said: "thiet bi",
    });
    expect(referenceIn("quy định đó có hiệu lực khi nào?", lex)).toBeNull();
    expect(referenceIn("văn bản đó có hiệu lực khi nào?", lex)).toMatchObject({ start: 0, to: "document" });
    expect(referenceIn("what did it replace?", lex)).toMatchObject({ to: "document" });
    // A word typed with diacritics is read as typed: "ít" (few) is not the pronoun "it", "thế" is not "the".
    expect(referenceIn("ngân sách phải bố trí ít nhất bao nhiêu phần trăm?", lex)).toBeNull();
    expect(referenceIn("thế nghị định thì sao?", lex)).toBeNull();
    expect(referenceIn("cơ quan đó báo cáo ai?", lex)).toMatchObject({ to: "agency" });
    // An ordinal pointed at the previous list names its items by their noun; a weekday points at no list.
    expect(ordinalOf("quyen thu 4 trong ds do la gi", lex)).toBe(4);
    expect(ordinalOf("vậy cái thứ 2 trong danh sách đó là gì", lex)).toBe(2);
    expect(ordinalOf("điều kiện thứ hai ở trên là gì?", lex)).toBe(2);
    expect(ordinalOf("cái thứ 3", lex)).toBe(3);
    // The question words and particles that close the turn ask nothing more of the item.
    expect(ordinalOf("cai thu 2 la gi a", lex)).toBe(2);
    expect(ordinalOf("cái thứ hai là gì vậy ạ?", lex)).toBe(2);
    expect(ordinalOf("thứ 4 là ngày nào nộp hồ sơ?", lex)).toBeNull();
    // A clause or point of the previous answer's article named by its label; one with its article is its own reference.
    expect(partReferenceOf("khoan 3 do ap dung cho to chuc nao")).toEqual({ part: "clause", label: "3" });
    expect(partReferenceOf("điểm b nói gì?")).toEqual({ part: "point", label: "b" });
    expect(partReferenceOf("khoản 3 Điều 20 nói gì?")).toBeNull();
    expect(partReferenceOf("khoản hỗ trợ đó bao nhiêu?")).toBeNull();
    expect(ordinalOf("thứ 4 tuần sau nộp hồ sơ đó được không?", lex)).toBeNull();
    expect(ordinalOf("quyền thứ 4 là gì?", lex)).toBeNull();
    expect(ordinalOf("quyền thứ 4 trong danh sách đó có áp dụng cho hợp tác xã không?", lex)).toBeNull();
    // An item asked with a question of its own is a reading among the others, with what is asked.
    expect(itemAskedOf("dk thu 2 ap dung cho loai hinh nao", lex)).toEqual({ n: 2, asked: "ap dung cho loai hinh nao" });
    expect(itemAskedOf("thứ 4 tuần sau nộp được không?", lex)).toBeNull();
    // Typed without diacritics, "them" is "thêm" and "it" is "ít": English references only in an English turn.
    expect(referenceIn("hoi them cai, hoi dong lua chon thi thanh phan ntn", lex)).toBeNull();
    expect(referenceIn("ngan sach bo tri it nhat bao nhieu", lex)).toBeNull();
    expect(referenceIn("what must them do by June?", lex)).toMatchObject({ to: "agency" });
    expect(topicSwitch("chuyện khác: ai ký quyết định?", lex)).toBe("ai ký quyết định?");
    expect(topicSwitch("ai ký quyết định?", lex)).toBeNull();
    // After a particle or a request to ask, the cue still opens the turn; deep inside a question it is no cue.
    expect(topicSwitch("a hoi cai khac, ngay truyen thong nghe nuoi ong la ngay nao", lex)).toBe(
      "ngay truyen thong nghe nuoi ong la ngay nao",
    );
    expect(topicSwitch("Cho chị hỏi chuyện khác: ai ký quyết định?", lex)).toBe("ai ký quyết định?");
    // "chút"/"tí" after the cue belongs to it ("chuyện khác chút" is not a question about "chút").
    expect(topicSwitch("chuyen khac chut, ai ky quyet dinh", lex)).toBe("ai ky quyet dinh");
    expect(topicSwitch("Chuyển chủ đề chút: ai ký quyết định?", lex)).toBe("ai ký quyết định?");
    expect(topicSwitch("Different topic: who signed the decision?", lex)).toBe("who signed the decision?");
    expect(topicSwitch("hợp tác xã làm thêm việc khác thì có được hỗ trợ không?", lex)).toBeNull();
    // What the previous answer said, pointed at ("khoản hỗ trợ đó", typed without diacritics too, or in English).
    expect(pointsBack("khoản hỗ trợ đó được hưởng trong bao lâu?", lex)).toBe(true);
    expect(pointsBack("khoan ho tro do dc huong trong bao lau", lex)).toBe(true);
    expect(pointsBack("how long does that support last?", lex)).toBe(true);
    expect(pointsBack("khoản hỗ trợ thuê kho lạnh được hưởng trong bao lâu?", lex)).toBe(false);
  });
});

describe("candidate readings", () => {
  const previous = turn("Hộ kinh doanh được hỗ trợ bao nhiêu khi chuyển đổi số?", { docs: ["qd-ban-hang"] });

  it("offers the turn alone, with the previous document, and with the previous topic", () => {
    expect(readings("điều kiện là gì?", previous)).toEqual([
      ["new", "điều kiện là gì?"],
      ["document", "điều kiện là gì theo quy định bán hàng?"],
      ["topic", "Hộ kinh doanh được hỗ trợ khi chuyển đổi số: điều kiện là gì theo quy định bán hàng?"],
    ]);
  });

  it("puts the clause a figure of the previous answer stands for in place of 'cái 3% đó'", () => {
    const asked = turn("Nghị quyết đặt mục tiêu chi ngân sách thế nào?", { docs: ["nq-a"], sections: ["nq-a#II.1"] });
    const text = "Chi nghiên cứu đạt 2% GDP; bố trí ít nhất 3% tổng chi ngân sách hằng năm cho khoa học. Khác.";
    const withText = { ...ctx, sectionText: (doc: string, id: string) => (doc === "nq-a" && id === "II.1" ? text : undefined) };
    const figure = (q: string) =>
      candidateReadings(q, [asked], withText)
        .filter((c) => c.kind === "reference")
        .map((c) => c.standalone);
    expect(figure("cái 3% đó so với luật thì sao, luật quy định bao nhiêu?")).toEqual([
      "bố trí ít nhất 3% tổng chi ngân sách hằng năm cho khoa học so với luật thì sao, luật quy định bao nhiêu?",
    ]);
    // A figure no cited section states points at nothing.
    expect(figure("cái 5% đó so với luật thì sao?")).toEqual([]);
  });

  it("offers no swap for a turn that asks its own question without a swap frame", () => {
    // A few words stand for a part of the previous question; a whole question stands for none of it.
    expect(readings("hợp tác xã?", previous).map(([kind]) => kind)).toContain("swap");
    const own = readings("neu cua hang cua minh di hoi cho o nuoc ngoai thi co dc ho tro chi phi ko", previous);
    expect(own.map(([kind]) => kind)).not.toContain("swap");
  });

  it("offers swaps and corrections of the previous question, and a correction of an earlier one", () => {
    expect(readings("thế còn doanh nghiệp siêu nhỏ?", previous)).toContainEqual([
      "swap",
      "doanh nghiệp siêu nhỏ được hỗ trợ bao nhiêu khi chuyển đổi số?",
    ]);
    const later = turn("hồ sơ gồm gì?", { docs: ["qd-ban-hang"] });
    expect(readings("ý tôi là hợp tác xã chứ không phải hộ kinh doanh", previous, later)).toContainEqual([
      "correction",
      "hợp tác xã được hỗ trợ bao nhiêu khi chuyển đổi số?",
    ]);
  });

  it("reads a correction that asks its own question both in place of the said words and as that question", () => {
    const asked = turn("mình muốn Sở Công Thương hướng dẫn thủ tục thành lập hợp tác xã thì hồ sơ gồm những gì?");
    const corrected = readings("ko phai thu tuc thanh lap, y minh la huong dan thue thi so nao lam", asked);
    expect(corrected).toContainEqual(["correction", "huong dan thue thi so nao lam"]);
    expect(corrected.filter(([kind]) => kind === "correction").length).toBeGreaterThan(1);
    // A meant value that asks nothing itself is read in place of the said one only.
    expect(readings("ý tôi là hợp tác xã chứ không phải hộ kinh doanh", previous).filter(([kind]) => kind === "correction")).toEqual([
      ["correction", "hợp tác xã được hỗ trợ bao nhiêu khi chuyển đổi số?"],
    ]);
  });

  it("asks a corrected question in the articles the previous answer came from too, every clause alike", () => {
    const answered = turn("DN vừa theo quy định bán hàng?", { docs: ["qd-ban-hang"], sections: ["qd-ban-hang#D13.2.c"] });
    const corrections = candidateReadings("nhầm, ý tôi là DN nhỏ chứ không phải DN vừa", [answered], ctx).filter(
      (c) => c.kind === "correction",
    );
    expect(corrections.map((c) => [c.standalone, c.near])).toEqual([
      ["DN nhỏ theo quy định bán hàng?", undefined],
      ["DN nhỏ theo quy định bán hàng?", ["qd-ban-hang#D13"]],
    ]);
  });

  it("makes no swap that replaces the whole previous question (that is the turn alone)", () => {
    const asked = turn("Nghị định hỗ trợ hợp tác xã những nội dung gì?");
    // The only place "điều kiện để được hưởng" fits leaves "gì?": no previous topic word remains.
    expect(swapVariants(asked.standalone, "điều kiện để được hưởng", lex, agencies)).toEqual(["điều kiện để được hưởng gì?"]);
    expect(readings("điều kiện để được hưởng?", asked).filter(([kind]) => kind === "swap")).toEqual([]);
    // A swap that keeps the rest of the question is made.
    expect(readings("còn hộ kinh doanh?", turn("Hợp tác xã được hỗ trợ những gì?"))).toContainEqual([
      "swap",
      "hộ kinh doanh được hỗ trợ những gì?",
    ]);
  });

  it("points 'cái thứ 2' at the second cited item, and a topic switch or a first turn at the turn alone", () => {
    const listed = turn("Các nhiệm vụ trọng tâm là gì?", { items: ["Xây dựng sàn giao dịch", "Đào tạo cán bộ quản lý"] });
    expect(readings("cái thứ 2", listed)).toEqual([["ordinal", "Đào tạo cán bộ quản lý"]]);
    expect(readings("ý thứ hai", listed)).toEqual([["ordinal", "Đào tạo cán bộ quản lý"]]);
    expect(readings("cái thứ 5", listed)[0]).toEqual(["new", "cái thứ 5"]);
    expect(readings("chuyện khác, hạn nộp là khi nào?", previous)).toEqual([["new", "hạn nộp là khi nào?"]]);
    expect(readings("hạn khi nào?")).toEqual([["new", "hạn khi nào?"]]);
  });
});

describe("candidate readings near the previous answer", () => {
  it("asks the turn near the sections the previous answer cited, in its document when it cited one", () => {
    const one = turn("Hộ kinh doanh vay vốn được hỗ trợ lãi suất thế nào?", {
      docs: ["qd-ban-hang"],
      sections: ["qd-ban-hang#D26", "qd-ban-hang#D26.2"],
    });
    const near = candidateReadings("vậy mức hỗ trợ là bao nhiêu?", [one], ctx).find((c) => c.kind === "near");
    expect(near).toMatchObject({
      standalone: "mức hỗ trợ là bao nhiêu theo quy định bán hàng?",
      near: ["qd-ban-hang#D26", "qd-ban-hang#D26.2"],
    });
    const two = turn("Hộ kinh doanh lên doanh nghiệp được miễn lệ phí gì?", {
      docs: ["nd-a", "luat-b"],
      sections: ["nd-a#D18", "luat-b#D16.2.b"],
    });
    const nearTwo = candidateReadings("điều kiện là gì?", [two], ctx).find((c) => c.kind === "near");
    expect(nearTwo).toMatchObject({ standalone: "điều kiện là gì", near: ["nd-a#D18", "luat-b#D16.2.b"] });
    // Nothing cited before (a first turn, or a previous turn stored without sections): no near reading.
    expect(candidateReadings("điều kiện là gì?", [turn("Hộ kinh doanh được hỗ trợ gì?")], ctx).some((c) => c.kind === "near")).toBe(false);
  });
});

describe("a correction to an agency whose said words were not asked", () => {
  it("puts the agency in the previous question, and does not read its name alone", () => {
    const asked = turn("Sở Tài chính và các đài thì được giao gì?");
    const read = candidateReadings("nhầm, ý em là Sở Nội vụ chứ không phải báo đài", [asked], ctx).filter((c) => c.kind === "correction");
    expect(read.map((c) => c.standalone)).toContain("Sở Nội vụ thì được giao gì?");
    expect(read.map((c) => c.standalone)).not.toContain("Sở Nội vụ");
    // What was meant is a topic of its own: it is also read restated whole.
    const topic = candidateReadings("sai rồi, tôi hỏi trách nhiệm của doanh nghiệp nhỏ và vừa", [asked], ctx);
    expect(topic.map((c) => c.standalone)).toContain("trách nhiệm của doanh nghiệp nhỏ và vừa");
  });
});

describe("a turn that only names a document", () => {
  const decree = {
    id: "nd-45",
    file: "nd-45.md",
    title: "Nghị định 45",
    shortTitle: "Nghị định 45",
    style: "articles",
    aliases: ["Nghị định 45"],
  };
  const names = new DocumentNames([decree as DocumentMeta]);
  const named = { ...ctx, namedDocuments: (text: string) => names.mentioned(text) };
  const asked = turn("Các Sở báo cáo trước ngày nào hằng năm?", { docs: ["kh-a"], sections: ["kh-a#III"] });

  it("is the previous question asked of it, not its title read alone", () => {
    for (const [q, meant] of [
      ["Nghị định 45 của Chính phủ có nói ý tương tự không?", "Các Sở báo cáo trước ngày nào hằng năm theo Nghị định 45 của Chính phủ?"],
      ["còn Nghị định 45 thì sao?", "Các Sở báo cáo trước ngày nào hằng năm theo Nghị định 45?"],
    ]) {
      const kinds = candidateReadings(q!, [asked], named);
      expect(
        kinds.map((c) => c.kind),
        q,
      ).not.toContain("new");
      expect(
        kinds.filter((c) => c.kind === "swap").map((c) => c.standalone),
        q,
      ).toContain(meant);
    }
    // A turn that asks something of its own besides the name keeps its own reading.
    expect(candidateReadings("còn Nghị định 45 về hỗ trợ lãi suất thì sao?", [asked], named).map((c) => c.kind)).toContain("new");
  });

  it("knows a name typed with '&' inside initials and dated by its year ('Luật TN&MT 2019')", () => {
    const law = {
      id: "luat-tnmt",
      file: "l.md",
      title: "Luật TN&MT",
      shortTitle: "Luật TN&MT",
      style: "articles",
      aliases: ["Luật TN&MT"],
    };
    const byLaw = new DocumentNames([law as DocumentMeta]);
    const ctxLaw = { ...ctx, namedDocuments: (text: string) => byLaw.mentioned(text) };
    const kinds = candidateReadings("còn Luật TN&MT 2019 thì sao?", [asked], ctxLaw).map((c) => c.kind);
    expect(kinds).not.toContain("new");
    expect(kinds).toContain("swap");
  });
});

describe("measuring a reading", () => {
  const previous = turn("Hộ kinh doanh vay vốn được hỗ trợ lãi suất thế nào?", { docs: ["nd-a"], sections: ["nd-a#D26", "nd-a#D26.1"] });
  const quote = "Mức chênh lệch lãi suất được ngân sách cấp bù là 2%/năm.";
  const answered = (doc: string, section: string) =>
    answerOf({ question: "", answer: quote, abstained: false, mode: "extractive", citations: [{ doc, section, title: "", quote }] });
  const topic = candidateReadings("mức cấp bù bao nhiêu?", [previous], ctx).find((c) => c.kind === "topic")!;

  it("credits an answer from the article the previous turn cited, less one from the next article, none from elsewhere", () => {
    const far = measure(topic, answered("nd-a", "D22.6.c"), previous, ctx);
    expect(measure(topic, answered("nd-a", "D26.2"), previous, ctx) - far).toBeCloseTo(readingOptions.sectionAgreement);
    expect(measure(topic, answered("nd-a", "D27.1"), previous, ctx) - far).toBeCloseTo(readingOptions.neighbourAgreement);
    expect(measure(topic, answered("nd-a", "D25.1"), previous, ctx) - far).toBeCloseTo(readingOptions.neighbourAgreement);
    // Another document's Điều 27 is not next to this one's Điều 26.
    expect(measure(topic, answered("nd-b", "D27.1"), previous, ctx)).toBeLessThan(far);
    // A swap asks about something else: staying in the previous Điều earns it nothing.
    const swap = { ...topic, kind: "swap" as const };
    expect(measure(swap, answered("nd-a", "D26.2"), previous, ctx)).toBeCloseTo(measure(swap, answered("nd-a", "D22.6.c"), previous, ctx));
  });

  it("holds a reading in context to the focus the turn read alone reaches, when that is below `minFocus`", () => {
    // The turn in the user's own words: "chuyển hẳn sang mảng", "ngưỡng" are stated by no quote.
    const own = candidateReadings("nếu bên tôi chuyển hẳn sang mảng hộ kinh doanh thì ngưỡng cấp bù bao nhiêu?", [previous], ctx);
    const near = own.find((c) => c.kind === "near")!;
    const answer = answered("nd-a", "D26.2");
    expect(measure(near, answer, previous, ctx)).toBe(-1);
    expect(measure(near, answer, previous, ctx, 0.1)).toBeGreaterThan(0);
  });

  it("takes `unstated` off an answer whose lead says the documents do not state the value asked", () => {
    const said = answered("nd-a", "D26.2");
    const unstated = { ...said, lead: `Văn bản không nêu mức cụ thể; ${said.lead}` };
    expect(measure(topic, said, previous, ctx) - measure(topic, unstated, previous, ctx)).toBeCloseTo(readingOptions.unstated);
  });

  it("measures every swap reading against the question the swap most likely means, not against itself", () => {
    const asked = turn("Hợp tác xã quy mô nhỏ thuê phần mềm kế toán được hỗ trợ bao nhiêu?");
    const swaps = candidateReadings("còn quy mô siêu nhỏ?", [asked], ctx).filter((c) => c.kind === "swap");
    const meant = swaps.find((c) => c.standalone.includes("thuê phần mềm"))!;
    const dropped = swaps.find((c) => !c.standalone.includes("thuê phần mềm"))!;
    expect(meant.standalone).toBe("Hợp tác xã quy mô siêu nhỏ thuê phần mềm kế toán được hỗ trợ bao nhiêu?");
    for (const c of swaps) expect(c.scope).toBe(meant.standalone);
    const say = (quote: string) =>
      answerOf({
        question: "",
        answer: quote,
        abstained: false,
        mode: "extractive",
        citations: [{ doc: "nd-a", section: "D13.2", title: "", quote }],
      });
    // The reading that dropped what is rented is not better answered by a quote that lacks it.
    const advice = measure(dropped, say("Hợp tác xã quy mô siêu nhỏ được hỗ trợ tư vấn pháp lý miễn phí."), asked, ctx);
    const software = measure(meant, say("Hỗ trợ chi phí thuê phần mềm kế toán đối với hợp tác xã quy mô siêu nhỏ."), asked, ctx);
    expect(software).toBeGreaterThan(advice);
  });

  it("gives the turn read alone `ownPrior` only when it does not open or end as a continuation", () => {
    const alone = (q: string) => candidateReadings(q, [previous], ctx)[0]!;
    const score = (q: string) => measure(alone(q), answered("nd-b", "D3.1"), previous, ctx);
    const plain = score("hợp tác xã nông nghiệp vay vốn được cấp bù chênh lệch bao nhiêu?");
    // Same words, opened with "còn" or closed with "thì sao": the user said it continues the previous question.
    expect(plain - score("còn hợp tác xã nông nghiệp vay vốn được cấp bù chênh lệch bao nhiêu?")).toBeCloseTo(readingOptions.ownPrior);
    const bare = score("hợp tác xã nông nghiệp vay vốn cấp bù chênh lệch?");
    expect(bare - score("hợp tác xã nông nghiệp vay vốn cấp bù chênh lệch thì sao?")).toBeCloseTo(readingOptions.ownPrior);
  });

  it("counts a turn's word stated only in the headings above the quote by `headingFocus`", () => {
    const alone = candidateReadings("hỗ trợ lãi suất bao nhiêu?", [previous], ctx)[0]!;
    const headings = () => ["Điều 27. Nội dung hỗ trợ lãi suất"];
    const without = measure(alone, answered("nd-a", "D27.1"), previous, ctx);
    const withHeadings = measure(alone, answered("nd-a", "D27.1"), previous, { ...ctx, headings });
    expect(withHeadings).toBeGreaterThan(without);
    const none = measure(alone, answered("nd-a", "D27.1"), previous, { ...ctx, headings, options: { ...readingOptions, headingFocus: 0 } });
    expect(none).toBeCloseTo(without);
  });
});
