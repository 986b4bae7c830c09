import type { Db } from './db-handle.ts';

/**
 * The full-text index over both sides of every pair (SQLite FTS5), for "which
 * training pairs contain this n-gram?" (core/data/ngram-search.ts).
 *
 * An external-content table: the text lives once, in `pairs`; the index holds
 * only tokens and positions, keyed by the pair id (its rowid). Triggers on
 * `pairs` keep it in step on EVERY write path at once: imports (staging rows
 * of an invisible dataset, and deleting an abandoned one), edits, fixes,
 * undo/redo, deletion of a dataset (the foreign key's cascade fires the
 * delete trigger), and whatever later removes or rewrites pairs. No writer has
 * to remember the index.
 *
 * A trap the triggers cannot see: `INSERT OR REPLACE` over an existing id
 * deletes the old row WITHOUT firing delete triggers (unless recursive_triggers
 * is on), which would leave the old text's tokens in the index. Rewrite a pair
 * with an upsert (`ON CONFLICT(id) DO UPDATE`), which fires the update trigger.
 *
 * Tokenizer: unicode61 splits on every character outside its token categories,
 * by default letters (L*), numbers (N*) and private use (Co). Devanagari vowel
 * signs, virama and nukta are combining marks (Mn, Mc): by default "किताब" is
 * cut into "क", "त", "ब". Adding Mn and Mc keeps Hindi words whole; the zero-
 * width (non-)joiner, which shape conjuncts inside a word, are token characters
 * too. remove_diacritics 2 folds Latin accents (café = cafe), composed or not.
 */
export const PAIRS_FTS_TOKENIZER =
  `unicode61 remove_diacritics 2 categories ` + `'L* N* Co Mn Mc' tokenchars '\u200c\u200d'`;

/** The index table and the triggers that keep it in step with `pairs` (run by the migration that adds it). */
export function createPairsFts(db: Db): void {
  db.exec(`
    CREATE VIRTUAL TABLE pairs_fts USING fts5(
      source, target,
      content = 'pairs', content_rowid = 'id',
      tokenize = "${PAIRS_FTS_TOKENIZER}"
    );
    CREATE TRIGGER pairs_fts_insert AFTER INSERT ON pairs BEGIN
      INSERT INTO pairs_fts (rowid, source, target) VALUES (new.id, new.source, new.target);
    END;
    CREATE TRIGGER pairs_fts_delete AFTER DELETE ON pairs BEGIN
      INSERT INTO pairs_fts (pairs_fts, rowid, source, target) VALUES ('delete', old.id, old.source, old.target);
    END;
    CREATE TRIGGER pairs_fts_update AFTER UPDATE OF id, source, target ON pairs BEGIN
      INSERT INTO pairs_fts (pairs_fts, rowid, source, target) VALUES ('delete', old.id, old.source, old.target);
      INSERT INTO pairs_fts (rowid, source, target) VALUES (new.id, new.source, new.target);
    END;
  `);
  rebuildPairsFts(db);
}

/** Re-reads every pair into the index (the migration, on a store that already has pairs; a repair). */
export function rebuildPairsFts(db: Db): void {
  db.exec(`INSERT INTO pairs_fts (pairs_fts) VALUES ('rebuild')`);
}

/** FTS5's own consistency check of the index against `pairs`: throws (SQLITE_CORRUPT_VTAB) when they differ. */
export function checkPairsFts(db: Db): void {
  db.exec(`INSERT INTO pairs_fts (pairs_fts, rank) VALUES ('integrity-check', 1)`);
}
