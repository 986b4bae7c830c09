import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { Example, ExampleSource } from './example-source.ts';

/**
 * A training set encoded once into a file next to the run, read back batch by
 * batch: a million pairs train without their text or ids in the JS heap. The file
 * holds each example's source ids then its target ids, back to back, as uint16
 * when both vocabularies fit (int32 otherwise); memory keeps, per example, its
 * pair id, its two lengths and where it starts (24 bytes). The file is the run's
 * scratch: rebuilt by every job (a resume encodes the same pairs the same way)
 * and deleted when the job ends.
 */
export class EncodedExamples implements ExampleSource {
  private fd: number | null;

  private constructor(
    private readonly path: string,
    fd: number,
    private readonly width: 2 | 4,
    private readonly ids: Float64Array,
    private readonly srcLens: Int32Array,
    private readonly trgLens: Int32Array,
    /** element offset of example i in the file */
    private readonly starts: Float64Array,
  ) {
    this.fd = fd;
  }

  /** Writes `examples` to `path` (replacing it); `maxId` is the largest token id any of them can hold. */
  static write(path: string, examples: Iterable<Example>, maxId: number): EncodedExamples {
    const width = maxId < 2 ** 16 ? 2 : 4;
    const fd = openSync(path, 'w+');
    try {
      const ids = new GrowingArray(Float64Array);
      const srcLens = new GrowingArray(Int32Array);
      const trgLens = new GrowingArray(Int32Array);
      const starts = new GrowingArray(Float64Array);
      const out = new ChunkWriter(fd, width);
      for (const e of examples) {
        ids.push(e.id);
        srcLens.push(e.src.length);
        trgLens.push(e.trg.length);
        starts.push(out.written);
        out.write(e.src);
        out.write(e.trg);
      }
      out.flush();
      return new EncodedExamples(path, fd, width, ids.done(), srcLens.done(), trgLens.done(), starts.done());
    } catch (err) {
      closeSync(fd);
      rmSync(path, { force: true });
      throw err;
    }
  }

  get size(): number {
    return this.ids.length;
  }

  srcLength(i: number): number {
    return this.srcLens[i];
  }

  trgLength(i: number): number {
    return this.trgLens[i];
  }

  read(indices: readonly number[]): Example[] {
    if (this.fd === null) throw new Error(`${this.path}: the encoded examples are closed`);
    const fd = this.fd;
    return indices.map((i) => {
      const n = this.srcLens[i] + this.trgLens[i];
      // A fresh ArrayBuffer per row: aligned for the int32 view, whatever the Buffer pool holds.
      const bytes = new Uint8Array(new ArrayBuffer(n * this.width));
      const got = readSync(fd, bytes, 0, bytes.length, this.starts[i] * this.width);
      if (got !== bytes.length) throw new Error(`${this.path}: example ${i} is cut short (file changed under the run)`);
      const all = this.width === 2 ? new Uint16Array(bytes.buffer) : new Int32Array(bytes.buffer);
      return {
        id: this.ids[i],
        src: Array.from(all.subarray(0, this.srcLens[i])),
        trg: Array.from(all.subarray(this.srcLens[i])),
      };
    });
  }

  /** Bytes of JS memory the index holds (the ids themselves are on disk). */
  get indexBytes(): number {
    return this.ids.byteLength + this.srcLens.byteLength + this.trgLens.byteLength + this.starts.byteLength;
  }

  /** Closes and deletes the file. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    rmSync(this.path, { force: true });
  }
}

/** A typed array that doubles as it fills (the count of examples is known only at the end). */
class GrowingArray<T extends Float64Array | Int32Array> {
  private data: T;
  private length = 0;

  constructor(private readonly Kind: { new (n: number): T }) {
    this.data = new Kind(1024);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.Kind(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** The filled part, as a copy of its own size (the doubled slack is freed). */
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** Buffers token ids into 1 MiB writes. */
class ChunkWriter {
  /** elements written so far (flushed or not) */
  written = 0;
  private readonly chunk: Uint16Array | Int32Array;
  private used = 0;

  constructor(
    private readonly fd: number,
    private readonly width: 2 | 4,
  ) {
    this.chunk = width === 2 ? new Uint16Array(2 ** 19) : new Int32Array(2 ** 18);
  }

  write(values: readonly number[]): void {
    for (const v of values) {
      if (this.used === this.chunk.length) this.flush();
      this.chunk[this.used++] = v;
    }
    this.written += values.length;
  }

  flush(): void {
    if (this.used === 0) return;
    const bytes = new Uint8Array(this.chunk.buffer, 0, this.used * this.width);
    for (let done = 0; done < bytes.length;) done += writeSync(this.fd, bytes, done);
    this.used = 0;
  }
}
