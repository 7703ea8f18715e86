// Corpus administration as operations (add, remove, status, metadata, reindex, versions, rollback), shared
// by the CLI, the chat commands and the HTTP endpoints. Every change goes through runChange (change.ts);
// the answering core that validates a change comes in as `checks` (wired by src/app.ts).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { currentVersion, type LoadedIndex } from "../index/store.js";
import { silentLogger, type Logger } from "../log.js";
import { parseSections } from "../sections/parse.js";
import type { DocumentMeta, DocumentStatus, Section } from "../types.js";
import { directoryOriginals, ORIGINALS_DIR, type OriginalsStore } from "../store/index.js";
import {
  checkDate,
  checkId,
  CorpusError,
  ID_RE,
  limitsFrom,
  prepareDocument,
  type Converted,
  type MetaOverrides,
  type PreparedDocument,
} from "../corpus/ingest/index.js";
import { readManifest, type Manifest } from "../corpus/manifest.js";
import { profileWithout } from "../corpus/profile.js";
import { runChange, type ChangeOptions, type ChangeResult, type ClusterChange, type Stage } from "./change.js";
import { changeText, headlines, type DocumentRow } from "./change-messages.js";
import { contentKey, contentKeys } from "./content-keys.js";
import { resolveInCorpus } from "./files.js";
import { recoverCorpus } from "./journal.js";
import { acquireLock } from "./lock.js";
import { stageChange, type StagedChange } from "./preview.js";
import { noProgress, type Progress } from "./progress.js";
import { rollbackTo, versionsOf, type VersionInfo } from "./rollback.js";
import type { AnswerChecks } from "./validate.js";

export interface ChangeReport extends ChangeResult {
  /** Vietnamese summary for the operator. */
  text: string;
  document?: DocumentMeta;
}

export interface AddInput {
  bytes: Buffer;
  fileName: string;
  /** The conversion of `bytes` a preview already made: a confirmed upload is not converted (or OCR'd) twice. */
  converted?: Converted;
  overrides?: MetaOverrides;
  /** Replace the document with the same id instead of refusing the duplicate. */
  replace?: boolean;
  /** Ids of documents the new one replaces (marked superseded by it in the same change). */
  supersedes?: string[];
}

export interface AdminOptions {
  /** The answering core, to validate each new version before it serves. */
  checks: AnswerChecks;
  log?: Logger;
  /** Progress display for each change (the CLI's bar). */
  progress?: () => Progress;
  onSwitch?: (index: LoadedIndex) => void | Promise<void>;
  /** Build indexes in a worker thread (set in servers so answers keep flowing during a rebuild). */
  worker?: boolean;
  /** Where original uploads are kept (default DATA_DIR/originals; with replicas, the shared database). */
  originals?: OriginalsStore;
  killAt?: string;
  /** With replicas: the cluster-wide change lock and sync (shared-versions.ts). */
  cluster?: ClusterChange;
}

export const STATUSES: DocumentStatus[] = ["in_force", "superseded", "unknown"];

const notFound = (id: string) =>
  new CorpusError("not_found", `Không có văn bản mã «${id}» trong kho. Xem danh sách bằng lệnh list (/nguon).`, `no document ${id}`);

function findDoc(m: Manifest, id: string): DocumentMeta {
  checkId(id);
  const d = m.documents.find((x) => x.id === id);
  if (!d) throw notFound(id);
  return d;
}

export class CorpusAdmin {
  readonly log: Logger;
  readonly originals: OriginalsStore;

  constructor(
    readonly config: Config,
    private readonly opts: AdminOptions,
  ) {
    this.log = opts.log ?? silentLogger;
    this.originals = opts.originals ?? directoryOriginals(path.join(config.dataDir, ORIGINALS_DIR));
  }

