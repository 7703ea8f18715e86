// Child-process entry: convert one upload (see convertInChild). The child's heap is capped, so a file that
// unpacks into too much memory ends this process, never the server.
import { CorpusError } from "./errors.js";
import { convertToText } from "./convert.js";
import type { IngestLimits } from "./limits.js";

process.once("message", async (m: { bytes: Uint8Array; fileName: string; limits: IngestLimits }) => {
  try {
    const result = await convertToText(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength), m.fileName, m.limits);
    process.send!({ result }, () => process.exit(0));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const error = { message: e.message, ...(err instanceof CorpusError ? { code: err.code, vi: err.vi } : {}) };
    process.send!({ error }, () => process.exit(0));
  }
});
