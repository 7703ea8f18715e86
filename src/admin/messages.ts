// Vietnamese text of chat and HTTP administration (corpus summaries themselves are in change-messages.ts).

export const adminMessages = {
  uploadRefused:
    "Xin lỗi, chỉ quản trị viên mới được gửi tệp để cập nhật kho văn bản. " +
    "Bạn có thể gõ câu hỏi bằng chữ, tôi sẽ trả lời kèm trích dẫn nguyên văn.",
  received: (name: string) => `Đã nhận tệp «${name}». Đang chuyển đổi, dựng và kiểm tra chỉ mục mới… (thường dưới một phút)`,
  reindexing: "Đang dựng lại chỉ mục và kiểm tra bằng câu hỏi thử…",
  rollingBack: "Đang khôi phục phiên bản trước…",
  working: "Đang cập nhật kho văn bản…",
  downloadFailed: (name: string) => `Không tải được tệp «${name}» từ máy chủ nhắn tin. Vui lòng gửi lại.`,
  failed: "Xin lỗi, thay đổi chưa thực hiện được do lỗi hệ thống. Kho văn bản giữ nguyên. Vui lòng thử lại sau.",
  usage: {
    xoa: "Cách dùng: /xoa <mã văn bản>. Xem mã bằng /nguon.",
    hieuluc: "Cách dùng: /hieuluc <mã> in_force|superseded|unknown [--by <mã văn bản thay thế>]",
    sua: 'Cách dùng: /sua <mã> --title "…" --short-title "…" --number … --date dd/mm/yyyy --issuer "…" --role primary|reference',
  },
  versionsHint: "Khôi phục: /khoiphuc (phiên bản liền trước) hoặc /khoiphuc <phiên bản>.",
  noToken: "Chưa cấu hình ADMIN_TOKEN nên các địa chỉ quản trị đang tắt.",
  unauthorized: "Cần mã quản trị hợp lệ (tiêu đề Authorization: Bearer <ADMIN_TOKEN>).",
  missingFile: "Thiếu tệp: gửi nội dung tệp trong thân yêu cầu kèm ?filename=<tên tệp>, hoặc dạng multipart/form-data với trường «file».",
  badBody: "Dữ liệu gửi lên không hợp lệ.",
  notFound: "Không có địa chỉ quản trị này.",
};

export const adminCommandDescriptions = {
  reindex: "Quản trị: dựng lại chỉ mục",
  phienban: "Quản trị: các phiên bản chỉ mục",
  khoiphuc: "Quản trị: quay lại phiên bản trước",
  xoa: "Quản trị: xóa văn bản: /xoa <mã>",
  hieuluc: "Quản trị: đổi tình trạng hiệu lực",
  sua: "Quản trị: sửa thông tin văn bản",
};
