// File downloads for the Telegram Bot API double: `getFile` answers with a file_path, and a loopback front
// serves /file/bot<token>/<file_path> itself while passing every other request to the double.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TelegramApiDouble } from "../doubles/telegram-api.js";

export interface TelegramFiles {
  url: string;
  /** Register a file; returns the `document` object of a Telegram message. */
  add(fileName: string, data: Buffer, mimeType?: string): Record<string, unknown>;
  downloads: string[];
  stop(): Promise<void>;
}

export async function withTelegramFiles(api: TelegramApiDouble, token: string): Promise<TelegramFiles> {
  const files = new Map<string, { path: string; data: Buffer }>();
  const downloads: string[] = [];
  api.on("getFile", (body) => {
    const f = files.get(String(body.file_id));
    if (!f) return { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: invalid file_id" } };
    return {
      status: 200,
      body: {
        ok: true,
        result: { file_id: body.file_id, file_unique_id: `u${body.file_id}`, file_size: f.data.length, file_path: f.path },
      },
    };
  });
  const target = new URL(api.url);
  const server = http.createServer((req, res) => {
    const prefix = `/file/bot${token}/`;
    if (req.url?.startsWith(prefix)) {
      const p = decodeURIComponent(req.url.slice(prefix.length));
      const f = [...files.values()].find((x) => x.path === p);
      downloads.push(p);
      res.writeHead(f ? 200 : 404, { "content-type": "application/octet-stream" });
      res.end(f?.data ?? "");
      return;
    }
    const proxied = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    proxied.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let n = 0;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    downloads,
    add(fileName, data, mimeType) {
      const id = `file${++n}`;
      files.set(id, { path: `documents/${id}${fileName.slice(fileName.lastIndexOf("."))}`, data });
      return { file_id: id, file_unique_id: `u${id}`, file_name: fileName, mime_type: mimeType, file_size: data.length };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A private-chat message carrying a document (and optionally a caption). */
export function documentMessage(document: Record<string, unknown>, o: { userId: number; caption?: string }): Record<string, unknown> {
  return {
    message: {
      message_id: Math.floor(Math.random() * 1e6),
      date: Math.floor(Date.now() / 1000),
      chat: { id: o.userId, type: "private", first_name: "Lan" },
      from: { id: o.userId, is_bot: false, first_name: "Lan" },
      document,
      ...(o.caption ? { caption: o.caption } : {}),
    },
  };
}
