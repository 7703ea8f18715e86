// `npm run admin-user -- add NAME | remove NAME | list`: per-person accounts of the staff console, kept in
// ADMIN_USERS_FILE as scrypt hashes (never the password). The password is read from stdin (one line; typed at a
// terminal or piped: `echo "$PW" | npm run admin-user -- add lan`), so it stays out of the shell history.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline/promises";
import { loadConfig } from "../config.js";
import { hashPassword, readUsersFile, usersFileSchema, type UsersFile } from "../console/auth.js";

const USAGE = `Cách dùng: npm run admin-user -- <lệnh>

  add TÊN       tạo hoặc đổi mật khẩu tài khoản (mật khẩu đọc từ bàn phím hoặc stdin)
  remove TÊN    xóa tài khoản
  list          danh sách tài khoản

Tệp tài khoản: biến môi trường ADMIN_USERS_FILE (JSON, mật khẩu lưu dạng băm scrypt).`;

async function readPassword(): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined, terminal: false });
  try {
    if (process.stdin.isTTY) process.stderr.write("Mật khẩu (ít nhất 10 ký tự): ");
    for await (const line of rl) return line;
    return "";
  } finally {
    rl.close();
  }
}

function writeUsers(file: string, users: UsersFile): void {
  usersFileSchema.parse(users);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  // Readable by the server's user only: hashes still allow offline guessing.
  fs.writeFileSync(tmp, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

async function main(argv: string[]): Promise<number> {
  const file = loadConfig().ADMIN_USERS_FILE;
  const [command, name] = argv;
  if (!file) {
    process.stderr.write("Lỗi: chưa đặt ADMIN_USERS_FILE (đường dẫn tệp tài khoản).\n");
    return 2;
  }
  const users = readUsersFile(file);
  if (command === "list") {
    process.stdout.write(users.users.map((u) => u.name).join("\n") + (users.users.length ? "\n" : "(chưa có tài khoản)\n"));
    return 0;
  }
  if ((command !== "add" && command !== "remove") || !name || !/^[\p{L}\p{N}._-]{1,40}$/u.test(name)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const others = users.users.filter((u) => u.name !== name);
  if (command === "remove") {
    writeUsers(file, { users: others });
    process.stdout.write(others.length < users.users.length ? `Đã xóa tài khoản «${name}».\n` : `Không có tài khoản «${name}».\n`);
    return 0;
  }
  const password = await readPassword();
  if (password.length < 10) {
    process.stderr.write("Lỗi: mật khẩu phải có ít nhất 10 ký tự.\n");
    return 2;
  }
  writeUsers(file, { users: [...others, { name, hash: hashPassword(password) }] });
  process.stdout.write(`Đã lưu tài khoản «${name}» vào ${file}.\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Lỗi: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(3);
  },
);
