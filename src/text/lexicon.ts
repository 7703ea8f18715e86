// Vietnamese word knowledge that is about the language and the genre of administrative texts (not about one
// deployment's documents): each list once, here, with unit tests (test/core/lexicon.test.ts). Question-side
// cues are written diacritic-free because users often type that way; document-side patterns are accented
// because documents are.

/** Diacritic-free phrase lists matched as whole words in a folded question (see `cueIn`). */
export const QUESTION_CUES = {
  /** Questions about the document itself: who signed it, its number, date, issuer, purpose. */
  documentFact: [
    "ai ky",
    "nguoi ky",
    "ky ban hanh",
    "ky ten",
    "ky ke hoach",
    "ky van ban",
    "chu ky",
    "so hieu",
    "ngay ban hanh",
    "ban hanh ngay",
    "ban hanh khi nao",
    "ban hanh nam",
    "co quan ban hanh",
    "ai ban hanh",
    "ban hanh de",
    "ban hanh nham",
    "de trien khai chuong trinh nao",
    "thuc hien chuong trinh nao",
    "trien khai chuong trinh nao",
    "signed",
    "signer",
    "signatory",
    "issued",
  ],
  /** A list ("hồ sơ gồm những gì?"): the answer is a list with its introduction. */
  list: [
    "gom gi",
    "gom nhung gi",
    "gom nhung",
    "gom giay to gi",
    "gom giay to nao",
    "bao gom nhung",
    "bao gom gi",
    "nhung giay to gi",
    "nhung giay to nao",
    "nhung gi",
    "liet ke",
    "ke ten",
    "nhung dieu kien",
    "cac dieu kien",
    "what conditions",
    "what are the conditions",
    "what criteria",
    "eligibility",
    "what documents",
    "which documents",
    "what does it include",
    "list",
  ],
  /** Which agency ("sở nào lo kinh phí?"): the answer names an agency. */
  agency: [
    "so nao",
    "bo nao",
    "co quan nao",
    "don vi nao",
    "nganh nao",
    "which ministry",
    "which department",
    "which agency",
    "which body",
  ],
  deadline: [
    "khi nao",
    "bao gio",
    "han bao cao",
    "het han",
    "thoi han",
    "han chot",
    "han nop",
    "han cuoi",
    "truoc ngay",
    "ngay nao",
    "ngay bao nhieu",
    "ngay may",
    "thoi gian nao",
    "luc nao",
    "thang nao",
    "dinh ky",
    "hang nam",
    "deadline",
    "when",
    "due",
    "time limit",
  ],
  responsibility: [
    "ai",
    "co quan nao",
    "don vi nao",
    "so nao",
    "nganh nao",
    "nhiem vu",
    "trach nhiem",
    "lam gi",
    "phai lam",
    "chu tri",
    "phoi hop",
    "tham muu",
    "vai tro",
    "who",
    "responsible",
    "responsibility",
    "responsibilities",
    "duty",
    "duties",
    "task",
    "tasks",
    "in charge",
    "giao cho ai",
    "lam j",
  ],
  support: [
    "ho tro",
    "uu dai",
    "chinh sach",
    "bao nhieu",
    "muc",
    "toi da",
    "kinh phi",
    "mien phi",
    "support",
    "supports",
    "subsidy",
    "subsidies",
    "subsidise",
    "subsidize",
    "how much",
    "grant",
    "grants",
    "bn tien",
    "bao nhieu tien",
    "duoc gi",
    "duoc j",
    "incentive",
    "incentives",
  ],
  /** The size of a support, a share or a target ("bao nhiêu", "tối đa", "how much"). */
  amount: [
    "bao nhieu",
    "muc",
    "toi da",
    "may trieu",
    "how much",
    "max",
    "maximum",
    "up to",
    "gioi han",
    "han muc",
    "limit",
    "limits",
    "ceiling",
    "amount",
    "bn",
    "bn tien",
    "ty le",
    "phan tram",
    "percent",
    "percentage",
    "rate",
    "rates",
    "share",
    "chiem",
    "bao lau",
    "how long",
    "may nam",
    "may thang",
  ],
  /** How long ("bao lâu", "mấy ngày"): the answer is a duration. */
  duration: [
    "bao lau",
    "how long",
    "may nam",
    "may thang",
    "may ngay",
    "bao nhieu ngay",
    "bao nhieu nam",
    "bao nhieu thang",
    "how many days",
    "how many years",
    "how many months",
  ],
  /** Greetings and thanks with no question in them. */
  smallTalk: [
    "xin chao",
    "chao",
    "chao ban",
    "chao bot",
    "chao anh",
    "chao chi",
    "chao em",
    "hello",
    "hi",
    "hey",
    "alo",
    "cam on",
    "thank",
    "thanks",
    "ok",
    "oke",
    "good morning",
    "good afternoon",
  ],
} as const;

