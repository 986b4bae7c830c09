import type { z } from 'zod';
import { Rng } from '../../src-main/core/rng.ts';

/**
 * Seeded payloads for a contract channel, read off its zod schema: plausible
 * valid inputs (so the handlers behind validation run too), the same with one
 * field broken at its schema's edges (missing, wrong type, just past a bound,
 * huge, negative, "NaN"-like, very long, deeply nested, prototype-pollution
 * keys), and random JSON.
 */
interface Bag {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  format?: string;
}
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  element?: Schema;
  innerType?: Schema;
  options?: Schema[];
  entries?: Record<string, string>;
  values?: unknown[];
  valueType?: Schema;
  in?: Schema;
}
interface Schema {
  _zod: { def: Def; bag: Bag };
}

const asSchema = (s: z.ZodType) => s as unknown as Schema;

/** Words a valid-looking string is made of (the first is the dataset most names should hit), and ids worth using. */
export interface Vocabulary {
  strings: string[];
  ids: number[];
}

/** A JSON value with an own "__proto__" key (what JSON.parse makes of hostile input). */
const protoKey = (inner: unknown) => JSON.parse(`{"__proto__": ${JSON.stringify(inner)}, "x": 1}`) as unknown;

function deep(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Values that break a field whatever its type. */
export function junk(rng: Rng): unknown[] {
  const long = 'x'.repeat(100_000 + rng.int(1000));
  return [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.5,
    1e308,
    -1e308,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    '',
    ' ',
    'NaN',
    'Infinity',
    '-1',
    '1e999',
    '0x10',
    long,
    '\u0000\ud800\uffff',
    '../../../../etc/passwd',
    '/etc/passwd',
    '%',
    "'; DROP TABLE pairs; --",
    [],
    [null],
    {},
    deep(60),
    protoKey({ polluted: true }),
    { constructor: { prototype: { polluted: true } } },
    'constructor',
    '__proto__',
    'toString',
  ];
}

function randomJson(rng: Rng, depth = 0): unknown {
  const pick = rng.int(depth > 3 ? 5 : 8);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return Math.round((rng.next() - 0.5) * 10 ** rng.int(12));
    case 3:
      return (rng.next() - 0.5) * 1e6;
    case 4:
      return String.fromCharCode(...Array.from({ length: rng.int(20) }, () => 32 + rng.int(0x900)));
    case 5:
      return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(4); i > 0; i--)
        o[['name', 'id', 'runId', 'texts', 'x', 'config', 'search'][rng.int(7)]] = randomJson(rng, depth + 1);
      return o;
    }
  }
}

/** A value the schema accepts (mostly: a refinement across fields may still refuse it). */
export function valid(schema: Schema, rng: Rng, vocab: Vocabulary, key = ''): unknown {
  const { def, bag } = schema._zod;
  switch (def.type) {
    case 'string': {
      const min = bag.minimum ?? 0;
      const max = Math.min(bag.maximum ?? 40, 40);
      if (key === 'checkpoint') return ['best', 'latest', '10', 'nope'][rng.int(4)];
      if (key === 'preset') return ['tutorial', 'nope'][rng.int(2)];
      if (key === 'backend') return ['auto', 'cpu', 'quantum'][rng.int(3)];
      if (key === 'name' && rng.next() < 0.5) return vocab.strings[0];
      if (key === 'base64') return Buffer.from('hello').toString('base64');
      const s = rng.next() < 0.6 ? vocab.strings[rng.int(vocab.strings.length)] : `w${rng.int(1000)}`;
      return s.length < min ? s.padEnd(min, 'x') : s.slice(0, max);
    }
    case 'number': {
      const lo =
        bag.minimum !== undefined && bag.minimum > -1e9
          ? bag.minimum
          : bag.exclusiveMinimum !== undefined
            ? bag.exclusiveMinimum + 1
            : 0;
      const hi = bag.maximum !== undefined && bag.maximum < 1e9 ? bag.maximum : lo + 10;
      if (/id$|Id$|^baseline$|^system$/.test(key) && lo <= 1) return vocab.ids[rng.int(vocab.ids.length)];
      const n = lo + rng.next() * Math.min(hi - lo, 8);
      return bag.format === 'safeint' ? Math.round(n) : n;
    }
    case 'boolean':
      return rng.next() < 0.5;
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      return values[rng.int(values.length)];
    }
    case 'literal':
      return def.values?.[0];
    case 'optional':
      return rng.next() < 0.4 ? undefined : valid(def.innerType as Schema, rng, vocab, key);
    case 'default':
      return rng.next() < 0.3 ? undefined : valid(def.innerType as Schema, rng, vocab, key);
    case 'array': {
      const min = bag.minimum ?? 0;
      const max = Math.min(bag.maximum ?? min + 3, min + 3);
      return Array.from({ length: min + rng.int(max - min + 1) }, () => valid(def.element as Schema, rng, vocab, key));
    }
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(def.shape ?? {})) {
        const value = valid(v, rng, vocab, k);
        if (value !== undefined) o[k] = value;
      }
      return o;
    }
    case 'union':
      return valid((def.options as Schema[])[rng.int((def.options as Schema[]).length)], rng, vocab, key);
    case 'record':
      return rng.next() < 0.5 ? {} : { dataset: vocab.strings[rng.int(vocab.strings.length)], max_epochs: 1 };
    case 'pipe':
      return valid(def.in as Schema, rng, vocab, key);
    default:
      return randomJson(rng);
  }
}

