// One process, no database: console sessions in memory (a restart signs everyone out) and uploaded originals
// as files in a directory (DATA_DIR/originals).
import fs from "node:fs";
import path from "node:path";
import type { ConsoleSession, OriginalsStore, SessionBackend } from "./types.js";

export function memorySessions(): SessionBackend {
  const sessions = new Map<string, ConsoleSession>();
  return {
    put: (s) => void sessions.set(s.id, s),
    get(id, nowMs) {
      const s = sessions.get(id);
      if (s && s.expires <= nowMs) sessions.delete(id);
      return s && s.expires > nowMs ? s : undefined;
    },
    delete: (id) => void sessions.delete(id),
    prune(nowMs) {
      for (const [id, s] of sessions) if (s.expires <= nowMs) sessions.delete(id);
    },
  };
}

/** Names are content-addressed file names: no directories, nothing hidden. */
const safeName = (name: string) => {
  if (!/^[\p{L}\p{N}._-]+$/u.test(name) || name.startsWith(".")) throw new Error(`bad original name: ${name}`);
  return name;
};

export function directoryOriginals(dir: string): OriginalsStore {
  const file = (name: string) => path.join(dir, safeName(name));
  return {
    keep(name, bytes) {
      if (fs.existsSync(file(name))) return false;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file(name), bytes);
      return true;
    },
    get: (name) => (fs.existsSync(file(name)) ? fs.readFileSync(file(name)) : undefined),
    remove: (name) => fs.rmSync(file(name), { force: true }),
    list: () => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []),
  };
}
