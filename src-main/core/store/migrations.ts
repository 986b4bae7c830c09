import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createPairsFts } from './pairs-fts.ts';

/**
 * Schema migrations, in order. Migration i brings the store from version i to i+1
 * (PRAGMA user_version). Never edit a migration that has shipped: append a new one.
 *
 * Sizing: pairs and metrics are the big tables (1M pairs per dataset; hundreds of
 * runs x 100k metric points). Every hot query is served by an index below.
 */
export const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE datasets (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        src_lang    TEXT NOT NULL DEFAULT 'en',
        tgt_lang    TEXT NOT NULL DEFAULT 'hi',
        origin      TEXT NOT NULL DEFAULT '',          -- where it was imported from
        pair_count  INTEGER NOT NULL DEFAULT 0,        -- kept in step with pairs by the store
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );

      -- Pair ids are stable for the life of a pair (undo of a delete restores the same id).
      CREATE TABLE pairs (
        id          INTEGER PRIMARY KEY,
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        ord         INTEGER NOT NULL,                  -- position in the dataset (import order)
        source      TEXT NOT NULL,
        target      TEXT NOT NULL,
        tags        TEXT NOT NULL DEFAULT '',          -- space-separated tags
        notes       TEXT NOT NULL DEFAULT '',
        meta        TEXT NOT NULL DEFAULT '',          -- e.g. Tatoeba attribution column
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE INDEX pairs_by_dataset ON pairs(dataset_id, ord);

      -- Undo/redo of pair edits, persisted so it survives a restart.
      -- A group is one user action (an edit, a bulk delete, a one-click fix).
      CREATE TABLE edit_groups (
        id          INTEGER PRIMARY KEY,
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        label       TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('done', 'undone')),
        created_at  TEXT NOT NULL
      );
      CREATE INDEX edit_groups_by_dataset ON edit_groups(dataset_id, state, id);
      CREATE TABLE edit_ops (
        group_id    INTEGER NOT NULL REFERENCES edit_groups(id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        op          TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
        pair_id     INTEGER NOT NULL,
        before      TEXT,                              -- JSON of the row before (null for insert)
        after       TEXT,                              -- JSON of the row after (null for delete)
        PRIMARY KEY (group_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE splits (
        id          INTEGER PRIMARY KEY,
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        method      TEXT NOT NULL,                     -- JSON: {seed, ratios} or {files}
        hash        TEXT NOT NULL,                     -- of the membership, recorded by runs
        counts      TEXT NOT NULL,                     -- JSON {train, valid, test}
        created_at  TEXT NOT NULL,
        UNIQUE (dataset_id, name)
      );
      CREATE TABLE split_members (
        split_id    INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
        pair_id     INTEGER NOT NULL,
        part        TEXT NOT NULL CHECK (part IN ('train', 'valid', 'test')),
        PRIMARY KEY (split_id, pair_id)
      ) WITHOUT ROWID;
      CREATE INDEX split_members_by_part ON split_members(split_id, part);

      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN
                        ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'imported')),
        dataset_id    INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
        dataset_name  TEXT NOT NULL DEFAULT '',        -- kept when the dataset is deleted
        split_id      INTEGER REFERENCES splits(id) ON DELETE SET NULL,
        parent_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,  -- "clone with changes", resume
        preset        TEXT,
        config        TEXT NOT NULL,                   -- JSON, validated RunConfig
        dataset_hash  TEXT,
        split_hash    TEXT,
        vocab_hash    TEXT,
        backend       TEXT,                            -- the tfjs backend actually used
        environment   TEXT,                            -- JSON: versions, host, why backends were skipped
        dir           TEXT,                            -- runs/<id>/ next to the DB: checkpoints
        pid           INTEGER,
        step          INTEGER NOT NULL DEFAULT 0,
        epoch         INTEGER NOT NULL DEFAULT 0,
        progress      TEXT,                            -- JSON snapshot: fraction, eta, loss, tok/s
        error         TEXT,
        tags          TEXT NOT NULL DEFAULT '',
        notes         TEXT NOT NULL DEFAULT '',
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        heartbeat_at  TEXT                             -- a running run that stops beating was interrupted
      );
      CREATE INDEX runs_by_status ON runs(status);

      -- One row per (run, metric, step). WITHOUT ROWID clusters a run's series together,
      -- so reading one metric of one run is a range scan.
      CREATE TABLE metrics (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,                     -- train/loss, valid/bleu, test/bleu, ...
        step        INTEGER NOT NULL,
        epoch       REAL NOT NULL,
        wall_time   REAL NOT NULL,                     -- seconds since the epoch (unix)
        value       REAL NOT NULL,
        PRIMARY KEY (run_id, name, step)
      ) WITHOUT ROWID;

      CREATE TABLE samples (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step        INTEGER NOT NULL,
        idx         INTEGER NOT NULL,                  -- which of the fixed validation sentences
        source      TEXT NOT NULL,
        reference   TEXT NOT NULL,
        hypothesis  TEXT NOT NULL,
        PRIMARY KEY (run_id, step, idx)
      ) WITHOUT ROWID;

      CREATE TABLE checkpoints (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step        INTEGER NOT NULL,
        epoch       REAL NOT NULL,
        path        TEXT NOT NULL,                     -- folder with model.json + weights
        kind        TEXT NOT NULL CHECK (kind IN ('latest', 'best', 'final', 'imported')),
        metric_name TEXT,
        metric_value REAL,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX checkpoints_by_run ON checkpoints(run_id, step);

      -- Test-set evaluations (workbench evaluate): scores with their sacreBLEU signature.
      CREATE TABLE evaluations (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        checkpoint  TEXT NOT NULL,
        src_path    TEXT NOT NULL,
        ref_path    TEXT NOT NULL,
        decoding    TEXT NOT NULL,                     -- JSON decoding settings
        bleu        REAL,
        chrf        REAL,
        signature   TEXT,
        detail      TEXT,                              -- JSON: counts, totals, lengths, chrF signature
        created_at  TEXT NOT NULL
      );
      CREATE INDEX evaluations_by_run ON evaluations(run_id);

      CREATE TABLE exports (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        kind        TEXT NOT NULL,                     -- model | metrics | chart
        path        TEXT NOT NULL,
        detail      TEXT,
        created_at  TEXT NOT NULL
      );
    `);
  },
  // 2. Imports stage their pairs under a dataset row no reader sees (state 'importing'),
  //    committed in small chunks so the write lock is never held for a whole file, then
  //    publish by flipping the state in one short transaction. The row holds the name
  //    meanwhile (UNIQUE), so two imports of one name conflict at once.
  (db) => {
    db.exec(`
      ALTER TABLE datasets ADD COLUMN state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'importing'));
      ALTER TABLE datasets ADD COLUMN import_pid INTEGER;  -- the importing process while state = 'importing'
    `);
  },
  // 3. The run queue (core/runs/queue-scheduler.ts): launches wait here until a scheduler starts them,
  //    at most K at once, across restarts. An entry becomes a run when it starts (run_id); a sweep is the
  //    spec that expanded into entries, and its runs carry its id. One scheduler per store: the single
  //    queue_scheduler row is claimed atomically (compare-and-swap on its pid), like a trainer's run claim.
  (db) => {
    db.exec(`
      CREATE TABLE sweeps (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        spec        TEXT NOT NULL,                     -- JSON: dataset, preset, set, grid, seeds, random
        created_at  TEXT NOT NULL
      );
      ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL;
      CREATE INDEX runs_by_sweep ON runs(sweep_id);

      CREATE TABLE queue (
        id          INTEGER PRIMARY KEY,
        position    REAL NOT NULL,                     -- start order (lowest first); moves rewrite it
        state       TEXT NOT NULL CHECK (state IN ('waiting', 'held', 'started', 'done', 'cancelled')),
        name        TEXT NOT NULL DEFAULT '',
        preset      TEXT,
        config      TEXT NOT NULL,                     -- JSON, validated RunConfig (checked when queued)
        backend     TEXT,
        sweep_id    INTEGER REFERENCES sweeps(id) ON DELETE CASCADE,
        run_id      INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,        -- trainer starts (first start and resumes)
        outcome     TEXT,                              -- the run's final status, or why it never ran
        created_at  TEXT NOT NULL,
        started_at  TEXT,
        finished_at TEXT
      );
      CREATE INDEX queue_by_state ON queue(state, position);

      CREATE TABLE queue_scheduler (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        holder          TEXT,                          -- the holding scheduler's random token (null: free)
        pid             INTEGER,                       -- its process
        host            TEXT,
        heartbeat_at    TEXT,
        paused          INTEGER NOT NULL DEFAULT 0,    -- 1: no new starts (running trainers go on)
        max_concurrent  INTEGER                        -- null: what the machine can take
      );
      INSERT INTO queue_scheduler (id) VALUES (1);
    `);
  },
  // 4. Checkpoints made after training: kind 'averaged' (core/train/average.ts), and a detail column
  //    saying what made one (the steps averaged). SQLite cannot widen a CHECK in place: the table is
  //    rebuilt (nothing references it; its index is recreated).
  (db) => {
    db.exec(`
      CREATE TABLE checkpoints_v4 (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step        INTEGER NOT NULL,
        epoch       REAL NOT NULL,
        path        TEXT NOT NULL,                     -- folder with model.json + weights
        kind        TEXT NOT NULL CHECK (kind IN ('latest', 'best', 'final', 'imported', 'averaged')),
        metric_name TEXT,
        metric_value REAL,
        created_at  TEXT NOT NULL,
        detail      TEXT                               -- JSON: what made it (averaged: last, steps)
      );
      INSERT INTO checkpoints_v4 (id, run_id, step, epoch, path, kind, metric_name, metric_value, created_at)
        SELECT id, run_id, step, epoch, path, kind, metric_name, metric_value, created_at FROM checkpoints;
      DROP TABLE checkpoints;
      ALTER TABLE checkpoints_v4 RENAME TO checkpoints;
      CREATE INDEX checkpoints_by_run ON checkpoints(run_id, step);
    `);
  },
  // 5. Per-pair numbers from models (core/data/pair-scores.ts, core/train/cartography.ts) and per-sentence
  //    evaluation results (core/inference/sentence-history.ts, slices.ts). A pair's rows go with its run; a
  //    pair deleted from the head keeps its rows (versions may still hold it), so pair_id references nothing.
  (db) => {
    db.exec(`
      -- Forced-decoding score of a pair by a run's checkpoint: the gold target's log-probability.
      CREATE TABLE pair_model_scores (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        pair_id     INTEGER NOT NULL,
        log_prob    REAL NOT NULL,                     -- summed over the target tokens, <eos> included
        tokens      INTEGER NOT NULL,                  -- target tokens scored, <eos> included
        score       REAL NOT NULL,                     -- log_prob / tokens: comparable across lengths
        text_hash   TEXT NOT NULL,                     -- of source + target when scored: an edit makes it stale
        scored_at   TEXT NOT NULL,
        PRIMARY KEY (run_id, dataset_id, pair_id)
      ) WITHOUT ROWID;

      -- Cartography (Swayamdipta et al. 2020): per pair and epoch, the mean probability of its gold tokens
      -- and the share of them the model ranked first, as seen by the training forward pass.
      CREATE TABLE cartography_epochs (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        pair_id     INTEGER NOT NULL,
        epoch       INTEGER NOT NULL,
        gold_prob   REAL NOT NULL,
        correct     REAL NOT NULL,
        PRIMARY KEY (run_id, pair_id, epoch)
      ) WITHOUT ROWID;
      -- Its summary over the epochs, rebuilt at each epoch's end: what the pair table sorts by.
      CREATE TABLE pair_cartography (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        pair_id     INTEGER NOT NULL,
        confidence  REAL NOT NULL,                     -- mean gold probability over the epochs
        variability REAL NOT NULL,                     -- its standard deviation (population)
        correctness REAL NOT NULL,                     -- mean share of gold tokens ranked first
        epochs      INTEGER NOT NULL,
        region      TEXT NOT NULL CHECK (region IN ('easy', 'ambiguous', 'hard')),
        PRIMARY KEY (run_id, pair_id)
      ) WITHOUT ROWID;
      CREATE INDEX pair_cartography_by_region ON pair_cartography(run_id, region, confidence);

      -- Each sentence of an evaluation: its hypothesis and sentence chrF (pair_id when from a split).
      CREATE TABLE evaluation_sentences (
        evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
        idx         INTEGER NOT NULL,
        pair_id     INTEGER,
        source      TEXT NOT NULL,
        reference   TEXT NOT NULL,
        hypothesis  TEXT NOT NULL,
        chrf        REAL NOT NULL,
        PRIMARY KEY (evaluation_id, idx)
      ) WITHOUT ROWID;
      CREATE INDEX evaluation_sentences_by_source ON evaluation_sentences(source);
      CREATE INDEX samples_by_source ON samples(source);
    `);
  },
  // 6. Full-text index over both sides of every pair (store/pairs-fts.ts: FTS5, external content, kept in
  //    step by triggers on pairs; a tokenizer that keeps Hindi words whole). Built here for existing pairs.
  (db) => createPairsFts(db),
  // 7. Dataset versions (core/data/versions.ts): a version is a fixed membership of pair ids that SHARES the
  //    head's rows; no text is copied while a pair is unchanged. Copy-on-write by triggers on `pairs`, so every
  //    edit path (edits, fixes, undo/redo's INSERT OR REPLACE, deletes) is covered: before a pair that some
  //    version still reads from the head changes its text or goes away, its old row is archived and those
  //    versions point at the archive. A dataset's own deletion archives nothing (its row is gone first: the
  //    cascade). Runs record the version they trained on; run_comparisons store a retrain's bootstrap.
  (db) => {
    db.exec(`
      CREATE TABLE dataset_versions (
        id           INTEGER PRIMARY KEY,
        dataset_id   INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        number       INTEGER NOT NULL,                 -- 1..n per dataset
        parent_id    INTEGER REFERENCES dataset_versions(id) ON DELETE SET NULL,
        label        TEXT NOT NULL DEFAULT '',
        recipe       TEXT NOT NULL,                    -- JSON {kind: import|snapshot|filter|dedup, ...}
        pair_count   INTEGER NOT NULL,
        content_hash TEXT NOT NULL,                    -- datasetHash of the content (ids + both sides, in order)
        created_at   TEXT NOT NULL,
        UNIQUE (dataset_id, number)
      );
      CREATE TABLE pair_archive (
        id           INTEGER PRIMARY KEY,
        dataset_id   INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        pair_id      INTEGER NOT NULL,
        ord          INTEGER NOT NULL,
        source       TEXT NOT NULL,
        target       TEXT NOT NULL,
        meta         TEXT NOT NULL,                    -- exported with the version (attribution)
        archived_at  TEXT NOT NULL
      );
      -- archive_id NULL: the pair's text is the head's row; else the archived row.
      CREATE TABLE version_members (
        version_id   INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
        pair_id      INTEGER NOT NULL,
        archive_id   INTEGER REFERENCES pair_archive(id),
        PRIMARY KEY (version_id, pair_id)
      ) WITHOUT ROWID;
      -- The triggers' lookup: which versions still read this pair from the head.
      CREATE INDEX version_members_on_head ON version_members(pair_id) WHERE archive_id IS NULL;

      CREATE TRIGGER pairs_version_keep_update BEFORE UPDATE OF source, target ON pairs
      WHEN (OLD.source IS NOT NEW.source OR OLD.target IS NOT NEW.target)
        AND EXISTS (SELECT 1 FROM version_members WHERE pair_id = OLD.id AND archive_id IS NULL)
      BEGIN
        INSERT INTO pair_archive (dataset_id, pair_id, ord, source, target, meta, archived_at)
          VALUES (OLD.dataset_id, OLD.id, OLD.ord, OLD.source, OLD.target, OLD.meta, strftime('%Y-%m-%dT%H:%M:%fZ'));
        UPDATE version_members SET archive_id = last_insert_rowid() WHERE pair_id = OLD.id AND archive_id IS NULL;
      END;
      CREATE TRIGGER pairs_version_keep_delete BEFORE DELETE ON pairs
      WHEN EXISTS (SELECT 1 FROM version_members WHERE pair_id = OLD.id AND archive_id IS NULL)
        AND EXISTS (SELECT 1 FROM datasets WHERE id = OLD.dataset_id AND state = 'ready')
      BEGIN
        INSERT INTO pair_archive (dataset_id, pair_id, ord, source, target, meta, archived_at)
          VALUES (OLD.dataset_id, OLD.id, OLD.ord, OLD.source, OLD.target, OLD.meta, strftime('%Y-%m-%dT%H:%M:%fZ'));
        UPDATE version_members SET archive_id = last_insert_rowid() WHERE pair_id = OLD.id AND archive_id IS NULL;
      END;
      -- Undo and redo write rows back with INSERT OR REPLACE, whose implicit delete fires no trigger.
      CREATE TRIGGER pairs_version_keep_replace BEFORE INSERT ON pairs
      WHEN EXISTS (SELECT 1 FROM version_members WHERE pair_id = NEW.id AND archive_id IS NULL)
        AND EXISTS (SELECT 1 FROM pairs WHERE id = NEW.id AND (source IS NOT NEW.source OR target IS NOT NEW.target))
      BEGIN
        INSERT INTO pair_archive (dataset_id, pair_id, ord, source, target, meta, archived_at)
          SELECT dataset_id, id, ord, source, target, meta, strftime('%Y-%m-%dT%H:%M:%fZ') FROM pairs WHERE id = NEW.id;
        UPDATE version_members SET archive_id = last_insert_rowid() WHERE pair_id = NEW.id AND archive_id IS NULL;
      END;

      ALTER TABLE runs ADD COLUMN dataset_version_id INTEGER REFERENCES dataset_versions(id) ON DELETE SET NULL;
      CREATE INDEX runs_by_dataset_version ON runs(dataset_version_id);

      -- A stored comparison of a run against a baseline (a retrain against its original). The run exists only
      -- once its queue entry starts: until then the row names the entry, and a trigger fills run_id (and the
      -- run's parent_run_id) when the scheduler links the entry's run.
      CREATE TABLE run_comparisons (
        id              INTEGER PRIMARY KEY,
        run_id          INTEGER REFERENCES runs(id) ON DELETE CASCADE,
        queue_id        INTEGER REFERENCES queue(id) ON DELETE SET NULL,
        baseline_run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind            TEXT NOT NULL,                 -- 'retrain'
        state           TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
        result          TEXT,                          -- JSON: the bootstrap and the sentences it used
        error           TEXT,
        created_at      TEXT NOT NULL,
        finished_at     TEXT
      );
      CREATE INDEX run_comparisons_by_run ON run_comparisons(run_id);
      CREATE INDEX run_comparisons_by_baseline ON run_comparisons(baseline_run_id);
      CREATE INDEX run_comparisons_by_queue ON run_comparisons(queue_id);
      CREATE TRIGGER queue_links_comparison AFTER UPDATE OF run_id ON queue WHEN NEW.run_id IS NOT NULL
      BEGIN
        UPDATE run_comparisons SET run_id = NEW.run_id WHERE queue_id = NEW.id AND run_id IS NULL;
        UPDATE runs SET parent_run_id = (SELECT baseline_run_id FROM run_comparisons WHERE queue_id = NEW.id)
          WHERE id = NEW.run_id AND EXISTS (SELECT 1 FROM run_comparisons WHERE queue_id = NEW.id);
      END;
    `);
    // Datasets that exist get their version 1 now: what they hold at the upgrade.
    const datasets = db.prepare(`SELECT id FROM datasets WHERE state = 'ready'`).pluck().all() as number[];
    for (const id of datasets) versionOneAtUpgrade(db, id);
  },
  // 8. A columnar copy of each metric series (store/metric-columns.ts: steps and values as float64 blobs), read by
  //    charts instead of 100k rows a series. metrics stays the truth: a row inserted (or replaced), updated or
  //    deleted at or before a copy's last step deletes that copy, so no writer leaves one stale; rows after it
  //    (a live run's) are read from metrics. Copies are written as runs end and by readers, never here.
  (db) => {
    db.exec(`
      CREATE TABLE metric_columns (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        upto_step  INTEGER NOT NULL,                   -- the last step the copy holds
        count      INTEGER NOT NULL,
        steps      BLOB NOT NULL,                      -- count float64, little-endian, ascending
        vals       BLOB NOT NULL,                      -- count float64, little-endian, the value at steps[i]
        PRIMARY KEY (run_id, name)
      );
      CREATE TRIGGER metric_columns_stale_on_insert AFTER INSERT ON metrics BEGIN
        DELETE FROM metric_columns WHERE run_id = NEW.run_id AND name = NEW.name AND upto_step >= NEW.step;
      END;
      CREATE TRIGGER metric_columns_stale_on_update AFTER UPDATE ON metrics BEGIN
        DELETE FROM metric_columns WHERE run_id = OLD.run_id AND name = OLD.name AND upto_step >= OLD.step;
        DELETE FROM metric_columns WHERE run_id = NEW.run_id AND name = NEW.name AND upto_step >= NEW.step;
      END;
      CREATE TRIGGER metric_columns_stale_on_delete AFTER DELETE ON metrics BEGIN
        DELETE FROM metric_columns WHERE run_id = OLD.run_id AND name = OLD.name AND upto_step >= OLD.step;
      END;
    `);
  },
];

/**
 * Migration 7's version 1 of a dataset that exists: its whole head, hashed as datasetHash hashes. Kept here with
 * the schema of its day: a migration never changes with the code.
 */
function versionOneAtUpgrade(db: Database.Database, datasetId: number): void {
  const h = createHash('sha256');
  let n = 0;
  const rows = db
    .prepare('SELECT id, source, target FROM pairs WHERE dataset_id = ? ORDER BY ord, id')
    .iterate(datasetId);
  for (const r of rows as Iterable<{ id: number; source: string; target: string }>) {
    h.update(`${r.id}\t${r.source}\t${r.target}\n`);
    n++;
  }
  const recipe = JSON.stringify({ kind: 'import', note: 'the dataset as it was when versions came' });
  const versionId = db
    .prepare(
      `INSERT INTO dataset_versions (dataset_id, number, label, recipe, pair_count, content_hash, created_at)
       VALUES (?, 1, 'version 1', ?, ?, ?, ?)`,
    )
    .run(datasetId, recipe, n, h.digest('hex'), new Date().toISOString()).lastInsertRowid;
  db.prepare('INSERT INTO version_members (version_id, pair_id) SELECT ?, id FROM pairs WHERE dataset_id = ?').run(
    versionId,
    datasetId,
  );
}
