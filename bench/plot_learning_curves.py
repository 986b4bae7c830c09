# Draws the train-loss curves of bench/learning-parity.ts into one PNG.
# Usage: /usr/bin/python3 bench/plot_learning_curves.py curves.csv out.png [title]
# The CSV: a header "epoch,NAME,..." and one row per epoch (an empty cell: no value that epoch).
import csv, sys
import matplotlib
matplotlib.use('Agg')  # no display
import matplotlib.pyplot as plt

src, png = sys.argv[1], sys.argv[2]
title = sys.argv[3] if len(sys.argv) > 3 else 'train loss per epoch'
with open(src) as f:
    rows = list(csv.reader(f))
head, body = rows[0], rows[1:]
fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
for c, name in enumerate(head[1:], start=1):
    points = [(int(r[0]), float(r[c])) for r in body if r[c]]
    ax.plot([p[0] for p in points], [p[1] for p in points], marker='o', markersize=3, label=f'{name} (epoch {points[-1][0]}: {points[-1][1]:.3f})')
ax.set_xlabel('epoch')
ax.set_ylabel('train loss per target token (cross-entropy, nats)')
ax.set_title(title, fontsize=10)
ax.grid(True, alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig(png)
