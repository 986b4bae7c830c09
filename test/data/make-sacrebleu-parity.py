"""Writes sacrebleu-parity.json: synthetic (generated, seeded) segments scored by
the real sacreBLEU, to check our BLEU/chrF options that ../shared/bleu-vectors.json
does not cover (intl/char/none tokenizers, smoothing methods, effective order,
lowercase, 3 references, chrF++, eps smoothing, Unicode whitespace, astral chars).

Run: python3 -m venv /tmp/sb && /tmp/sb/bin/pip install sacrebleu==2.6.0
     /tmp/sb/bin/python test/data/make-sacrebleu-parity.py
"""
import json
import os
import random

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF

rng = random.Random(20261125)
EN = ('the cat Cat THE sat on a mat dog ran quickly school begins at noon Tom Mary '
      "don't it's well-known U.S. a.m. e.g. İstanbul straße ΣΟΦΟΣ").split()
HI = ('मैं वह घर गया किताब पढ़ो नमस्ते क़िताब ज़िंदगी हूँ है हैं क्या स्कूल बास्\u200dकेटबॉल '
      'रुपये दिए में को से लिए').split()
PUNCT = list(',.!?;:"\'()-।॥$%&<>@#/[]{}~`^*+=|…“”‘’—') + ['&quot;', '&amp;', '&lt;', '<skipped>', '...']
NUM = ['3.14', '1,000', '2024-25', '२०२४', '10:30', '5th', '-7', '1.']
ODD = ['😀', '𝔘', '\u00a0', '\u3000', '\ufeff', '\x1c', '\u2009', '\u200b', 'e\u0301', '\t']


def sentence():
    toks = []
    for _ in range(rng.randint(0, 18)):
        r = rng.random()
        pool = EN if r < 0.35 else HI if r < 0.7 else PUNCT if r < 0.85 else NUM if r < 0.95 else ODD
        toks.append(rng.choice(pool))
    out = ''
    for t in toks:
        out += ('' if rng.random() < 0.2 else ' ') + t
    return out + (' ' if rng.random() < 0.1 else '')


def perturb(s):
    words = s.split(' ')
    out = []
    for w in words:
        r = rng.random()
        if r < 0.1:
            continue
        if r < 0.2:
            out.append(rng.choice(EN + HI))
        elif r < 0.25:
            out.append(w.upper())
        else:
            out.append(w)
    if rng.random() < 0.2:
        rng.shuffle(out)
    return ' '.join(out)


def corpus(n, nrefs):
    refs = [[sentence() for _ in range(n)] for _ in range(nrefs)]
    hyps = [perturb(refs[0][i]) if rng.random() < 0.9 else '' for i in range(n)]
    return hyps, refs


cases = []
bleu_variants = [
    dict(tokenize='13a'), dict(tokenize='intl'), dict(tokenize='char'), dict(tokenize='none'),
    dict(tokenize='intl', lowercase=True),
    dict(tokenize='13a', smooth_method='floor'), dict(tokenize='13a', smooth_method='floor', smooth_value=0.2),
    dict(tokenize='intl', smooth_method='add-k'), dict(tokenize='intl', smooth_method='add-k', smooth_value=2),
    dict(tokenize='13a', smooth_method='none'), dict(tokenize='13a', effective_order=True),
    dict(tokenize='none', smooth_method='floor', effective_order=True),
]
chrf_variants = [dict(), dict(word_order=2), dict(lowercase=True, word_order=2), dict(eps_smoothing=True), dict(beta=1, char_order=4)]

for k, opts in enumerate(bleu_variants):
    nrefs = [1, 2, 3][k % 3]
    hyps, refs = corpus(30, nrefs)
    b = BLEU(**opts)
    s = b.corpus_score(hyps, refs)
    cases.append(dict(metric='bleu', opts=opts, hyps=hyps, refs=refs, score=s.score, counts=s.counts,
                      totals=s.totals, sys_len=s.sys_len, ref_len=s.ref_len, signature=str(b.get_signature())))
# short segments where higher orders have no n-grams at all (smoothing/effective order paths)
hyps, refs = ['a b', 'c', ''], [['a b c', 'c d', 'x']]
for opts in [dict(tokenize='none', smooth_method=m, effective_order=e) for m in ['exp', 'floor', 'add-k', 'none'] for e in [False, True]]:
    b = BLEU(**opts)
    s = b.corpus_score(hyps, refs)
    cases.append(dict(metric='bleu', opts=opts, hyps=hyps, refs=refs, score=s.score, counts=s.counts,
                      totals=s.totals, sys_len=s.sys_len, ref_len=s.ref_len, signature=str(b.get_signature())))
for k, opts in enumerate(chrf_variants):
    hyps, refs = corpus(30, [1, 2][k % 2])
    c = CHRF(**opts)
    s = c.corpus_score(hyps, refs)
    cases.append(dict(metric='chrf', opts=opts, hyps=hyps, refs=refs, score=s.score, signature=str(c.get_signature())))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sacrebleu-parity.json')
with open(out, 'w', encoding='utf-8') as f:
    json.dump(dict(about=f'Synthetic segments scored by sacreBLEU {sacrebleu.__version__}; made by make-sacrebleu-parity.py',
                   cases=cases), f, ensure_ascii=False, indent=0)
print(out, len(cases))