/**
 * Offers alternatives ("DN nhỏ hay siêu nhỏ?", "tòa huyện hay tòa tỉnh?", "A or B"), over folded words: each may be
 * its own sibling clause. "có … hay không", "hay chưa" ask yes or no.
 */
export const ALTERNATIVES_ASK = /(?:^| )(?:hay|hoac|or) (?!(?:khong|ko|k|chua|not|nhat)(?: |$))[a-z0-9]/;

/** "Điều kiện để được hỗ trợ là gì?", "cần tiêu chí nào": conditions are asked as the list that states them (folded). */
export const CONDITIONS_ASK = /(?:^| )(?:dieu kien|tieu chi)(?: [a-z]+){0,8} (?:gi|nao|j)(?: |$)/;

/** Words that point at a province's own plans without naming them (the profile adds the province's names). */
export const LOCAL_WORDS = ["tinh", "cua tinh", "dia phuong", "ubnd tinh", "uy ban nhan dan tinh", "province", "provincial"];

/** Words that keep a short greeting-like message a real question ("chào, hạn báo cáo khi nào?"). */
export const TOPIC_WORDS_IN_SMALL_TALK = ["bao cao", "ho tro", "ke hoach", "nhiem vu", "khi nao", "ai"];

/**
 * Asks to whom a document was sent, its distribution list ("Nơi nhận"), over words (folded, spaced): "nơi nhận gồm
 * những ai", "văn bản đó gửi cho những nơi nào". Not "báo cáo gửi cho ai", which asks a reporting duty (`REPORT_WORD`).
 */
export const RECIPIENT_ASKS =
  /(?:^| )(?:noi nhan|recipients?|distribution list)(?: |$)|(?:^| )(?:ke hoach|van ban|nghi quyet|quyet dinh|nghi dinh|thong tu|cong van|plan|document)(?: [a-z0-9]+){0,3} (?:co )?(?:duoc )?gui (?:cho|den|toi)(?: [a-z0-9]+){0,2} (?:nhung|cac) (?:noi|don vi|co quan|ai)(?: |$)/;

/**
 * Asks a figure of what was actually done or exists now ("năm nay huyện được phân bổ bao nhiêu", "đã chi bao nhiêu",
 * "hiện có bao nhiêu doanh nghiệp", "how much has the province budgeted this year"), over words (folded, spaced).
 * Plans and rules state targets and norms; "hiện nay mức hỗ trợ là bao nhiêu" asks the rule in force and is not one.
 */
export const ACTUAL_FIGURE_ASKS = new RegExp(
  [
    "(?:^| )hien (?:dang )?co bao nhieu(?: |$)",
    "(?:^| )thuc te(?: [a-z0-9]+){0,8} bao nhieu(?: |$)",
    "(?:^| )(?:da|nam nay(?: [a-z0-9]+){0,4})(?: duoc| dc)? (?:chi|bo tri|phan bo|giai ngan|nhan duoc|nhan dc|thu hut duoc|cap duoc|cap dc)(?: [a-z0-9]+){0,6} bao nhieu(?: |$)",
    // Done by now: "năm nay tỉnh đã khen thưởng bao nhiêu …", "đã hỗ trợ bao nhiêu DN rồi".
    "(?:^| )(?:nam nay|nam ngoai|nam qua|den nay|tu dau nam|hien nay)(?: [a-z0-9]+){0,5} da(?: [a-z0-9]+){1,6} bao nhieu(?: |$)",
    // … ending the question: "đã hoạt động bao nhiêu năm rồi thì …" asks a condition.
    "(?:^| )da(?: [a-z0-9]+){1,6} bao nhieu(?: [a-z0-9]+){0,4} roi(?: (?:a|ad|vay|nhi|ha|chua|the|ban))*$",
    // Whether anyone has actually got it yet: "huyện mình có DN nào được nhận khoản hỗ trợ này chưa".
    "(?:^| )(?:da )?co (?:dn|doanh nghiep|startup|hop tac xa|htx|ai|don vi|to chuc|nguoi) nao(?: [a-z0-9]+){0,3} (?:duoc|dc|da) (?:nhan|huong|cap|ho tro|tham gia)(?: [a-z0-9]+){0,6} chua(?: (?:a|ad|vay|nhi|ha))?$",
    // What is on now: "hội chợ năm nay tổ chức ngày nào", "tỉnh đang mở tuyển chọn những đề tài nào".
    "(?:^| )nam nay(?: [a-z0-9]+){0,3} (?:to chuc|dien ra|khai mac) (?:vao )?(?:ngay nao|hom nao|bao gio|khi nao|ngay may)(?: |$)",
    "(?:^| )dang mo (?:tuyen chon|dang ky|dot|cuoc thi|xet chon)(?: |$)",
    // … in a year gone by: "năm 2024 tỉnh ươm tạo được bao nhiêu startup rồi".
    "(?:^| )nam (?:19|20)[0-9]{2}(?: [a-z0-9]+){1,6} bao nhieu(?: [a-z0-9]+){0,4} roi(?: (?:a|ad|vay|nhi|ha|chua|the|ban))*$",
    "(?:^| )how (?:much|many)(?: [a-z0-9]+){0,6} (?:has|have|did)(?: [a-z0-9]+){0,8} (?:this year|so far|to date|last year)(?: |$)",
  ].join("|"),
);
/**
 * Done in a year named bare ("năm 2024 sở nghiệm thu được bao nhiêu đề tài"): group 1 is the year, a figure of
 * what was done when that year has gone by (src/retrieve/query.ts). A target names its year with "đến", "trước" …
 * ("đến năm 2025 thu hút được bao nhiêu …"), a period with "giai đoạn", "từ".
 */
