// `npm run admin-user`: accounts file with scrypt hashes, password from stdin, never stored in clear; and the
// corpus CLI's changes in the audit log under the operating-system user.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { auditFile, openAuditLog } from "../../src/admin/audit.js";
import { checkCredentials, readUsersFile } from "../../src/console/auth.js";
import { emptyDataDir, ROOT } from "../channels/helpers.js";

const run = (file: string, args: string[], input = "") =>
  spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "src/cli/admin-user.ts"), ...args], {
    input,
    env: { ...process.env, ADMIN_USERS_FILE: file },
    encoding: "utf8",
  });

describe("admin-user CLI", () => {
  it("adds an account from a piped password, lists and removes it", () => {
    const file = path.join(emptyDataDir(), "config", "users.json");
    const added = run(file, ["add", "lan"], "mật khẩu đủ dài 2026\n");
    expect(added.stdout).toContain("Đã lưu tài khoản «lan»");
    expect(fs.readFileSync(file, "utf8")).not.toContain("mật khẩu");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(checkCredentials("lan", "mật khẩu đủ dài 2026", { users: readUsersFile(file).users })).toBe("lan");

    expect(run(file, ["add", "minh"], "ngắn\n")).toMatchObject({ status: 2, stderr: "Lỗi: mật khẩu phải có ít nhất 10 ký tự.\n" });
    expect(run(file, ["list"]).stdout).toBe("lan\n");
    expect(run(file, ["remove", "lan"]).stdout).toBe("Đã xóa tài khoản «lan».\n");
    expect(readUsersFile(file).users).toEqual([]);
  });

  it("records a change refused by the corpus CLI as the operating-system user's", async () => {
    const dir = emptyDataDir();
    fs.cpSync(path.join(ROOT, "test/console/fixtures/corpus"), path.join(dir, "corpus"), { recursive: true });
    const cli = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "src/cli/corpus.ts"), "remove", "khong-co"],
      {
        env: { ...process.env, CORPUS_DIR: path.join(dir, "corpus"), DATA_DIR: path.join(dir, "data") },
        encoding: "utf8",
      },
    );
    expect(cli.status).toBe(2);
    const audit = openAuditLog(auditFile(path.join(dir, "data")));
    expect((await audit.list())[0]).toMatchObject({
      who: os.userInfo().username,
      channel: "cli",
      action: "remove",
      target: "khong-co",
      outcome: "refused",
    });
    audit.close();
  });
});
