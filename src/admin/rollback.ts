// Index versions and rollback: serve an earlier version again and restore the corpus it was built from.
import type { Config } from "../config.js";
import { CorpusError } from "../corpus/ingest/errors.js";
import { loadCorpus } from "../corpus/load.js";
import { currentVersion, embeddingsId, listVersions, loadVersion, type IndexMeta } from "../index/store.js";
import { silentLogger } from "../log.js";
import type { ChangeOptions, ChangeResult } from "./change.js";
import { diffVersions, docsOfIndex, servingDocs } from "./diff.js";
import { hasSnapshot, snapshotDir } from "./files.js";
import { commitCorpus, recoverUnlocked } from "./journal.js";
import { acquireLock } from "./lock.js";
import { noProgress } from "./progress.js";
import { snapshotCurrent } from "./snapshot.js";

export interface VersionInfo extends IndexMeta {
  current: boolean;
  restorable: boolean;
}

export function versionsOf(config: Config): VersionInfo[] {
  const current = currentVersion(config.dataDir);
  return listVersions(config.dataDir).map((m) => ({
    ...m,
    current: m.version === current,
    restorable: hasSnapshot(config.dataDir, m.version),
  }));
}

/** The version to restore (default: the newest restorable one before current), or a Vietnamese refusal. */
function rollbackTarget(config: Config, target: string | undefined, previous: string | null): VersionInfo {
  const versions = versionsOf(config);
  const version = target ?? versions.find((v) => previous !== null && v.version < previous && v.restorable)?.version ?? undefined;
  if (!version) throw new CorpusError("no_version", "Không có phiên bản cũ hơn nào để khôi phục.", "no earlier version");
  const info = versions.find((v) => v.version === version);
  if (!info)
    throw new CorpusError(
      "no_version",
      `Không có phiên bản «${version}». Xem danh sách bằng lệnh versions (/phienban).`,
      `no version ${version}`,
    );
  if (info.current) throw new CorpusError("usage", `Phiên bản «${version}» đang được dùng rồi.`, "rollback to the current version");
  if (!info.restorable)
    throw new CorpusError(
      "no_snapshot",
      `Phiên bản «${version}» không lưu kèm kho văn bản nên không khôi phục được.`,
      `version ${version} has no corpus snapshot`,
    );
  if (loadCorpus(snapshotDir(config.dataDir, version), embeddingsId(config)).hash !== info.hash)
    throw new CorpusError(
      "no_snapshot",
      `Phiên bản «${version}» được dựng với cấu hình khác (mô hình nhúng) nên không khôi phục được.`,
      "snapshot hash mismatch",
    );
  return info;
}

/** Serve an earlier version again and restore the corpus it was built from. Default: the one before current. */
export async function rollbackTo(
  config: Config,
  target: string | undefined,
  opts: Omit<ChangeOptions, "checks"> = {},
): Promise<ChangeResult> {
  const log = opts.log ?? silentLogger;
  const progress = opts.progress ?? noProgress;
  const started = Date.now();
  const release = acquireLock(config.dataDir, "rollback");
  let releaseCluster: (() => Promise<void>) | undefined;
  try {
    releaseCluster = await opts.cluster?.begin("rollback");
    recoverUnlocked(config, log);
    snapshotCurrent(config, log);
    const previous = currentVersion(config.dataDir);
    const { version } = rollbackTarget(config, target, previous);
    progress.phase("Nạp phiên bản cũ", 0.3);
    const before = servingDocs(config);
    const index = await loadVersion(config, version);
    const diff = diffVersions(before, docsOfIndex(config.dataDir, index));
    progress.phase("Khôi phục kho văn bản và chuyển phiên bản", 0.7);
    commitCorpus(config, snapshotDir(config.dataDir, version), version, false, log, opts.killAt);
    await opts.onSwitch?.(index);
    progress.phase("Xong", 1);
    log.info("corpus rolled back", { version, previous });
    return { action: "rollback", version, previous, diff, index, ms: Date.now() - started };
  } finally {
    progress.done();
    await releaseCluster?.();
    release();
  }
}