/** The object schema behind optional/default/pipe wrappers (refinements keep the object's def). */
function objectShape(schema: Schema): Record<string, Schema> | null {
  const { def } = schema._zod;
  if (def.type === 'object') return def.shape ?? {};
  if (def.innerType) return objectShape(def.innerType);
  if (def.in) return objectShape(def.in);
  return null;
}

/** Values at and past the bounds of one field's schema. */
function edges(schema: Schema, rng: Rng, vocab: Vocabulary): unknown[] {
  const { def, bag } = schema._zod;
  const inner = def.innerType ?? def.in;
  if (inner) return [undefined, ...edges(inner, rng, vocab)];
  switch (def.type) {
    case 'string':
      return [
        bag.minimum ? 'x'.repeat(bag.minimum - 1) : '',
        bag.maximum !== undefined && bag.maximum < 1e6 ? 'y'.repeat(bag.maximum + 1) : 'z'.repeat(300_000),
        1,
        ['a'],
      ];
    case 'number': {
      const out: unknown[] = ['1', NaN, Infinity, 0.5, -1, 0, 1e300];
      if (bag.minimum !== undefined && bag.minimum > -1e15) out.push(bag.minimum - 1, bag.minimum);
      if (bag.maximum !== undefined && bag.maximum < 1e15) out.push(bag.maximum + 1, bag.maximum);
      return out;
    }
    case 'array': {
      const one = valid(def.element as Schema, rng, vocab);
      return [[], Array.from({ length: (bag.maximum ?? 1000) + 1 }, () => one), [junk(rng)[rng.int(10)]], 'a'];
    }
    case 'object':
      return [
        [],
        'x',
        null,
        ...Object.keys(def.shape ?? {})
          .slice(0, 2)
          .map((k) => ({ [k]: null })),
      ];
    default:
      return [];
  }
}

/** `count` payloads for a channel's schema: valid ones, one-field breakages, junk inputs and random JSON. */
export function payloads(zodSchema: z.ZodType, seed: number, vocab: Vocabulary, count: number): unknown[] {
  const schema = asSchema(zodSchema);
  const rng = new Rng(seed);
  const shape = objectShape(schema) ?? {};
  const keys = Object.keys(shape);
  const out: unknown[] = [];
  const bad = junk(rng);
  while (out.length < count) {
    const kind = rng.int(10);
    const base = valid(schema, rng, vocab) as Record<string, unknown>;
    if (kind < 3 || keys.length === 0) {
      out.push(kind < 2 ? base : randomJson(rng));
    } else if (kind < 7) {
      const key = keys[rng.int(keys.length)];
      const choices = [...edges(shape[key], rng, vocab), bad[rng.int(bad.length)]];
      const v = choices[rng.int(choices.length)];
      const o = { ...base };
      if (v === undefined) delete o[key];
      else o[key] = v;
      out.push(o);
    } else if (kind < 9) {
      const o = { ...base };
      o[keys[rng.int(keys.length)]] = bad[rng.int(bad.length)];
      out.push(rng.next() < 0.3 ? Object.assign(protoKey({ polluted: true }) as object, o) : o);
    } else {
      out.push(bad[rng.int(bad.length)]);
    }
  }
  return out;
}
