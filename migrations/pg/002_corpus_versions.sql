-- The corpus and its built index, per version, shared by every replica: the replica that builds a version stores
-- its corpus files and index artefacts here and makes it current; the others load it instead of rebuilding.
-- Files are kept as {relative path: base64} objects (a corpus is megabytes, not gigabytes).

CREATE TABLE corpus_versions (
  version text PRIMARY KEY,
  corpus jsonb NOT NULL,
  artefacts jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row: the version every replica serves. Replicas poll it (and are woken by NOTIFY corpus_version).
CREATE TABLE corpus_current (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version text NOT NULL REFERENCES corpus_versions (version),
  switched_at timestamptz NOT NULL DEFAULT now()
);
