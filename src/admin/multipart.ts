// Minimal multipart/form-data reader for browser uploads (one request body already in memory, size-capped
// by the router): file parts and text fields. No dependency for what a form with one file needs.

import { decodeField } from "./decode.js";

export interface FormData {
  fields: Record<string, string>;
  files: Array<{ field: string; fileName: string; contentType?: string; data: Buffer }>;
}

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  return m ? (m[1] ?? m[2]!) : null;
}

export function parseMultipart(body: Buffer, boundary: string): FormData {
  const out: FormData = { fields: {}, files: [] };
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break; // closing delimiter
    if (body.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next - 2); // the CRLF before the delimiter belongs to it
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const data = part.subarray(headerEnd + 4);
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? "";
      // RFC 5987 filename* (UTF-8) first: Vietnamese file names.
      const star = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition)?.[1];
      const plain = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const fileName = star ? decodeField(star, "filename*") : plain;
      if (fileName !== undefined) {
        const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
        out.files.push({ field: name, fileName, contentType, data: Buffer.from(data) });
      } else if (name) out.fields[name] = data.toString("utf8");
    }
    pos = next;
  }
  return out;
}
