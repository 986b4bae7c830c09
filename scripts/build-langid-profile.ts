/**
 * Builds resources/langid/profile.json: per language, the log-probabilities of
 * its most frequent character trigrams (derived statistics only: no sentence
 * of the corpus is stored, and the top trigrams of a few hundred thousand
 * characters cannot be turned back into it).
 *
 * Data: NTREX-128 (Federmann, Kocmi and Xin, SUMEval 2022), the WMT 2019 news
 * test set's English source and its professional translations, licensed
 * CC BY-SA 4.0 (github.com/MicrosoftTranslator/NTREX, commit 8561f6a; its
 * English and Hindi files are ../shared/data/ntrex128.{en,hi}). Every language
 * then comes from the same 1,997 news sentences, so the profiles differ by
 * language and not by topic.
 *
 *   node --import tsx scripts/build-langid-profile.ts --ntrex PATH/NTREX-128 [--top 3000]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { forEachTrigram, packTrigram, trigramText } from '../src-main/core/data/filters/langid-text.ts';
import type { LangidProfile } from '../src-main/core/data/filters/langid.ts';

/** The languages a Hindi–English corpus gets mixed with: the other Devanagari languages and the big Latin ones. */
const LANGUAGES = [
  { code: 'en', name: 'English', file: 'newstest2019-src.eng.txt' },
  { code: 'hi', name: 'Hindi', file: 'newstest2019-ref.hin.txt' },
  { code: 'mr', name: 'Marathi', file: 'newstest2019-ref.mar.txt' },
  { code: 'ne', name: 'Nepali', file: 'newstest2019-ref.nep.txt' },
  { code: 'fr', name: 'French', file: 'newstest2019-ref.fra.txt' },
  { code: 'de', name: 'German', file: 'newstest2019-ref.deu.txt' },
  { code: 'es', name: 'Spanish', file: 'newstest2019-ref.spa.txt' },
];

const { values } = parseArgs({ options: { ntrex: { type: 'string' }, top: { type: 'string' } } });
if (!values.ntrex) {
  console.error('usage: node --import tsx scripts/build-langid-profile.ts --ntrex PATH/NTREX-128 [--top 3000]');
  process.exit(2);
}
const top = Number(values.top ?? 3000);

const profile: LangidProfile = {
  about:
    'Character trigram log-probabilities per language (top trigrams only; add-half smoothing), ' +
    'built by scripts/build-langid-profile.ts. Derived statistics, no text of the corpus.',
  source: 'NTREX-128 (github.com/MicrosoftTranslator/NTREX, commit 8561f6a), newstest2019 files per language',
  licence: 'CC BY-SA 4.0 (the NTREX-128 data the statistics are derived from)',
  languages: [],
};
for (const lang of LANGUAGES) {
  const counts = new Map<number, number>();
  let total = 0;
  for (const line of readFileSync(join(values.ntrex, lang.file), 'utf8').split('\n')) {
    // whole lines, not only the first MAX_SCORED_CHARS: split into chunks the scorer's limit would keep
    for (let i = 0; i < line.length; i += 300) {
      forEachTrigram(line.slice(i, i + 300), (a, b, c) => {
        const t = packTrigram(a, b, c);
        counts.set(t, (counts.get(t) ?? 0) + 1);
        total++;
      });
    }
  }
  const denominator = total + 0.5 * counts.size;
  const kept = [...counts].sort((x, y) => y[1] - x[1]).slice(0, top);
  const trigrams: Record<string, number> = {};
  for (const [t, n] of kept) trigrams[trigramText(t)] = round(Math.log((n + 0.5) / denominator));
  const covered = kept.reduce((s, [, n]) => s + n, 0) / total;
  profile.languages.push({
    code: lang.code,
    name: lang.name,
    unseen: round(Math.log(0.5 / denominator)),
    trigrams,
  });
  console.log(
    `${lang.code}: ${total} trigrams, ${counts.size} distinct, top ${kept.length} cover ${(covered * 100).toFixed(1)}%`,
  );
}
mkdirSync('resources/langid', { recursive: true });
writeFileSync('resources/langid/profile.json', JSON.stringify(profile) + '\n');
console.log('wrote resources/langid/profile.json');

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