  private changeOptions(): ChangeOptions {
    return {
      checks: this.opts.checks,
      log: this.log,
      progress: this.opts.progress?.() ?? noProgress,
      onSwitch: this.opts.onSwitch,
      worker: this.opts.worker,
      killAt: this.opts.killAt,
      cluster: this.opts.cluster,
    };
  }

  manifest(): Manifest {
    return readManifest(this.config.corpusDir);
  }

  /** Documents with their section counts (from the serving index version when it has them). */
  list(): DocumentRow[] {
    const counts = new Map<string, number>();
    const v = currentVersion(this.config.dataDir);
    if (v) {
      try {
        const meta = JSON.parse(fs.readFileSync(path.join(this.config.dataDir, "index", "versions", v, "meta.json"), "utf8")) as {
          documents: { id: string; sections: number }[];
        };
        for (const d of meta.documents) counts.set(d.id, d.sections);
      } catch {
        // counts stay unknown
      }
    }
    return this.manifest().documents.map((meta) => ({ meta, sections: counts.get(meta.id) ?? null }));
  }

  /** A document's section tree as the parser sees it now. */
  show(id: string): { meta: DocumentMeta; sections: Section[] } {
    const meta = findDoc(this.manifest(), id);
    const raw = fs.readFileSync(resolveInCorpus(this.config.corpusDir, meta.file), "utf8");
    return { meta, sections: parseSections(meta.id, raw, meta.style) };
  }

  versions(): VersionInfo[] {
    return versionsOf(this.config);
  }

  recover() {
    return recoverCorpus(this.config, this.log);
  }

  /** Convert and check a file without changing anything (CLI --dry-run, confirmation step). */
  async preview(input: AddInput): Promise<PreparedDocument> {
    // Conversion is the costly part: one at a time, under the same lock as changes.
    const release = acquireLock(this.config.dataDir, `preview ${path.basename(input.fileName)}`);
    try {
      const prepared = await this.prepare(input);
      this.checkAdd(this.manifest(), prepared, input);
      return prepared;
    } finally {
      release();
    }
  }

  /** Conversion with the configured limits; in servers (worker builds) in a memory-capped child process. */
  private prepare(input: AddInput, signal?: AbortSignal): Promise<PreparedDocument> {
    return prepareDocument(input.bytes, input.fileName, {
      signal,
      maxBytes: this.config.UPLOAD_MAX_BYTES,
      limits: limitsFrom(this.config),
      childHeapMb: this.opts.worker ? this.config.UPLOAD_CONVERT_MAX_MB : undefined,
      overrides: input.overrides,
      converted: input.converted,
    });
  }

  private checkAdd(m: Manifest, p: PreparedDocument, input: AddInput): void {
    const existing = m.documents.find((d) => d.id === p.meta.id);
    if (existing && !input.replace)
      throw new CorpusError(
        "duplicate_id",
        `Mã văn bản «${p.meta.id}» đã có trong kho («${existing.shortTitle}»). Đặt mã khác bằng --id, hoặc thêm --replace để thay nội dung văn bản đó.`,
        `duplicate id ${p.meta.id}`,
      );
    const key = contentKey(p.text);
    const live = contentKeys(this.config.corpusDir, this.config.dataDir, m.documents);
    for (const d of m.documents) {
      if (d.id === p.meta.id) continue;
      if (live.get(d.id) === key)
        throw new CorpusError(
          "duplicate_content",
          `Nội dung tệp trùng với văn bản «${d.shortTitle}» (${d.id}) đã có trong kho.`,
          `same text as ${d.id}`,
        );
    }
    const by = p.meta.supersededBy && ID_RE.test(p.meta.supersededBy) ? [p.meta.supersededBy] : [];
    for (const id of [...(input.supersedes ?? []), ...by]) {
      if (id === p.meta.id) throw new CorpusError("bad_meta", "Văn bản không thể thay thế chính nó.", "document supersedes itself");
      findDoc(m, id);
    }
  }

