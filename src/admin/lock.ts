// One corpus change at a time: a lock file naming its pid; a lock whose process is gone is taken over.
import fs from "node:fs";
import { CorpusError, noSpaceRefusal } from "../corpus/ingest/errors.js";
import { isAlive } from "../process.js";
import { lockPath } from "./files.js";

export interface LockInfo {
  pid: number;
  action: string;
  startedAt: string;
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

function busy(held: LockInfo, file: string): CorpusError {
  const since = new Date(held.startedAt).toLocaleTimeString("vi-VN");
  return new CorpusError(
    "busy",
    `Đang có một thay đổi khác với kho văn bản (${held.action}, tiến trình ${held.pid}, bắt đầu lúc ${since}). ` +
      `Vui lòng đợi xong rồi thử lại. (Nếu chắc chắn không còn tiến trình đó, xóa tệp ${file}.)`,
    `corpus is locked by pid ${held.pid} (${held.action})`,
  );
}

/**
 * Create the lock file exclusively; null when it exists already. A lock created but not written (disk full) is
 * removed at once: an empty lock left behind would refuse every change until it ages out.
 */
function tryCreate(dataDir: string, file: string, info: LockInfo): (() => void) | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw noSpaceRefusal(err);
    return null;
  }
  try {
    fs.writeSync(fd, JSON.stringify(info));
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw noSpaceRefusal(err);
  } finally {
    fs.closeSync(fd);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (readLock(dataDir)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}

/** Take the corpus lock or throw CorpusError("busy"); a lock whose process is gone is taken over. */
export function acquireLock(dataDir: string, action: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, action, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    const release = tryCreate(dataDir, file, info);
    if (release) return release;
    const held = readLock(dataDir);
    const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    // Unreadable and fresh: its owner is still writing it.
    if (!held && age < 5000) break;
    if (held && isAlive(held.pid)) throw busy(held, file);
    // Stale: move it aside (only one contender wins the rename), then try again.
    try {
      fs.renameSync(file, `${file}.stale-${process.pid}`);
      fs.rmSync(`${file}.stale-${process.pid}`, { force: true });
    } catch {
      // another process took it over first
    }
  }
  throw new CorpusError("busy", "Đang có một thay đổi khác với kho văn bản. Vui lòng đợi xong rồi thử lại.", "corpus lock contention");
}
