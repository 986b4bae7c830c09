import { badInput } from '../../common/errors.ts';
import type { Db } from './db.ts';
import { getRun, type RunRecord, type RunStatus } from './runs.ts';

/**
 * A run's tags and notes: what a researcher writes on a run to find it again ("baseline", "bad-lr",
 * "the one in the paper"). Tags are words without spaces, kept space-separated in runs.tags in the
 * order they were added; notes are free text. Both are searched by runs list --tag/--search and the
 * service's runs.list filter (runMatches).
 */
export const TAG_MAX_CHARS = 64;
export const NOTES_MAX_CHARS = 10_000;

export const tagsOf = (run: Pick<RunRecord, 'tags'>): string[] => run.tags.split(/\s+/).filter(Boolean);

function checkTag(tag: string): string {
  const t = tag.trim();
  if (t === '' || /\s/.test(t) || t.length > TAG_MAX_CHARS) {
    const rule = `a tag is one word of 1 to ${TAG_MAX_CHARS} characters, without spaces`;
    throw badInput(`tag "${tag}": ${rule}`, { field: 'tags' });
  }
  return t;
}

/** Adds and removes tags (adding one it has, or removing one it lacks, changes nothing); returns the tags. */
export function editRunTags(
  db: Db,
  id: number,
  change: { add?: readonly string[]; remove?: readonly string[] },
): string[] {
  const add = (change.add ?? []).map(checkTag);
  const remove = new Set((change.remove ?? []).map(checkTag));
  return db.transaction(() => {
    const tags = tagsOf(getRun(db, id)).filter((t) => !remove.has(t));
    for (const t of add) if (!tags.includes(t) && !remove.has(t)) tags.push(t);
    db.prepare('UPDATE runs SET tags = ? WHERE id = ?').run(tags.join(' '), id);
    return tags;
  })();
}

/** Replaces the run's notes (empty text clears them). */
export function setRunNotes(db: Db, id: number, notes: string): string {
  if (notes.length > NOTES_MAX_CHARS) {
    throw badInput(`notes are at most ${NOTES_MAX_CHARS} characters`, { field: 'notes' });
  }
  getRun(db, id);
  db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(notes, id);
  return notes;
}

export interface RunFilter {
  /** runs carrying this tag (exactly) */
  tag?: string;
  /** case-insensitive text in the name, tags or notes */
  search?: string;
  status?: RunStatus;
  sweepId?: number;
}

export function runMatches(run: RunRecord, f: RunFilter): boolean {
  if (f.tag !== undefined && !tagsOf(run).includes(f.tag.trim())) return false;
  if (f.status !== undefined && run.status !== f.status) return false;
  if (f.sweepId !== undefined && run.sweepId !== f.sweepId) return false;
  if (f.search !== undefined && f.search.trim() !== '') {
    const needle = f.search.trim().toLowerCase();
    if (![run.name, run.tags, run.notes].some((s) => s.toLowerCase().includes(needle))) return false;
  }
  return true;
}