export const YEAR_DONE_ASKS =
  /(?:^| )(?<!(?:^| )(?:den|toi|truoc|doan|tu|trong) )nam ((?:19|20)[0-9]{2})(?: [a-z0-9]+){0,6} (?:duoc|dc) bao nhieu(?: |$)/;

/**
 * Asks the assistant to send a file, a form or a download link ("gửi em file word mẫu báo cáo", "cho xin link tải",
 * "send me the PDF"), over words (folded, spaced): the assistant answers in quotes and holds no files to send.
 */
export const FILE_ASKS = new RegExp(
  [
    // Sent to the asker ("gửi em …", "cho xin …"), not told of ("… rồi gửi file cho sếp").
    "(?:^| )(?<!(?:^| )(?:toi|minh|em|e|tui) )(?:gui|send|share|chia se)(?: cho)? (?:em|e|minh|toi|tui|giup|ho|me|us)(?: [a-z0-9]+){0,4} (?:file|tep|link|ban mem|ban word|ban pdf|duong dan)(?: |$)",
    "(?:^| )(?:cho xin|xin)(?: [a-z0-9]+){0,3} (?:file|tep|link|ban mem|ban word|ban pdf|duong dan)(?: |$)",
    "(?:^| )(?:file|tep) (?:word|pdf|excel|doc|docx|mem)(?: |$)",
    "(?:^| )(?:link(?: [a-z0-9]+){0,2} (?:tai|download)|(?:tai|download)(?: [a-z0-9]+){0,2} link)(?: |$)",
    "(?:^| )(?:send|email) (?:me|us)(?: [a-z0-9]+){0,3} (?:file|link|form|template|copy|pdf)(?: |$)",
  ].join("|"),
);
/** A report states what was done ("Báo cáo kết quả thực hiện …"), folded title. */
export const REPORT_TITLE = /^bao cao(?: |$)/;

/**
 * Asks the assistant's own opinion, judgement or forecast ("Theo bạn mục tiêu này có khả thi không?", "ad thấy thế
 * nào", "do you think …"), over words (folded, spaced). The documents state targets and rules; whether a target will be
 * met is no quote. "Theo bạn" alone is not enough ("theo bạn thì hạn nộp là ngày nào?" asks a fact), and "em nghĩ …" is
 * the asker's own view.
 */
export const OPINION_ASKS = new RegExp(
  [
    "(?:^| )(?:ban|ad|admin|tro ly|bot) (?:co )?(?:nghi|danh gia)(?: |$)",
    "(?:^| )(?:ban|ad|admin|tro ly) thay(?: [a-z0-9]+){0,6} (?:the nao|sao)(?: |$)",
    // "ad thấy học ngành này ra trường có dễ xin việc không": a judgement asked of the assistant.
    "(?:^| )(?:ban|ad|admin|tro ly) thay(?: [a-z0-9]+){0,8} co (?:de|kho|tot|nen|hay|on)(?: [a-z0-9]+){0,5} (?:khong|ko|k|hok)(?: (?:a|ad|vay|nhi))?$",
    "(?:^| )y kien (?:cua |rieng cua )?(?:ban|ad|admin|tro ly)(?: |$)",
    "(?:^| )theo (?:ban|ad|admin|tro ly)(?! an )(?: .*)? (?:kha thi|co nen|nen khong|hop ly|dung dan|dat duoc|dat dc|co kip|thanh cong|hieu qua)(?: |$)",
    "(?:^| )(?:do you think|in your opinion|your opinion|your view|is it (?:feasible|realistic|achievable))(?: |$)",
  ].join("|"),
);

