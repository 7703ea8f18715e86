// Every user-facing sentence of the conversation layer (Vietnamese, with diacritics).
import type { DocumentMeta, DocumentStatus } from "../types.js";

const num = (n: number) => n.toLocaleString("vi-VN");

export const messages = {
  /** `subject`: what the assistant knows, from the corpus profile ("Kế hoạch … và các văn bản liên quan"). */
  welcome: (subject: string) =>
    `Xin chào! Tôi là trợ lý hỏi đáp về ${subject}.\n\n` +
    "Tôi trả lời bằng cách trích nguyên văn câu trong văn bản và ghi rõ nguồn (văn bản, mục). " +
    "Nếu văn bản không đề cập, tôi sẽ nói rõ là không tìm thấy.\n\n" +
    "Bạn có thể hỏi, ví dụ:",
  help: (commands: Array<{ name: string; description: string }>) =>
    [
      "Cách dùng: gửi câu hỏi bằng tiếng Việt (có hoặc không dấu), tôi sẽ trả lời kèm trích dẫn nguyên văn.",
      "",
      "Các lệnh:",
      ...commands.map((c) => `/${c.name} — ${c.description}`),
    ].join("\n"),
  groupHint: "Trong nhóm, hãy nhắc đến tôi (@tên_bot) hoặc trả lời tin nhắn của tôi để đặt câu hỏi.",
  documentsHeader: "Các văn bản tôi dùng để trả lời:",
  noDocuments: "Chưa có văn bản nào được nạp.",
  tooLong: (length: number, max: number) =>
    `Câu hỏi dài ${num(length)} ký tự, vượt quá giới hạn ${num(max)} ký tự. Vui lòng rút gọn câu hỏi rồi gửi lại.`,
  tooLongOver: (max: number) => `Câu hỏi dài hơn giới hạn ${num(max)} ký tự. Vui lòng rút gọn câu hỏi rồi gửi lại.`,
  empty: "Vui lòng nhập câu hỏi.",
  rateLimited: (limit: number, seconds: number) =>
    `Bạn đã gửi quá ${num(limit)} câu hỏi trong một phút. Vui lòng đợi khoảng ${num(seconds)} giây rồi hỏi tiếp. Xin cảm ơn!`,
  addressRateLimited: (seconds: number) =>
    `Có quá nhiều câu hỏi từ cùng một mạng (cùng địa chỉ) trong một phút. Vui lòng đợi khoảng ${num(seconds)} giây rồi hỏi tiếp. Xin cảm ơn!`,
  failed: "Xin lỗi, hệ thống đang gặp sự cố nên chưa trả lời được. Vui lòng thử lại sau ít phút.",
  unknownCommand: (name: string) => `Không có lệnh /${name}. Gõ /help để xem các lệnh, hoặc gửi câu hỏi trực tiếp.`,
  adminOnly: "Lệnh này chỉ dành cho quản trị viên.",
  textOnly: "Hiện tôi chỉ đọc được tin nhắn văn bản. Vui lòng gõ câu hỏi.",
  voteThanks: "Cảm ơn bạn đã góp ý!",
  expired: "Không tìm thấy câu trả lời này nữa. Vui lòng hỏi lại.",
  sourceMissing: "Không tìm thấy mục văn bản này (có thể văn bản đã được cập nhật).",
  showSourceUsage: (count: number) =>
    count > 0
      ? `Gõ /xem kèm số thứ tự mục được trích dẫn (từ 1 đến ${num(count)}), ví dụ: /xem 1`
      : "Chưa có câu trả lời nào có trích dẫn để xem. Hãy đặt câu hỏi trước.",
  citationsHeader: "Nguồn trích dẫn:",
  showSourceHeader: "Xem toàn văn mục được trích dẫn (gõ lệnh):",
  sourceHeader: "Toàn văn mục được trích dẫn",
  sourceNote: "Ghi chú",
  sourceTruncated: "Mục này còn các nội dung tiếp theo; vui lòng xem văn bản gốc.",
  readAs: (question: string) => `Câu hỏi được hiểu là: «${question}»`,
  moreButton: "➕ Xem thêm",
  moreHint: "Gõ /them để xem thêm các nội dung liên quan khác.",
  moreHeader: "Xem thêm",
  noMore: "Câu trả lời gần nhất không có nội dung bổ sung. Hãy đặt câu hỏi trước.",
  newConversation: "Đã bắt đầu cuộc trò chuyện mới: câu hỏi tiếp theo sẽ không dựa vào các câu hỏi trước.",
};

/** Command descriptions shown by /help (and registered with Telegram's menu). */
export const commandDescriptions = {
  start: "Giới thiệu và câu hỏi mẫu",
  help: "Hướng dẫn sử dụng",
  nguon: "Danh sách văn bản nguồn",
  xem: "Xem toàn văn mục được trích dẫn: /xem <số>",
  them: "Xem thêm phần còn lại của câu trả lời gần nhất",
  moi: "Bắt đầu cuộc trò chuyện mới (không dựa vào câu hỏi trước)",
};

const statusText: Record<DocumentStatus, string> = {
  in_force: "còn hiệu lực",
  superseded: "đã được thay thế",
  unknown: "chưa rõ hiệu lực",
};

/** "ngày 16/5/2024" from "2024-05-16" (Vietnamese style, no leading zeros). */
export function vietnameseDate(iso: string | null): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])}/${Number(m[2])}/${m[1]}`;
}

/** The document facts shown by /nguon, as label/value parts so channels can style them. */
export function documentFacts(d: DocumentMeta, all: DocumentMeta[] = []): { title: string; details: string } {
  const parts = [
    `Số hiệu: ${d.number ?? "chưa rõ"}`,
    `Ngày ban hành: ${vietnameseDate(d.date) ?? "chưa rõ"}`,
    `Tình trạng: ${statusText[d.status]}`,
  ];
  if (d.status === "superseded" && d.supersededBy) {
    const by = all.find((x) => x.id === d.supersededBy);
    parts[2] += ` bởi ${by?.shortTitle ?? d.supersededBy}`;
  }
  return { title: d.shortTitle, details: parts.join(" · ") };
}
