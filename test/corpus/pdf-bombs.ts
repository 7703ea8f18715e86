// PDFs built on the fly (never stored) that are cheap to send and expensive to read: a content stream that
// inflates to a gigabyte, and a thousand pages that all draw one long shared content stream.
import zlib from "node:zlib";

const MiB = 1024 * 1024;

/** A PDF of the given objects (1-based: objects[0] is object 1), object 1 the catalog, with a cross-reference table. */
function pdf(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let at = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(at);
    const obj = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.isBuffer(body) ? body : Buffer.from(body, "latin1"),
      Buffer.from("\nendobj\n"),
    ]);
    parts.push(obj);
    at += obj.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n`,
    "0000000000 65535 f \n",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`),
  ];
  parts.push(Buffer.from(`${xref.join("")}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const stream = (dict: string, data: Buffer) =>
  Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, Buffer.from("\nendstream")]);

/** A zlib stream inflating to `copies` × `chunk` (one block compressed after a full flush, repeated). */
function repeatedZlib(chunk: Buffer, copies: number): Buffer {
  const block = zlib.deflateRawSync(chunk, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  // zlib header; the trailing Adler-32 is left wrong (computing it means a gigabyte of arithmetic): readers that
  // check it fail only after inflating everything.
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array.from({ length: copies }, () => block),
    zlib.deflateRawSync(Buffer.alloc(0)),
    Buffer.alloc(4),
  ]);
}

/** `pages` pages that all draw one content stream. */
function pagesOf(pages: number, content: Buffer): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(" ");
  const page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>";
  return pdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Count ${pages} /Kids [${kids}] >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    stream("/Filter /FlateDecode", content),
    ...Array.from({ length: pages }, () => page),
  ]);
}

/** About 1 MB: one page whose content stream inflates to `inflateMiB` MiB (default 1 GiB). */
export function pdfStreamBomb(inflateMiB = 1024): Buffer {
  // Mostly white space (the best compression deflate gives: about 1:1000) between drawing operators.
  const chunk = Buffer.alloc(16 * MiB, " ");
  chunk.write("0 0 m 1 1 l S\n");
  return pagesOf(1, repeatedZlib(chunk, inflateMiB / 16));
}

/**
 * `pages` pages (default 1000) sharing one content stream of `operators` text operators drawing nothing
 * visible: small on disk, slow to read (each page runs the whole stream), under every size and count limit.
 * 400,000 operators a page take 0.2–0.6 s on the machines seen, so 1000 pages are several times the 45 s file
 * limit on any of them (100,000 were within 10 % of it on a fast one).
 */
export function slowPdf(pages = 1000, operators = 400_000): Buffer {
  const body = "BT /F1 1 Tf 0 0 Td ET\n".repeat(operators / 4);
  return pagesOf(pages, zlib.deflateSync(Buffer.from(`${body}BT /F1 12 Tf 72 720 Td (Trang thu nghiem) Tj ET\n`), { level: 9 }));
}
