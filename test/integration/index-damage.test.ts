// A damaged index in a real server process (`src/main.ts`): after a segment file is truncated and the server
// restarted, the question on that document is answered as before (the segment is rebuilt from the corpus, the
// log names the file); a segment that cannot be rebuilt makes /readyz 503 naming the file.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CORPUS_DIR, ROOT, testDataDir, until } from "../channels/helpers.js";
import { tempDir } from "../core/helpers.js";

const TOKEN = "admin-token-for-index-damage-tests";
const QUESTION = "Doanh nghiệp khởi nghiệp sáng tạo được hỗ trợ thuê mặt bằng tối đa bao nhiêu?";

interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const running: ChildProcess[] = [];

async function startServer(dataDir: string, corpusDir: string): Promise<Server> {
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "src/main.ts")], {
    cwd: dataDir,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, CORPUS_DIR: corpusDir, ADMIN_TOKEN: TOKEN, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const port = await until(() => /"msg":"http server listening".*"port":(\d+)/.exec(output)?.[1], 90_000, "listening");
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

async function stop(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

async function ask(server: Server) {
  const res = await fetch(`${server.url}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question: QUESTION }),
  });
  return { status: res.status, body: (await res.json()) as { answer: string; citations: { doc: string; section: string }[] } };
}

/** The operator's readiness report (the public body is the status alone). */
async function readyz(server: Server) {
  const res = await fetch(`${server.url}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return {
    status: res.status,
    body: (await res.json()) as { ready: boolean; index: { version: string; damaged: { file: string; repairing: boolean }[] } },
  };
}

/** The serving version's segment directory of a document. */
function segmentOf(dataDir: string, doc: string): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(dataDir, "index", "CURRENT"), "utf8")) as { version: string };
  const meta = JSON.parse(fs.readFileSync(path.join(dataDir, "index", "versions", version, "meta.json"), "utf8")) as {
    documents: { id: string; segment: string }[];
  };
  return path.join(dataDir, "index", "segments", meta.documents.find((d) => d.id === doc)!.segment);
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

describe("a damaged index in a server process", () => {
  it("a truncated sections.json, then a restart: the question on that document is answered as before; the log names the file", async () => {
    const dataDir = await testDataDir();
    const first = await startServer(dataDir, CORPUS_DIR);
    const before = await ask(first);
    expect(before.status).toBe(200);
    const doc = before.body.citations[0]!.doc;
    await stop(first);

    const file = path.join(segmentOf(dataDir, doc), "sections.json");
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 3));
    const second = await startServer(dataDir, CORPUS_DIR);
    const after = await ask(second);
    expect(after.status).toBe(200);
    expect(after.body.answer).toBe(before.body.answer);
    expect(after.body.citations).toEqual(before.body.citations);
    expect(second.output()).toContain(`"msg":"index file damaged","file":"${path.relative(dataDir, file)}"`);
    expect(second.output()).toContain('"msg":"index segment rebuilt from the corpus"');
    const ready = await readyz(second);
    expect(ready.status).toBe(200);
    expect(ready.body.index.damaged).toEqual([]);
    await stop(second);
  }, 240_000);

  it("a segment that cannot be rebuilt (its document changed under the running server): /readyz 503 naming the file", async () => {
    const corpusDir = path.join(tempDir("damage-corpus"), "corpus");
    fs.cpSync(CORPUS_DIR, corpusDir, { recursive: true });
    const dataDir = await testDataDir(corpusDir);
    const first = await startServer(dataDir, corpusDir);
    const doc = (await ask(first)).body.citations[0]!.doc;
    await stop(first);
    // A new process has read no section yet: the damage is found when the question reads that document.
    const server = await startServer(dataDir, corpusDir);
    expect((await readyz(server)).status).toBe(200);

    const manifest = JSON.parse(fs.readFileSync(path.join(corpusDir, "manifest.json"), "utf8")) as {
      documents: { id: string; file: string }[];
    };
    fs.appendFileSync(path.join(corpusDir, manifest.documents.find((d) => d.id === doc)!.file), "\n\nĐoạn thêm sau khi máy chủ đã chạy.\n");
    const file = path.join(segmentOf(dataDir, doc), "sections.json");
    const bytes = fs.readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x20;
    fs.writeFileSync(file, bytes);

    await ask(server);
    let ready = await readyz(server);
    for (const deadline = Date.now() + 20_000; ready.status !== 503 || ready.body.index.damaged[0]?.repairing; ) {
      if (Date.now() > deadline) throw new Error(`/readyz stayed ${JSON.stringify(ready.body)}`);
      await new Promise((r) => setTimeout(r, 100));
      ready = await readyz(server);
    }
    expect(ready.body.ready).toBe(false);
    // Anyone sees the status, not the file.
    const open = await fetch(`${server.url}/readyz`);
    expect(open.status).toBe(503);
    expect(await open.json()).toEqual({ status: "not_ready" });
    expect(ready.body.index.damaged).toEqual([
      expect.objectContaining({ file: path.relative(dataDir, file), repairError: expect.stringContaining(`document ${doc}`) }),
    ]);
    expect(server.output()).toContain('"msg":"index segment could not be rebuilt: /readyz reports it damaged"');
    await stop(server);
  }, 240_000);
});