/**
 * Requests to reveal secrets or configuration, or to override instructions (diacritic-free). A refusal is
 * cheaper than a leak, so this errs on the side of refusing.
 */
export const INJECTION_PATTERN = new RegExp(
  [
    "\\btoken\\b",
    "api[ _-]?key",
    "mat khau",
    "password",
    "\\bsecret",
    "bien moi truong",
    "environment variable",
    "\\.env\\b",
    "process\\.env",
    "system prompt",
    "prompt he thong",
    "chi dan he thong",
    "bo qua (tat ca |cac |moi |nhung )?(huong dan|chi dan|lenh|quy tac|yeu cau)",
    "quen (het |di )?(huong dan|chi dan)",
    "ignore (all |the |any |previous |prior |your |above )",
    "disregard",
    "jailbreak",
    "developer mode",
    "cau hinh (he thong|bot|may chu|server)",
    "\\bconfig(uration)?\\b",
    "reveal",
    "in ra (toan bo|tat ca) (cau hinh|bien)",
  ].join("|"),
);

/**
 * Dates and periods as documents write them, most specific first ("trước ngày 30/11/2025" before "hằng năm"); a
 * date that recurs ("ngày 18 tháng 5 hằng năm") is said without its "ngày", so it leads as a date.
 */
export const DATE_PHRASE =
  /((?<=ngày )\d{1,2} tháng \d{1,2} (?:hằng|hàng) năm|(?:trước|chậm nhất là|chậm nhất|đến|từ|trong) (?:ngày|tháng) \d{1,2}\/\d{1,2}(?:\/\d{2,4})?|(?:trước|chậm nhất là|chậm nhất|đến|từ) ngày \d{1,2} tháng \d{1,2}(?: năm \d{4})?|\d{1,2}\/\d{1,2}\/\d{4}|(?:trước|trong|từ|đến) tháng \d{1,2}\/\d{4}|quý [IV]+\/\d{4}|(?:trước|đến|trong) (?:năm|quý) [\dIV]+|trong (?:vòng |thời hạn )?\d+ (?:ngày|tháng)(?: làm việc)?|\d+ (?:ngày|tháng) (?:kể từ|trước)|định kỳ (?:hàng|hằng) (?:năm|quý|tháng)|định kỳ \d+ tháng|hằng năm|hàng năm|hằng quý|hàng quý|khi có yêu cầu|đến năm \d{4})/giu;

/** Any date or period wording, for ranking sections that state one. */
export const DATE_HINT =
  /\b\d{1,2}\/\d{1,2}\b|định kỳ|hằng năm|hàng năm|hằng quý|trước ngày|thời hạn|\d+ (?:ngày|tháng)\b|trong (?:tháng \d{1,2}|năm \d{4}|quý [IV\d]+)\b/u;

/** A date written out ("ngày 16 tháng 5 năm 2024", "tháng 01 năm 2025"): its numbers are no amount or duration. */
export const WRITTEN_DATE = /(?:ngày\s+\d{1,2}\s+)?tháng\s+\d{1,2}\s+năm\s+\d{4}|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}/giu;

/** What a term is or means ("X là gì?", "thế nào là X", "định nghĩa", "what is X"), diacritic-free. */
export const DEFINITION_ASKS = [
  "la gi",
  "la j",
  "the nao la",
  "dinh nghia",
  "khai niem",
  "duoc hieu la",
  "duoc hieu nhu the nao",
  "nghia la gi",
  "co nghia la",
  "what is",
  "what are",
  "what does",
  "meaning of",
  "define",
  "definition",
];

/** "Ngày bao nhiêu?", "năm mấy?" ask a date, not an amount (folded words). */
export const DATE_ASKS = / (?:ngay|thang|nam) (?:bao nhieu|may)(?= )/g;

