import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { WorkbenchError } from '../../../common/errors.ts';
import { resourcesDir } from '../builtin.ts';
import { forEachTrigram, packTrigram, trigramOf } from './langid-text.ts';

/**
 * Language identification by character trigrams (resources/langid/profile.json):
 * a side's score under each language is its mean trigram log-probability, and
 * the language with the highest score wins.
 *
 * What it can tell apart: English from French, German and Spanish, and Hindi
 * from Marathi and Nepali, on a sentence: the Devanagari three differ in
 * frequent endings and function words (Marathi "आहे", "च्या", "ळ"; Nepali "छ",
 * "को", "हरू"; Hindi "है", "के", "की"). Also what is no language of the pair:
 * mojibake, URLs and English inside a Hindi side read as another language.
 * What it cannot: a language it has no profile for is called the nearest one
 * it has (Sanskrit, Bhojpuri or Maithili read as Hindi or Nepali; Italian as
 * Spanish or French; Urdu in Arabic script as none of them: the script filter
 * is the one for that); romanised Hindi ("aap kaise ho") is Latin text closest
 * to some Latin profile, not "Hindi"; a word or two (UI strings, names, the many
 * one-word IITB pairs) is too little evidence, and so is a name of a few words:
 * without function words, "Indira Gandhi International Airport" reads as
 * Nepali in Devanagari and "Bhupendra Narayan Mandal University" as Spanish.
 * So the language filter leaves sides under its minLetters alone, by default
 * the profile's reliable length, 60 letters (LANGUAGE_RELIABLE_LETTERS in
 * common/filters.ts, with its measurement); mixed-language sides are judged as
 * a whole. With minLetters 30 (the old default), wikicrowd lost 365 of 12,659
 * Hindi sides and 88 English ones, 333 of those Hindi sides under 60 letters,
 * mostly place and person names and headings. FLORES-200 devtest: 0 of 1,012
 * Hindi and 0 of 1,012 English sides removed at either length. The profiles
 * come from news text (NTREX-128).
 */
export const LangidProfileSchema = z.object({
  about: z.string(),
  source: z.string(),
  licence: z.string(),
  languages: z
    .array(
      z.object({
        code: z.string().min(2),
        name: z.string(),
        /** log-probability of a trigram outside the stored ones */
        unseen: z.number(),
        /** trigram (3 UTF-16 code units) → log-probability */
        trigrams: z.record(z.string().length(3), z.number()),
      }),
    )
    .min(2),
});
export type LangidProfile = z.infer<typeof LangidProfileSchema>;

export interface LanguageJudgement {
  /** letters the score is based on (0: nothing to judge) */
  letters: number;
  /** index into `languages` of the most likely language */
  best: number;
  /** expected language's score minus the best other language's (mean log-probability per trigram) */
  margin: number;
}

export class LanguageIdentifier {
  readonly languages: ReadonlyArray<{ code: string; name: string }>;
  private readonly mask: number;
  /** open addressing: the packed trigram in each used slot, -1 in an empty one */
  private readonly keys: Float64Array;
  /** slot × language → log-probability (the language's unseen value where it lacks the trigram) */
  private readonly logp: Float32Array;
  private readonly unseen: Float64Array;
  private readonly sums: Float64Array;

  constructor(profile: LangidProfile) {
    const L = profile.languages.length;
    this.languages = profile.languages.map(({ code, name }) => ({ code, name }));
    this.unseen = Float64Array.from(profile.languages, (l) => l.unseen);
    const all = new Set(profile.languages.flatMap((l) => Object.keys(l.trigrams)));
    let size = 1024;
    while (size < all.size * 4) size *= 2;
    this.mask = size - 1;
    this.keys = new Float64Array(size).fill(-1);
    this.logp = new Float32Array(size * L);
    for (let slot = 0; slot < size; slot++) for (let l = 0; l < L; l++) this.logp[slot * L + l] = this.unseen[l];
    profile.languages.forEach((lang, l) => {
      for (const [t, lp] of Object.entries(lang.trigrams)) {
        const key = trigramOf(t);
        const slot = this.slot(key, t.charCodeAt(0), t.charCodeAt(1), t.charCodeAt(2), true);
        this.logp[slot * L + l] = lp;
      }
    });
    this.sums = new Float64Array(L);
  }

  indexOf(code: string): number {
    const i = this.languages.findIndex((l) => l.code === code);
    if (i < 0) throw new WorkbenchError('internal', `the language profile has no "${code}"`);
    return i;
  }

  /** The slot of a trigram: its own, or (insert) a free one, or -1 when it is not in the table. */
  private slot(key: number, a: number, b: number, c: number, insert = false): number {
    let s = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35)) & this.mask;
    for (;;) {
      const k = this.keys[s];
      if (k === key) return s;
      if (k === -1) {
        if (!insert) return -1;
        this.keys[s] = key;
        return s;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** How a text scores against the expected language (an index into `languages`). */
  judge(text: string, expected: number): LanguageJudgement {
    const L = this.languages.length;
    const sums = this.sums.fill(0);
    let n = 0;
    const letters = forEachTrigram(text, (a, b, c) => {
      n++;
      const s = this.slot(packTrigram(a, b, c), a, b, c);
      if (s < 0) for (let l = 0; l < L; l++) sums[l] += this.unseen[l];
      else for (let l = 0, base = s * L; l < L; l++) sums[l] += this.logp[base + l];
    });
    if (n === 0) return { letters: 0, best: expected, margin: 0 };
    let best = 0;
    let other = -Infinity;
    for (let l = 0; l < L; l++) {
      if (sums[l] > sums[best]) best = l;
      if (l !== expected && sums[l] > other) other = sums[l];
    }
    return { letters, best, margin: (sums[expected] - other) / n };
  }
}

let shipped: LanguageIdentifier | null = null;

/** The identifier of the profile shipped in resources/langid (read once). */
export function shippedLanguageIdentifier(): LanguageIdentifier {
  if (shipped) return shipped;
  const file = `${resourcesDir()}/langid/profile.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new WorkbenchError('internal', `cannot read the language profile ${file}: ${(err as Error).message}`, {
      file,
    });
  }
  const parsed = LangidProfileSchema.safeParse(raw);
  if (!parsed.success) throw new WorkbenchError('internal', `${file}: not a language profile`, { file });
  return (shipped = new LanguageIdentifier(parsed.data));
}
