import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { badInput } from '../../common/errors.ts';
import { isProcessAlive } from '../process-alive.ts';

/**
 * Files and folders the workbench writes for the user (dataset, model and metrics
 * exports) are written beside the target under a hidden temporary name, flushed to
 * disk, and renamed over the target only when complete. A crash or kill -9 at any
 * moment leaves the old target or the new one, never a truncated file; an error
 * removes the temporary. Left-overs of a killed writer (`.NAME.tmp-PID-…` with a dead
 * PID) are removed by the next write to the same target.
 */

/**
 * The path a write to `path` really changes: through a symbolic link, the file it
 * names (renaming over the link would replace the link, not the file the user meant);
 * refused, naming it, when its folder does not exist or it is of the wrong kind.
 */
export function resolveWriteTarget(path: string, kind: 'file' | 'folder'): string {
  const abs = resolve(path);
  let real: string | null = null;
  try {
    real = realpathSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      throw badInput(`${path}: cannot write here (${code ?? (err as Error).message})`, { file: path });
    if (isSymlink(abs)) throw badInput(`${path}: is a symbolic link to a missing file`, { file: path });
  }
  if (real !== null) {
    if (kind === 'file' && statSync(real).isDirectory())
      throw badInput(`${path}: is a folder; give a file name`, { file: path });
    return real;
  }
  const parent = dirname(abs);
  let realParent: string;
  try {
    realParent = realpathSync(parent);
  } catch {
    throw badInput(`${path}: the folder ${parent} does not exist`, { file: path });
  }
  if (!statSync(realParent).isDirectory()) throw badInput(`${path}: ${parent} is not a folder`, { file: path });
  return join(realParent, basename(abs));
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

const TEMP_MARK = '.tmp-';
const tempName = (target: string) =>
  join(dirname(target), `.${basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);

/** Removes temporaries of `target` whose writer process is gone (killed mid-write). */
function removeStaleTemps(target: string): void {
  const prefix = `.${basename(target)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isProcessAlive(pid)) continue;
    rmSync(join(dirname(target), name), { recursive: true, force: true });
  }
}

/** Makes a rename durable: the folder entry itself is flushed (not possible on every platform). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeSyncedFile(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A replaced file keeps its permissions (the temporary was created with the default ones). */
function keepMode(target: string, tmp: string): void {
  try {
    chmodSync(tmp, statSync(target).mode & 0o7777);
  } catch {
    // no target yet: the default permissions are right
  }
}

/** Writes one whole file atomically. `target` comes from resolveWriteTarget. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  removeStaleTemps(target);
  const tmp = tempName(target);
  try {
    writeSyncedFile(tmp, data);
    keepMode(target, tmp);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncFolder(dirname(target));
}

/**
 * Writes a folder of files atomically: complete under a temporary name, then
 * renamed over `target`, which must be absent or an empty folder (checked by the caller).
 */
export function writeFolderAtomic(target: string, files: Record<string, Uint8Array>): void {
  removeStaleTemps(target);
  const tmp = tempName(target);
  try {
    mkdirSync(tmp);
    for (const [name, data] of Object.entries(files)) writeSyncedFile(join(tmp, name), data);
    syncFolder(tmp);
    try {
      renameSync(tmp, target); // replaces an empty folder in one step on POSIX
    } catch (err) {
      if (!['ENOTEMPTY', 'EEXIST', 'EPERM', 'EISDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
      rmdirSync(target);
      renameSync(tmp, target);
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  syncFolder(dirname(target));
}

/** Buffered text output to one temporary file. */
export interface TextWriter {
  write(text: string): Promise<void>;
}

class BufferedWriter implements TextWriter {
  private pending: string[] = [];
  private size = 0;
  constructor(readonly handle: FileHandle) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.size = 0;
    await this.handle.write(text);
  }
}

/**
 * Streams text into several files at once (moses writes X.en and X.hi), each
 * renamed over its target only when `fill` has finished and every file is on disk.
 * Targets come from resolveWriteTarget.
 */
export async function writeTextFilesAtomic(
  targets: readonly string[],
  fill: (writers: TextWriter[]) => Promise<void>,
): Promise<void> {
  for (const t of targets) removeStaleTemps(t);
  const temps = targets.map(tempName);
  const writers: BufferedWriter[] = [];
  try {
    for (const tmp of temps) writers.push(new BufferedWriter(await open(tmp, 'wx')));
    await fill(writers);
    for (const w of writers) {
      await w.flush();
      await w.handle.sync();
    }
    for (const w of writers.splice(0)) await w.handle.close();
    temps.forEach((tmp, i) => {
      keepMode(targets[i], tmp);
      renameSync(tmp, targets[i]);
    });
  } catch (err) {
    for (const w of writers) await w.handle.close().catch(() => {});
    for (const tmp of temps) {
      try {
        unlinkSync(tmp);
      } catch {
        // never created, or already renamed into place
      }
    }
    throw err;
  }
  for (const dir of new Set(targets.map((t) => dirname(t)))) syncFolder(dir);
}
