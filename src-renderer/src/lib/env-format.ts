/**
 * A run's config and environment as the run page shows them: values as a
 * person writes them (learning_rate 0.01, level word, clip_grad_norm none,
 * adam_betas 0.9, 0.999; not JSON with quotes), the backends tried one per
 * line with why each was skipped, and the WebGPU adapter by name.
 */
// relative, not @common: the lib is also compiled by tsconfig.node.json for its unit tests
import { adapterLabel, recordedAdapter } from '../../../src-main/common/gpu-adapter.ts';

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map(formatValue).join(', ');
  return JSON.stringify(v);
}

export interface EnvLine {
  /** a backend used (true) or skipped (false); null: a plain detail */
  ok: boolean | null;
  text: string;
}

export interface EnvRow {
  key: string;
  value: string;
  /** details, one per line (the backends tried, the adapter's fields) */
  lines?: EnvLine[];
}

/** "Cannot find package '@tensorflow/tfjs-node' imported from /x/y.ts" → "not installed (@tensorflow/tfjs-node)" */
export function attemptReason(reason: string): string {
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(reason);
  return missing ? `not installed (${missing[1]})` : reason;
}

interface Attempt {
  name: string;
  ok: boolean;
  reason?: string | null;
}

const isAttempt = (a: unknown): a is Attempt =>
  typeof a === 'object' &&
  a !== null &&
  typeof (a as Attempt).name === 'string' &&
  typeof (a as Attempt).ok === 'boolean';

export function environmentRows(env: Readonly<Record<string, unknown>>): EnvRow[] {
  return Object.entries(env).map(([key, v]): EnvRow => {
    if (key === 'backend_attempts' && Array.isArray(v) && v.every(isAttempt)) {
      const used = v.find((a) => a.ok);
      const skipped = v.filter((a) => !a.ok).map((a) => a.name);
      return {
        key,
        value: used
          ? `${used.name}${skipped.length ? ` (${skipped.join(', ')} skipped)` : ''}`
          : `none of ${v.map((a) => a.name).join(', ')}`,
        lines: v.map((a) => ({
          ok: a.ok,
          text:
            `${a.name}: ` +
            `${a.ok ? 'used' : 'skipped'}${a.reason ? `: ${a.ok ? a.reason : attemptReason(a.reason)}` : ''}`,
        })),
      };
    }
    if (key === 'adapter') {
      const a = recordedAdapter(env);
      if (a) {
        return {
          key,
          value: adapterLabel(a),
          lines: [
            { ok: null, text: `vendor ${a.vendor || '–'} · architecture ${a.architecture || '–'}` },
            {
              ok: null,
              text:
                `device ${a.device || '–'} · ` +
                `${a.software ? 'software (a CPU implementation of WebGPU)' : 'hardware'}`,
            },
          ],
        };
      }
    }
    return { key, value: formatValue(v) };
  });
}
