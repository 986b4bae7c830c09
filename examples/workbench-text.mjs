// The workbench's text pipeline (src-main/core/text: tokenize.ts, bpe.ts, pipeline.ts) in plain JS, for
// examples/translate-with-tfjs.mjs: text → source tokens and target tokens → text, exactly as the
// workbench does, at word, char or BPE level, from an export's pipeline.json.

const JOINERS = '\u200c\u200d';
// Numbers (3.14, 1,000, 21st), dotted abbreviations (a.m.), words with inner ' and -, else one mark (runs kept).
const WORD_TOKEN = new RegExp(
  [
    `\\p{N}+(?:[.,:]\\p{N}+)*(?:[\\p{L}\\p{M}]+)?`,
    `\\p{L}(?:\\.\\p{L})+\\.?(?![\\p{L}\\p{M}])`,
    `[\\p{L}\\p{M}${JOINERS}]+(?:['’-][\\p{L}\\p{M}${JOINERS}]+)*`,
    `(\\S)\\1*`,
  ].join('|'),
  'gu',
);
// A base character with its combining marks (a matra never leaves its consonant).
const CLUSTER = new RegExp(`[^\\p{M}${JOINERS}][\\p{M}${JOINERS}]*|[\\p{M}${JOINERS}]+`, 'gsu');
const SPACE_TOKEN = '▁';
const EOW = '</w>';
const CONTINUATION = '@@';
const ALL_AT = /^@+$/;
const CLOSING = /^(?:[.,!?;:%)\]}»”’…।॥]|\.{2,}|!+|\?+)$/u;
const OPENING = /^[([{«“‘¿¡#$]$/u;

const clusters = (text) => text.match(CLUSTER) ?? [];

/**
 * BPE pieces of one word (subword-nmt style: all but the last piece end in "@@"). With `filter`
 * ({ known: Set of the vocabulary, madeFrom: symbol → [a, b] }), a piece the vocabulary lacks is split
 * back along its merges, as the workbench does when pipeline.json says vocabFilter.
 */
function segmentWord(word, ranks, filter) {
  if (ALL_AT.test(word)) return [word];
  const cs = clusters(word);
  let s = [...cs.slice(0, -1), cs.at(-1) + EOW];
  for (;;) {
    let best = [Infinity, -1];
    for (let i = 0; i + 1 < s.length; i++) {
      const r = ranks.get(`${s[i]}\u0000${s[i + 1]}`);
      if (r !== undefined && r < best[0]) best = [r, i];
    }
    if (best[1] < 0) break;
    const [a, b] = [s[best[1]], s[best[1] + 1]];
    const merged = [];
    for (let i = 0; i < s.length; i++) {
      if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
        merged.push(a + b);
        i++;
      } else merged.push(s[i]);
    }
    s = merged;
  }
  const toPiece = (sym) => (sym.endsWith(EOW) ? sym.slice(0, -EOW.length) : sym + CONTINUATION);
  if (!filter) return s.map(toPiece).filter((p) => p !== '');
  const pieces = [];
  const emit = (sym) => {
    const parts = filter.known.has(toPiece(sym)) ? undefined : filter.madeFrom.get(sym);
    if (parts) parts.forEach(emit);
    else pieces.push(toPiece(sym));
  };
  s.forEach(emit);
  return pieces;
}

/** pipeline: the export's pipeline.json. Returns { sourceTokens(text), targetText(tokens) }. */
export function textPipeline(pipeline) {
  const ranks = (bpe) => bpe && new Map(bpe.merges.map(([a, b], i) => [`${a}\u0000${b}`, i]));
  const srcRanks = ranks(pipeline.srcBpe);
  const madeFrom = new Map();
  for (const [a, b] of pipeline.srcBpe?.merges ?? []) if (!madeFrom.has(a + b)) madeFrom.set(a + b, [a, b]);
  const filter = pipeline.vocabFilter ? { known: new Set(pipeline.srcVocab.tokens), madeFrom } : undefined;
  const normalize = (text) => (pipeline.lowercase ? text.normalize('NFC').toLowerCase() : text.normalize('NFC'));
  return {
    sourceTokens(text) {
      const norm = normalize(text);
      if (pipeline.level === 'char')
        return clusters(norm.trim().replace(/\s+/gu, ' ')).map((c) => (c === ' ' ? SPACE_TOKEN : c));
      const words = norm.match(WORD_TOKEN) ?? [];
      return srcRanks ? words.flatMap((w) => (w ? segmentWord(w, srcRanks, filter) : [])) : words;
    },
    targetText(tokens) {
      if (pipeline.level === 'char') return tokens.join('').split(SPACE_TOKEN).join(' ').trim();
      return detokenize(pipeline.level === 'bpe' ? joinPieces(tokens) : tokens);
    },
  };
}

/** "नम@@ स्ते" → "नमस्ते" */
function joinPieces(pieces) {
  const words = [];
  let cur = '';
  for (const p of pieces) {
    if (ALL_AT.test(p)) {
      if (cur) words.push(cur);
      words.push(p);
      cur = '';
    } else if (p.endsWith(CONTINUATION)) cur += p.slice(0, -CONTINUATION.length);
    else {
      words.push(cur + p);
      cur = '';
    }
  }
  if (cur) words.push(cur);
  return words;
}

/** Words back to text: no space before "," "." "।", none after "(", straight quotes paired. */
function detokenize(tokens) {
  let out = '';
  let quoteOpen = false;
  let glueNext = true;
  for (const tok of tokens) {
    let glue = glueNext || CLOSING.test(tok);
    glueNext = OPENING.test(tok);
    if (tok === '"' || tok === "'") {
      if (quoteOpen) glue = true;
      else glueNext = true;
      quoteOpen = !quoteOpen;
    }
    out += glue ? tok : ` ${tok}`;
  }
  return out;
}