/** A word typed with diacritics that folds to an amount cue but asks none: "mục" ("mục đích", "mục tiêu") is not "mức". */
export const NOT_AMOUNT_AS_TYPED = /(?<!\p{L})mục(?!\p{L})/giu;

/** A rate per period ("bao nhiêu %/năm", "bn % mỗi tháng", "% a year"): it asks a share, not how long. */
export const RATE_PER_PERIOD = /%\s*(?:\/|một|mot|mỗi|moi|per|a)\s*(?:năm|nam|tháng|thang|year|month)(?!\p{L})/iu;

/** Amounts, shares and caps ("tối đa 50%", "không quá 5 triệu đồng/tháng/doanh nghiệp", "03 năm"). */
export const AMOUNT_PHRASE =
  /((?:tối đa|không quá|không vượt quá|tới|đến|lên đến|ít nhất|tối thiểu|khoảng|đạt|chiếm)?\s?(?:là )?\d+(?:[.,]\d+)*\s?(?:%|phần trăm|triệu đồng|tỷ đồng|nghìn tỷ đồng|đồng|lần|năm|tháng|ngày)(?:\/\p{L}+(?:\s\p{L}+){0,2}?(?=[,.;)/]|\s(?!\p{Ll})|$))*)/giu;

const CONTACT_WORDS =
  "(?:so dien thoai|dien thoai|sdt|hotline|duong day nong|email|dia chi email|dia chi|website|trang web|phone number|phone|street address|address)";
/**
 * Asks for contact details — a phone number, an address, a mailbox or a site — over words (folded, spaced): requested
 * ("cho mình xin sđt …", "give me the email address …") or asked what it is ("số điện thoại … là số nào?"). A contact word
 * told of ("chủ cũ không có số điện thoại liên lạc", "lấy điện thoại quay phim") asks for none.
 */
export const CONTACT_ASKS = new RegExp(
  [
    `(?:^| )(?:xin|hoi|cho biet|give me|send me|what is|what s|provide)(?: [a-z0-9]+){0,3} ${CONTACT_WORDS}(?: |$)`,
    `(?:^| )${CONTACT_WORDS}(?: [a-z0-9]+){0,14} (?:la gi|la so nao|la bao nhieu|la bn|so nao)(?: |$)`,
  ].join("|"),
);
/**
 * Asks who holds an office by name ("Giám đốc Sở … là ai?", "ai là chủ tịch …"): both an office word and a "who"
 * cue (folded words). Plans and statutes name offices, rarely the people in them.
 */
export const OFFICE_WORDS = [
  "giam doc",
  "chu tich",
  "bo truong",
  "thu truong",
  "truong phong",
  "truong ban",
  "bi thu",
  "hieu truong",
  "vien truong",
  "cuc truong",
  "chanh van phong",
  "nguoi dung dau",
];
export const PERSON_ASKS = ["la ai", "ai la", "ten gi", "ten la gi", "ho ten", "who is"];

/** Words that ask for an amount right after what is measured ("doanh thu tăng trưởng bao nhiêu"), as folded tokens. */
export const AMOUNT_ASKS = ["bao nhieu", "toi da bao nhieu", "how much", "how many"].map((p) => p.split(" "));

/** A duration ("14 ngày làm việc", "không quá 05 năm"), for ranking sections that state one. */
export const DURATION_HINT = /\d+ (?:ngày|tháng|năm)(?! \d)/u;

/** Any money or share wording, for ranking sections that state one. */
/**
 * A reference to another part of the same article ("hồ sơ quy định tại điểm b khoản này", "tại khoản 2 Điều này",
 * "điểm a khoản 1 Điều này"): groups 1 the point, 2 the clause ("này": the quote's own clause).
 */
export const SAME_ARTICLE_REFERENCE =
  /(?<!\p{L})(?:quy định tại|nêu tại|theo)\s+(?:điểm\s+([a-zđ])\s+)?khoản\s+(này|\d+)(?:\s+Điều\s+này)?/iu;
/** A text that states or introduces a list ("hồ sơ bao gồm: …", "gồm các giấy tờ sau:"). */
export const LIST_HINT = /(?<!\p{L})(?:bao gồm|gồm)(?!\p{L})|sau đây\s*:|:\s*$/u;
export const AMOUNT_HINT = /triệu đồng|tỷ đồng|\d+\s?%|tối đa|không quá/u;

