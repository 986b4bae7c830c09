# Reference for bench/train.ts: the same seq2seq LSTM (no attention) trained by PyTorch on this machine.
# Usage: /usr/bin/python3 bench/pytorch_lstm.py [threads] [steps]   (prints one JSON line)
# threads: PyTorch's intra-op threads; OpenBLAS's own come from OPENBLAS_NUM_THREADS (default: all cores).
import json, resource, sys, time
import torch, torch.nn as nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
torch.manual_seed(0)
torch.set_num_threads(threads)
SV, TV, E, H, B, S, T = 2000, 3000, 128, 256, 64, 10, 10

class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed, self.trg_embed = nn.Embedding(SV, E), nn.Embedding(TV, E)
        self.encoder, self.decoder = nn.LSTM(E, H, batch_first=True), nn.LSTM(E, H, batch_first=True)
        self.out = nn.Linear(H, TV)
    def forward(self, x, y):
        _, state = self.encoder(self.src_embed(x))         # final (h, c) is the context
        o, _ = self.decoder(self.trg_embed(y), state)      # teacher forcing
        return self.out(o)                                  # [B, T, V]

m = Seq2Seq()
opt = torch.optim.Adam(m.parameters(), 1e-3)
loss_fn = nn.CrossEntropyLoss(ignore_index=0)
x = torch.randint(4, SV, (B, S)); y = torch.randint(4, TV, (B, T + 1))
def step():
    opt.zero_grad()
    loss = loss_fn(m(x, y[:, :-1]).reshape(-1, TV), y[:, 1:].reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    opt.step()
for _ in range(5): step()
t = time.time()
for _ in range(steps): step()
dt = time.time() - t
print(json.dumps({"backend": f"pytorch {torch.__version__} ({threads} thread{'s' if threads > 1 else ''})",
                  "tokens_per_s": steps * B * T / dt, "ms_per_step": 1000 * dt / steps,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
