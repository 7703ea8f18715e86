// Worker-thread entry: build the listed documents' segments of a corpus into the segment store (see
// buildSegmentsInWorkers in store.ts). Segments are content-addressed and renamed into place, so workers
// never write the same file; the calling thread then reads them back in document order.
import { parentPort, workerData } from "node:worker_threads";
import { loadCorpus } from "../corpus/load.js";
import { embeddingsId } from "./embeddings.js";
import { buildSegment } from "./segment.js";
import { type IndexConfig, segmentContext } from "./store.js";

const { config, corpusDir, documents } = workerData as { config: IndexConfig; corpusDir: string; documents: number[] };
try {
  const corpus = loadCorpus(corpusDir, embeddingsId(config));
  const ctx = segmentContext(config, corpus);
  for (const i of documents) {
    const d = corpus.documents[i]!;
    await buildSegment(config.dataDir, ctx, d.meta, d.read());
    parentPort!.postMessage({ built: i });
  }
  parentPort!.postMessage({ done: true });
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
