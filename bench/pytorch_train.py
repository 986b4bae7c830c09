# The PyTorch twins of bench/train.ts: the workbench's tatoeba-lstm and tatoeba-attention models trained on
# the batches bench/train.ts wrote (the trainer's length-bucketed batches, in its order), with the
# trainer's update: summed token cross-entropy over real target tokens / target tokens, clip_grad_norm_,
# Adam. Times `steps` updates after `warmup` and prints one JSON line.
#   lstm:      the encoder's final (h, c) handed to the decoder, dropout before the output layer.
#   attention: bidirectional encoder, a bridge (h0 = tanh(W_h [h_fwd; h_bwd]), c0 = W_c [c_fwd; c_bwd]),
#              Bahdanau attention with the new decoder state as query, the attentional vector
#              tanh(W [h; context]) fed to the next step (input feeding), dropout before the output layer:
#              JoeyNMT's RecurrentDecoder as the workbench builds it (src-main/core/model/recurrent-model.ts).
# Usage: /usr/bin/python3 bench/pytorch_train.py plan.json --model=lstm|attention [--steps=200] [--warmup=5]
# Threads: one intra-op thread; OpenBLAS's own come from OPENBLAS_NUM_THREADS.
import json, resource, sys, time
import torch, torch.nn as nn
from pytorch_batches import padded_batch

opts = dict(a[2:].split('=', 1) for a in sys.argv[2:] if a.startswith('--'))
data = json.load(open(sys.argv[1]))
cfg = data['config']
torch.manual_seed(cfg['seed'])
torch.set_num_threads(1)
SV, TV, E, H = data['srcVocab'], data['trgVocab'], cfg['embedding_dim'], cfg['hidden_size']
PAD, SOS, EOS = data['pad'], data['sos'], data['eos']


def encode(embed, lstm, src, src_len):
    packed = nn.utils.rnn.pack_padded_sequence(embed(src), src_len, batch_first=True, enforce_sorted=False)
    out, state = lstm(packed)
    states, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
    return states, state  # [B, S, dirs*H]; (h, c) each [dirs, B, H]


class PlainSeq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed, self.trg_embed = nn.Embedding(SV, E), nn.Embedding(TV, E)
        self.encoder, self.decoder = nn.LSTM(E, H, batch_first=True), nn.LSTM(E, H, batch_first=True)
        self.dropout = nn.Dropout(cfg['dropout'])
        self.out = nn.Linear(H, TV)

    def forward(self, src, src_len, trg_in):
        _, state = encode(self.src_embed, self.encoder, src, src_len)
        o, _ = self.decoder(self.trg_embed(trg_in), state)  # teacher forcing
        return self.out(self.dropout(o))  # [B, T, V]


class AttentionSeq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed, self.trg_embed = nn.Embedding(SV, E), nn.Embedding(TV, E)
        self.encoder = nn.LSTM(E, H, batch_first=True, bidirectional=True)
        self.bridge_h, self.bridge_c = nn.Linear(2 * H, H, bias=False), nn.Linear(2 * H, H, bias=False)
        self.key_layer, self.query_layer = nn.Linear(2 * H, H, bias=False), nn.Linear(H, H, bias=False)
        self.energy_layer = nn.Linear(H, 1, bias=False)
        self.cell = nn.LSTMCell(E + H, H)
        self.att_layer = nn.Linear(H + 2 * H, H, bias=False)
        self.dropout = nn.Dropout(cfg['dropout'])
        self.out = nn.Linear(H, TV)

    def forward(self, src, src_len, trg_in):
        states, (hn, cn) = encode(self.src_embed, self.encoder, src, src_len)
        h = torch.tanh(self.bridge_h(torch.cat([hn[0], hn[1]], 1)))
        c = self.bridge_c(torch.cat([cn[0], cn[1]], 1))
        keys = self.key_layer(states)  # [B, S, H]
        pad = (src == PAD).unsqueeze(2)  # [B, S, 1]
        emb = self.trg_embed(trg_in)  # [B, T, E]
        att = torch.zeros(src.shape[0], H)
        outs = []
        for t in range(trg_in.shape[1]):
            h, c = self.cell(torch.cat([emb[:, t], att], 1), (h, c))
            energy = self.energy_layer(torch.tanh(keys + self.query_layer(h).unsqueeze(1)))  # [B, S, 1]
            weights = torch.softmax(energy.masked_fill(pad, -1e9), 1)
            context = (weights * states).sum(1)  # [B, 2H]
            att = torch.tanh(self.att_layer(torch.cat([h, context], 1)))
            outs.append(att)
        return self.out(self.dropout(torch.stack(outs, 1)))


m = AttentionSeq2Seq() if opts.get('model') == 'attention' else PlainSeq2Seq()
m.train()
opt = torch.optim.Adam(m.parameters(), lr=cfg['learning_rate'], betas=tuple(cfg['adam_betas']), eps=1e-8)
xent = nn.CrossEntropyLoss(ignore_index=PAD, reduction='sum')
examples = data['examples']


def batch(indices):
    return padded_batch(examples, indices, PAD, SOS, EOS)


def step(indices):
    src, src_len, trg_in, trg_out, n = batch(indices)
    opt.zero_grad()
    loss = xent(m(src, src_len, trg_in).reshape(-1, TV), trg_out.reshape(-1)) / n
    loss.backward()
    if cfg['clip_grad_norm']:
        nn.utils.clip_grad_norm_(m.parameters(), cfg['clip_grad_norm'])
    opt.step()
    loss.item()
    return n


warmup, steps = int(opts.get('warmup', 5)), int(opts.get('steps', 200))
plan = data['batches']
for i in range(warmup):
    step(plan[i % len(plan)])
tokens, t0, c0 = 0, time.perf_counter(), time.process_time()
for i in range(steps):
    tokens += step(plan[(warmup + i) % len(plan)])
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({'backend': f'pytorch {torch.__version__}', 'tokens_per_s': tokens / wall, 'ms_per_step': 1000 * wall / steps,
                  'cpu_ms_per_step': 1000 * cpu / steps, 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