/** Head nouns that open an agency's name in Vietnamese administrative texts. */
export const AGENCY_HEADS = [
  "Sở",
  "Ủy ban nhân dân",
  "UBND",
  "Các Sở",
  "Các cơ quan",
  "Hiệp hội",
  "Báo",
  "Đài",
  "Bộ",
  "Ban",
  "Văn phòng",
  "Đảng đoàn",
  "Mặt trận",
  "Ủy ban",
  "Liên hiệp",
  "Hội",
  "Tỉnh đoàn",
  "Chính phủ",
  "Thủ tướng",
  "Cơ quan",
  "Công an",
  "Kho bạc",
  "Ngân hàng",
  "Trường",
  "Viện",
  "Trung tâm",
  "Cục",
  "Chi cục",
];

/**
 * Diacritic-free head nouns of agency names: a document name right after one is part of the agency's name
 * ("Bộ Kế hoạch và Đầu tư" does not name a "kế hoạch").
 */
export const AGENCY_HEAD_WORDS = ["so", "bo", "ban", "cuc", "vu", "phong", "ministry", "department"];

/** Verbs that follow the agency a duty is given to ("Sở X chủ trì, phối hợp …"). */
export const DUTY_VERBS = [
  "chủ trì",
  "phối hợp",
  "theo chức năng",
  "chủ động",
  "thúc đẩy",
  "tham mưu",
  "có trách nhiệm",
  "chịu trách nhiệm",
  "lãnh đạo",
  "chỉ đạo",
  "thực hiện",
  "báo cáo",
  "triển khai",
  "hướng dẫn",
  "tổng hợp",
  "xây dựng",
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Words that, right after a head noun, make an ordinary noun rather than an agency: "Trường hợp" (case) is not a
 * school, "Báo cáo" (report) not a newspaper, "Ban hành" (issue) not a board, "Hội nghị" (conference) not an
 * association.
 */
export const NOT_AGENCY_AFTER_HEAD = ["hợp", "cáo", "hành", "nghị", "thảo", "chợ", "quan nào", "sở nào", "bộ nào"];

/** A head noun opening an agency's name: a whole word, not the start of one of the ordinary nouns above. */
const AGENCY_HEAD = `(?:${AGENCY_HEADS.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])(?!\\s+(?:${NOT_AGENCY_AFTER_HEAD.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}]))`;

/** "<agency> chủ trì …" at the start of a duty sentence: group 1 is the agency. */
export const AGENCY_SUBJECT = new RegExp(
  `^((?:Thủ trưởng |Chủ tịch |Giám đốc )?${AGENCY_HEAD}[^;:.]{0,140}?)\\s+(?:${DUTY_VERBS.map(escapeRegExp).join("|")})`,
  "u",
);

/** Verbs of an act done by the agency a passive sentence names ("… do Bộ trưởng Bộ X cấp"). */
export const AGENT_VERBS = ["cấp", "quyết định", "phê duyệt", "ban hành", "thành lập", "công nhận", "thẩm định", "cấp phép", "tổ chức"];

/** "… do <agency> cấp / phê duyệt …" anywhere in a sentence: group 1 is the agency that does it. */
export const AGENCY_AGENT = new RegExp(
  `(?<![\\p{L}])do\\s+((?:Thủ trưởng |Chủ tịch |Giám đốc )?${AGENCY_HEAD}[^;:.,]{0,120}?)\\s+(?:${[...AGENT_VERBS, ...DUTY_VERBS].map(escapeRegExp).join("|")})(?![\\p{L}])`,
  "u",
);

/** The words before an agency in a heading that gives it its tasks ("Trách nhiệm của …", "Đề nghị …", "Đối với …"). */
const DOER_PREFIX = "(?:Đề nghị |Đối với |(?:Trách nhiệm|Nhiệm vụ)(?:, quyền hạn)? của )";

/** A heading that gives an agency its tasks ("Trách nhiệm của Bộ Tài chính", "Đề nghị Ủy ban Mặt trận …"). */
export const DOER_HEADING = new RegExp(`^${DOER_PREFIX}`, "u");

/**
 * A heading that names the subject of the text under it: an agency ("1. Sở Khoa học và Công nghệ", "Đề nghị Ủy ban
 * Mặt trận …"), a programme or project, or a target period ("a) Đến năm 2027").
 */
export const SUBJECT_HEADING = new RegExp(
  `^(?:${DOER_PREFIX}?(?:Các |các |Thủ trưởng )?(?:${AGENCY_HEADS.map(escapeRegExp).join("|")})\\s|(?:Chương trình|Đề án|Dự án|Chỉ tiêu)\\s|(?:Đến|Từ nay đến|Trong|Giai đoạn|Năm) (?:năm )?\\d{4})`,
  "u",
);

/**
 * A subject heading that names an agency: group 1 is the agency ("Đề nghị Ủy ban Mặt trận …", "Đối với Sở Tài chính",
 * "Trách nhiệm của Sở Y tế" → the name).
 */
export const AGENCY_HEADING = new RegExp(
  `^${DOER_PREFIX}?((?:Các |các |Thủ trưởng )?(?:${AGENCY_HEADS.map(escapeRegExp).join("|")})\\s.*)$`,
  "u",
);

/** Header cells of a task table (diacritic-free): the task, the agency, the time and the row-number columns. */
export const TABLE_COLUMNS = {
  task: /^(?:ten )?(?:nhiem vu|noi dung|cong viec|hoat dong|nhiem vu, giai phap)\b/,
  agency: /chu tri|co quan|don vi|phu trach|phoi hop/,
  lead: /chu tri|phu trach|don vi thuc hien|co quan thuc hien/,
  time: /thoi gian|thoi han|tien do|han hoan thanh/,
  number: /^(?:s?tt|so tt|so thu tu)$/,
};

/** Whether a folded, space-normalised text contains one of the cue phrases as whole words. */
export function cueIn(folded: string, cues: readonly string[]): boolean {
  const padded = ` ${folded} `;
  return cues.some((c) => padded.includes(` ${c} `));
}

// Duty questions (src/duties): matched on diacritic-free words padded with spaces.

/** A reporting question names a report … */
export const REPORT_WORD = / bao cao | report| reporting /;

/** … and asks who, to whom, when or how (words padded with spaces, diacritic-free). */
export const REPORT_CUE =
  / (ai|cho ai|ve dau|gui dau|gui ai|o dau|noi nao|co quan nao|so nao|khi nao|bao gio|luc nao|ngay nao|han|thoi han|han chot|the nao|ra sao|nhu the nao|che do|quy trinh|dinh ky|truoc ngay|gui ve|gui cho|nop|khong|whom|who|when|where|how|chain) /;

/**
 * After an agency's name: what it must do ("Sở X phải làm gì", "nhiệm vụ"). English "do" only in an English question
 * (`ENGLISH_DO`): "Sở đó" typed without diacritics is "so do".
 */
export const DUTY_CUE_AFTER =
  / (?:lam gi|lam nhung gi|lam viec gi|thuc hien gi|thuc hien nhung gi|nhiem vu|trach nhiem|vai tro|cong viec|phan cong|duoc giao|phai lam|can lam|chu tri|phoi hop|tham muu|must|should|duties|duty|responsibilities|responsibility|tasks|task|role) /;
/** "What must the Department of Finance do?": a duty cue when the question is English (`ENGLISH_MARKERS`). */
export const ENGLISH_DO = / do /;
/** English words no Vietnamese syllable typed without diacritics spells ("the" is "thế", "can" is "cần"). */
export const ENGLISH_MARKERS = new Set([
  "what",
  "which",
  "who",
  "how",
  "does",
  "did",
  "is",
  "are",
  "was",
  "were",
  "about",
  "and",
  "when",
  "where",
  "why",
  "should",
  "must",
  "of",
  "for",
  "their",
  "they",
]);

/** "X phải xây dựng kế hoạch gì?", "X và Y tham gia thế nào?" */
export const DUTY_CUE_LOOSE =
  / (?:(?:phai|can|duoc giao) (?:\S+ ){1,6}(?:gi|nao|nhung gi)|(?:tham gia|lam|thuc hien|phoi hop) (?:the nao|nhu the nao|ra sao)) /;

/** Before an agency's name: "nhiệm vụ của …", "duties of …". */
export const DUTY_CUE_BEFORE =
  / (nhiem vu|trach nhiem|vai tro|cong viec|viec|duties|responsibilities|tasks|role) (cua|danh cho|giao cho|cho|of|for)? ?(the )?$/;

/** "sở nào", "cơ quan nào", "đơn vị gì": a question word, not an agency. */
export const QUESTION_AFTER = /^ (nao|gi|ai|nao khac|gi khac) /;

/** "Ngoài Sở KH&CN thì …", "trừ Sở Tài chính", "không kể …": the agency is excluded. */
export const EXCLUDE_BEFORE = /(?: ngoai| tru| khong ke| khong tinh| except| besides| other than)(?: (?:cac|nhung))? $/;

/**
 * "kế hoạch của UBND tỉnh", "Kết luận 69 của Bộ Chính trị", "Kế hoạch triển khai Chương trình 14 của UBND tỉnh", "nghị quyết
 * do HĐND tỉnh ban hành": the agency issued the document the question points at; it is not the one asked about ("kế
 * hoạch về nhiệm vụ của Sở X" asks about Sở X: duty words between the document and "của" keep it asked).
 */
export const ISSUER_BEFORE =
  / (?:ke hoach|ket luan|nghi quyet|nghi dinh|chuong trinh|quyet dinh|van ban|de an|thong tu|chi thi|cong van|plan|programme|program|resolution|decree)(?: (?!(?:ve|gi|nhiem|trach|viec|vai|cho|giao|about|for)\b)[a-z0-9/-]+){0,4} (?:cua|do|of|by|from) (?:the )?$/;

/** "ở huyện Hòa Sơn", "tại Bắc Lâm", "in Tan An": a place named after these is where the asker is, not an agency asked about. */
export const LOCATION_BEFORE = / (?:o|tai|in|at|from)$/;

// Question structure (src/retrieve, src/answer).

/** "Ngoài Sở X, …", "Trừ …, còn …", "except …": group 1 is what is excluded, group 2 what is asked. */
export const EXCLUSION =
  /^(?:ngoài|ngoai|trừ|tru|except|besides|apart from|other than)\s+([^,?]{2,80}?)\s*(?:,|thì|thi)\s*(?:thì\s+|thi\s+|còn\s+|con\s+)?(.+)$/iu;

/** Interrogatives (diacritic-free): a part of a question must ask something to stand on its own. */
export const ASKS =
  /(^| )(bao nhieu|nao|gi|ai|dau|khong|sao|bao lau|bao gio|may ngay|may nam|may thang|what|which|who|when|how|where|whom)( |$)/;

/** The same, as typed with diacritics: "đầu tư" holds no "đâu", "giao" no "gì". */
export const ASKS_MARKED = /(^| )(bao nhiêu|nào|gì|ai|đâu|không|sao|bao lâu|bao giờ|mấy|what|which|who|when|how|where|whom)( |$)/u;

/** "… nói gì về A và về B?": one ask over two topics, each introduced by the same "về"/"about". */
export const COORDINATED_TOPICS = /^(.*?\s(?:về|ve|about)\s+)(.+?)\s+(?:và|va|and)\s+(?:về|ve|about)\s+(.+?)\s*\??$/iu;

/** A part that points back at the previous one ("chỉ tiêu đó", "quy định này", "it"): read with that part's topic. */
export const POINTS_BACK = /(?:^|\s)(?:đó|này|ấy|đấy|trên|it|that|this|these|those|them)(?=[\s?.,!]|$)/iu;

/** Words between two document names that coordinate them ("Luật … và Nghị định …"), diacritic-free. */
export const NAME_COORDINATORS = ["va", "and", "hoac", "or", "voi", "cung"];

/** Where a question splits into parts: "?", ", và …", "; còn …", ", sở nào …", "… và bao nhiêu …". */
export const PART_SPLIT =
  /\?\s+(?=\S)|[,;]\s*(?:và|còn|rồi|con|va|and)\s+|[,;]\s+(?=(?:sở|bộ|cơ quan|đơn vị|ai|hạn|thời hạn|mấy|may|bao lâu|bao lau|khi nào|khi nao)\s)|\s+(?:và|còn|and)\s+(?=(?:bao nhiêu|bộ nào|sở nào|cơ quan nào|đơn vị nào|ai|khi nào|hạn|hồ sơ|luật|báo cáo|how|when|who|which|what)\b)/giu;

/**
 * A law named by its title, capitalised as written ("Luật Đất đai", "Bộ luật Hình sự", "Pháp lệnh Ngoại hối"):
 * the kind, then a capitalised word and the words of the name, up to a word that starts the question again.
 */
export const LAW_NAME = /(?<!\p{L})((?:Bộ luật|Luật|Pháp lệnh) \p{Lu}[\p{L}&]*(?:,? \p{L}[\p{L}&]*){0,7})/gu;

/** Words that end a law's name inside a question ("Luật Đất đai quy định …", "… năm 2013", "… thì …"). */
export const LAW_NAME_ENDS = [
  "quy",
  "co",
  "ve",
  "thi",
  "nam",
  "dung",
  "duoc",
  "la",
  "nay",
  "cua",
  "theo",
  "khi",
  "cho",
  "ma",
  "doi",
  "neu",
  "tai",
  "de",
  "phai",
  "bi",
  "khong",
  "hien",
  "hay",
  "so",
];