  /** The edit an upload makes to the staged corpus; true when it replaces a document with the same id. */
  private addToStage(stage: Stage, prepared: PreparedDocument, input: AddInput): boolean {
    const { meta, text } = prepared;
    // Checked again under the lock: another change may have landed since the preview.
    this.checkAdd(stage.manifest, prepared, input);
    const i = stage.manifest.documents.findIndex((d) => d.id === meta.id);
    if (i >= 0) {
      const old = stage.manifest.documents[i]!;
      // What the operator curated on the old entry stays unless overridden.
      const o = input.overrides ?? {};
      stage.manifest.documents[i] = {
        ...meta,
        aliases: o.aliases ?? old.aliases,
        status: o.status ?? old.status,
        // A new text of the main plan stays the main plan.
        role: o.role ?? old.role,
        ...(old.supersededBy && !o.status ? { supersededBy: old.supersededBy } : {}),
      };
    } else stage.manifest.documents.push(meta);
    stage.writeFile(meta.file, text);
    stage.touched.add(meta.id);
    for (const id of input.supersedes ?? []) {
      const d = stage.manifest.documents.find((x) => x.id === id)!;
      d.status = "superseded";
      d.supersededBy = meta.id;
    }
    return i >= 0;
  }

  /**
   * Convert an upload and build it into a private index version without committing (the console's preview):
   * the staged index answers questions as users would be answered after `add` with the same input.
   */
  async stage(input: AddInput): Promise<{ prepared: PreparedDocument; staged: StagedChange }> {
    const prepared = await this.preview(input);
    const staged = await stageChange(this.config, `add ${prepared.meta.id}`, (stage) => void this.addToStage(stage, prepared, input), {
      checks: this.opts.checks,
      log: this.log,
      worker: this.opts.worker,
    });
    return { prepared, staged };
  }

