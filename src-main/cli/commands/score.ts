import { readFileSync } from 'node:fs';
import { badInput } from '../../common/errors.ts';
import { corpusBleu, type BleuOptions, type SmoothMethod } from '../../core/metrics/bleu.ts';
import { corpusChrf } from '../../core/metrics/chrf.ts';
import type { SacreTokenize } from '../../core/metrics/sacre-tokenizers.ts';
import { parseCommandArgs, UsageError, type Command } from '../context.ts';

/**
 * `workbench score`: sacreBLEU-compatible BLEU and chrF of a hypothesis file
 * against one or more reference files, no store needed. Every score is
 * printed with its sacreBLEU signature, so it is only ever compared with
 * scores computed the same way.
 */
const USAGE = `usage: workbench score --hyp FILE --ref FILE [--ref FILE2 ...] [options]

Scores a detokenized hypothesis file (one segment per line) against one or
more reference files, line by line, exactly as sacreBLEU 2.x would.

options:
  --hyp FILE            system output
  --ref FILE            reference (repeat for several references)
  --tokenize T          BLEU tokenizer: intl (default; splits "।"), 13a, none, char
  --lowercase           case-insensitive scores
  --smooth M            BLEU smoothing: exp (default), floor, add-k, none
  --smooth-value V      value for floor (default 0.1) or add-k (default 1)
  --metrics LIST        comma-separated: bleu, chrf, chrf++ (default bleu,chrf)
  --json                one JSON object: bleu.{score,signature,counts,totals,sys_len,ref_len,...},
                        chrf.{score,signature}, chrfpp.{score,signature}
`;

const TOKENIZERS: readonly SacreTokenize[] = ['13a', 'intl', 'none', 'char'];
const SMOOTHS: readonly SmoothMethod[] = ['exp', 'floor', 'add-k', 'none'];
const METRICS = ['bleu', 'chrf', 'chrf++'] as const;
type MetricName = (typeof METRICS)[number];

/** Reads one segment per line; a final newline does not make an extra empty segment. */
function readLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw badInput(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      file: path,
    });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, flag: string): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`, USAGE);
  return value as T;
}

export const command: Command = {
  summary: 'sacreBLEU-compatible BLEU / chrF of a hypothesis file against reference files',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        hyp: { type: 'string' },
        ref: { type: 'string', multiple: true },
        tokenize: { type: 'string' },
        lowercase: { type: 'boolean', default: false },
        smooth: { type: 'string' },
        'smooth-value': { type: 'string' },
        metrics: { type: 'string', default: 'bleu,chrf' },
        json: { type: 'boolean', default: false },
      },
      USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, USAGE);
    if (!values.hyp) throw new UsageError('--hyp FILE is required', USAGE);
    if (!values.ref || values.ref.length === 0) throw new UsageError('at least one --ref FILE is required', USAGE);
    const metrics = values.metrics
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m !== '');
    for (const m of metrics)
      if (!(METRICS as readonly string[]).includes(m))
        throw new UsageError(`unknown metric "${m}" (use ${METRICS.join(', ')})`, USAGE);
    let smoothValue: number | undefined;
    if (values['smooth-value'] !== undefined) {
      smoothValue = Number(values['smooth-value']);
      if (!Number.isFinite(smoothValue) || smoothValue < 0)
        throw new UsageError(`--smooth-value must be a non-negative number, got "${values['smooth-value']}"`, USAGE);
    }
    const bleuOpts: BleuOptions = {
      // intl is the default because 13a leaves "।" glued to the word before it (see sacre-tokenizers.ts).
      tokenize: oneOf(values.tokenize, TOKENIZERS, 'intl', '--tokenize'),
      lowercase: values.lowercase,
      smooth_method: oneOf(values.smooth, SMOOTHS, 'exp', '--smooth'),
      smooth_value: smoothValue,
    };

    const hyps = readLines(values.hyp);
    const refs = values.ref.map((file) => {
      const lines = readLines(file);
      if (lines.length !== hyps.length) {
        throw badInput(`${file} has ${lines.length} lines but the hypothesis file ${values.hyp} has ${hyps.length}`, {
          file,
        });
      }
      return lines;
    });

    const out: Record<string, unknown> = {};
    const text: string[] = [];
    const want = (m: MetricName) => metrics.includes(m);
    if (want('bleu')) {
      const b = corpusBleu(hyps, refs, bleuOpts);
      out.bleu = b;
      const ratio = b.ref_len ? b.sys_len / b.ref_len : 0;
      text.push(
        `BLEU|${b.signature} = ${b.score.toFixed(2)} ${b.precisions.map((p) => p.toFixed(1)).join('/')} ` +
          `(BP = ${b.bp.toFixed(3)} ratio = ${ratio.toFixed(3)} hyp_len = ${b.sys_len} ref_len = ${b.ref_len})`,
      );
    }
    if (want('chrf')) {
      const c = corpusChrf(hyps, refs, { lowercase: values.lowercase });
      out.chrf = { score: c.score, signature: c.signature };
      text.push(`chrF2|${c.signature} = ${c.score.toFixed(2)}`);
    }
    if (want('chrf++')) {
      const c = corpusChrf(hyps, refs, { lowercase: values.lowercase, word_order: 2 });
      out.chrfpp = { score: c.score, signature: c.signature };
      text.push(`chrF2++|${c.signature} = ${c.score.toFixed(2)}`);
    }
    if (values.json) ctx.printJson({ hyp: values.hyp, refs: values.ref, segments: hyps.length, ...out });
    else for (const line of text) ctx.print(line);
  },
};
