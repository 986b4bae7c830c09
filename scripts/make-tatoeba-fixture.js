#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes test/fixtures/tatoeba-findings.tsv from ../shared/data/tatoeba-hin-eng.tsv (Tatoeba, CC BY 2.0
 * France; the third column keeps the attribution): the header, every 15th pair, and every pair the
 * dataset checks flag (7 latin_danda, 2 near_duplicate with their originals, 1 length_ratio,
 * 1 zero_width), so the data tests see the real file's findings in 209 pairs instead of 2,949.
 * Usage: node scripts/make-tatoeba-fixture.js [SOURCE] [TARGET]
 */
const [source = '../shared/data/tatoeba-hin-eng.tsv', target = 'test/fixtures/tatoeba-findings.tsv'] =
  process.argv.slice(2);
const FLAGGED = [70, 71, 224, 438, 588, 999, 1294, 1296, 1297, 1532, 1587, 1719, 2131]; // 1-based line numbers
const lines = readFileSync(source, 'utf8')
  .split('\n')
  .filter((l) => l !== '');
const keep = new Set([1, ...FLAGGED]);
for (let n = 2; n <= lines.length; n += 15) keep.add(n);
const out = [...keep].sort((a, b) => a - b).map((n) => lines[n - 1]);
writeFileSync(target, `${out.join('\n')}\n`);
console.log(`${target}: ${out.length - 1} pairs`);