  /** Add (or with `replace`, update) a document from an uploaded file; converted under the change lock. */
  async add(input: AddInput): Promise<ChangeReport> {
    let original: { name: string; created: boolean } | undefined;
    let replaced = false;
    let meta: DocumentMeta | undefined;
    try {
      const result = await runChange(
        this.config,
        `add ${path.basename(input.fileName)}`,
        async (stage: Stage) => {
          const prepared = await this.prepare(input, stage.signal);
          meta = prepared.meta;
          replaced = this.addToStage(stage, prepared, input);
          original = await this.keepOriginal(input.bytes, input.fileName, meta.id);
        },
        this.changeOptions(),
      );
      const doc = result.index.documents.find((d) => d.id === meta!.id) ?? meta!;
      const headline = `${replaced ? headlines.replaced(doc) : headlines.added(doc)}\n\n${headlines.overrideHint}`;
      return { ...result, document: doc, text: changeText(headline, result) };
    } catch (err) {
      if (original?.created) await Promise.resolve(this.originals.remove(original.name)).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Keep the uploaded file as received (content-addressed, in DATA_DIR/originals) for audit and re-conversion;
   * the corpus itself holds only the normalised text.
   */
  private async keepOriginal(bytes: Buffer, fileName: string, id: string): Promise<{ name: string; created: boolean }> {
    const ext = path.extname(fileName).toLowerCase();
    const name = `${id}-${crypto.createHash("sha256").update(bytes).digest("hex").slice(0, 12)}${ext}`;
    return { name, created: await this.originals.keep(name, bytes) };
  }

  async remove(id: string): Promise<ChangeReport> {
    const result = await runChange(
      this.config,
      `remove ${id}`,
      (stage) => {
        const m = stage.manifest;
        findDoc(m, id);
        const users = m.documents.filter((d) => d.supersededBy === id);
        if (users.length)
          throw new CorpusError(
            "in_use",
            `Không xóa được «${id}»: ${users.map((d) => `«${d.shortTitle}» (${d.id})`).join(", ")} đang ghi là được thay thế bởi văn bản này. Hãy đổi tình trạng các văn bản đó trước.`,
            `document ${id} is referenced by supersededBy`,
          );
        if (m.documents.length === 1)
          throw new CorpusError("in_use", "Không xóa được văn bản cuối cùng: kho phải còn ít nhất một văn bản.", "last document");
        // Refusals and the greeting must not offer what is gone: texts derived from it go too.
        if (m.profile) m.profile = profileWithout(m.profile, m.documents, id);
        m.documents = m.documents.filter((d) => d.id !== id);
      },
      this.changeOptions(),
    );
    return { ...result, text: changeText(headlines.removed(id), result) };
  }

  async setStatus(id: string, status: string, by?: string, note?: string): Promise<ChangeReport> {
    if (!STATUSES.includes(status as DocumentStatus))
      throw new CorpusError(
        "usage",
        `Tình trạng «${status}» không hợp lệ. Dùng một trong: ${STATUSES.join(", ")}.`,
        `bad status ${status}`,
      );
    if (status === "superseded" && !by)
      throw new CorpusError("usage", "Văn bản đã bị thay thế cần ghi văn bản thay thế: --by <mã>.", "superseded without --by");
    let doc: DocumentMeta | undefined;
    const result = await runChange(
      this.config,
      `status ${id}`,
      (stage) => {
        const d = findDoc(stage.manifest, id);
        if (by) {
          if (by === id) throw new CorpusError("bad_meta", "Văn bản không thể thay thế chính nó.", "document supersedes itself");
          // An id must exist; a description ("Luật … số 93/2025/QH15") names a document outside the corpus.
          if (ID_RE.test(by)) findDoc(stage.manifest, by);
        }
        d.status = status as DocumentStatus;
        if (status === "superseded") d.supersededBy = by;
        else delete d.supersededBy;
        if (note !== undefined) d.statusNote = note;
        doc = d;
      },
      this.changeOptions(),
    );
    return { ...result, document: doc, text: changeText(headlines.status(doc!), result) };
  }

  /** Correct metadata read from the header (title, số hiệu, date, issuer, style, aliases). */
  async update(id: string, patch: MetaOverrides): Promise<ChangeReport> {
    if (!Object.values(patch).some((v) => v !== undefined))
      throw new CorpusError("usage", "Chưa có thông tin nào để sửa (ví dụ --title, --number, --date, --issuer).", "empty metadata patch");
    const date = checkDate(patch.date);
    let doc: DocumentMeta | undefined;
    const result = await runChange(
      this.config,
      `update ${id}`,
      (stage) => {
        const d = findDoc(stage.manifest, id);
        if (patch.title !== undefined) d.title = patch.title;
        if (patch.shortTitle !== undefined) d.shortTitle = patch.shortTitle;
        if (patch.number !== undefined) d.number = patch.number || null;
        if (date !== undefined) d.date = date;
        if (patch.issuer !== undefined) d.issuer = patch.issuer;
        if (patch.style !== undefined) {
          d.style = patch.style;
          stage.touched.add(id);
        }
        if (patch.aliases !== undefined) d.aliases = patch.aliases;
        if (patch.source !== undefined) d.source = patch.source;
        if (patch.role !== undefined && patch.role !== d.role) {
          d.role = patch.role;
          // Answers to unqualified questions may now come from this document: smoke questions accept it.
          stage.touched.add(id);
        }
        doc = d;
      },
      this.changeOptions(),
    );
    return { ...result, document: doc, text: changeText(headlines.updated(doc!), result) };
  }

  async reindex(): Promise<ChangeReport> {
    const result = await runChange(this.config, "reindex", () => {}, this.changeOptions());
    return { ...result, text: changeText(headlines.reindexed, result) };
  }

  async rollback(version?: string): Promise<ChangeReport> {
    const result = await rollbackTo(this.config, version, this.changeOptions());
    return { ...result, text: changeText(headlines.rolledBack(result.version), result) };
  }
}

export function createCorpusAdmin(config: Config, opts: AdminOptions): CorpusAdmin {
  return new CorpusAdmin(config, opts);
}
