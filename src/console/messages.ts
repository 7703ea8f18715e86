// Vietnamese texts of the staff console API.
export const consoleMessages = {
  failed: "Có lỗi hệ thống khi xử lý yêu cầu. Vui lòng thử lại sau.",
  notFound: "Không có chức năng này.",
  badBody: "Dữ liệu gửi lên không hợp lệ.",
  badCookie: "Cookie phiên đăng nhập không hợp lệ. Hãy xóa cookie của trang này rồi đăng nhập lại.",
  tooLarge: (mb: string) => `Tệp vượt giới hạn ${mb}. Hãy gửi bản nhỏ hơn.`,
  throttled: (minutes: number) => `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng ${minutes} phút.`,
  noAccounts: "Trang quản trị chưa được bật: cần đặt ADMIN_TOKEN hoặc ADMIN_USERS_FILE trên máy chủ.",
  badCredentials: "Tên đăng nhập hoặc mật khẩu (mã quản trị) không đúng.",
  signInFirst: "Phiên làm việc đã hết hoặc chưa đăng nhập. Vui lòng đăng nhập lại.",
  csrf: "Yêu cầu thay đổi thiếu mã xác thực phiên (CSRF) nên bị từ chối. Hãy tải lại trang rồi thử lại.",
  missingFile: "Chưa chọn tệp để tải lên.",
  stagedGone: "Bản xem trước này không còn (đã xác nhận, đã hủy hoặc quá 30 phút). Hãy tải tệp lên lại.",
  emptyQuestion: "Hãy nhập câu hỏi để thử.",
  zaloOaReauthorize: (reauthorize: string) =>
    `Kênh Zalo OA đã ngừng trả lời: ${reauthorize}. Hãy cấp quyền lại cho ứng dụng trên trang Zalo for Developers, ` +
    "đặt mã làm mới (refresh token) mới vào biến ZALO_OA_REFRESH_TOKEN rồi khởi động lại máy chủ.",
};
