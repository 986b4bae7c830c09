# The PyTorch twin of bench/learning-parity.ts: the workbench's tatoeba-lstm model (no attention, the
# encoder's final (h, c) handed to the decoder, dropout before the output layer) trained on the batches
# that script wrote, in the same order, with the same update: summed token cross-entropy over real
# target tokens / target tokens, clip_grad_norm_ to the config's norm, Adam.
# Usage: /usr/bin/python3 bench/pytorch_learning_parity.py batches.json [--init=pytorch|workbench]
#   pytorch:   PyTorch's own defaults (embeddings N(0, 1); LSTM weights and both biases U(+-1/sqrt(H));
#              Linear U(+-1/sqrt(in))).
#   workbench: the workbench's scheme before the init options (embeddings U(+-sqrt(3/E)); LSTM kernels
#              and the output layer Xavier-uniform over the whole [in, 4H] / [H, V] matrix; LSTM bias 0 but
#              1 on the forget gate; output bias 0), to test initialisation as the cause from this side.
# Prints one JSON line per epoch: {"epoch": e, "loss": mean loss per target token, "seconds": s}.
import json, math, sys, time
import torch, torch.nn as nn
from pytorch_batches import padded_batch

data = json.load(open(sys.argv[1]))
init = next((a.split('=', 1)[1] for a in sys.argv[2:] if a.startswith('--init=')), 'pytorch')
cfg = data['config']
torch.manual_seed(cfg['seed'])
torch.set_num_threads(1)
SV, TV, E, H = data['src_vocab'], data['trg_vocab'], cfg['embedding_dim'], cfg['hidden_size']
PAD, SOS, EOS = data['pad'], data['sos'], data['eos']


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed, self.trg_embed = nn.Embedding(SV, E), nn.Embedding(TV, E)
        self.encoder, self.decoder = nn.LSTM(E, H, batch_first=True), nn.LSTM(E, H, batch_first=True)
        self.dropout = nn.Dropout(cfg['dropout'])
        self.out = nn.Linear(H, TV)

    def forward(self, src, src_len, trg_in):
        packed = nn.utils.rnn.pack_padded_sequence(self.src_embed(src), src_len, batch_first=True, enforce_sorted=False)
        _, state = self.encoder(packed)  # the state after each sentence's last real token
        o, _ = self.decoder(self.trg_embed(trg_in), state)  # teacher forcing
        return self.out(self.dropout(o))  # [B, T, V]


def workbench_init(m):
    with torch.no_grad():
        for emb in (m.src_embed, m.trg_embed):
            nn.init.uniform_(emb.weight, -math.sqrt(3 / E), math.sqrt(3 / E))
        for lstm in (m.encoder, m.decoder):
            for w, fan_in in ((lstm.weight_ih_l0, E), (lstm.weight_hh_l0, H)):  # torch stores [4H, in]
                a = math.sqrt(6 / (fan_in + 4 * H))
                nn.init.uniform_(w, -a, a)
            lstm.bias_ih_l0.zero_()
            lstm.bias_ih_l0[H:2 * H] = 1.0
            lstm.bias_hh_l0.zero_()
        a = math.sqrt(6 / (H + TV))
        nn.init.uniform_(m.out.weight, -a, a)
        m.out.bias.zero_()


m = Seq2Seq()
if init == 'workbench':
    workbench_init(m)
opt = torch.optim.Adam(m.parameters(), lr=cfg['learning_rate'], betas=tuple(cfg['adam_betas']), eps=1e-8)
xent = nn.CrossEntropyLoss(ignore_index=PAD, reduction='sum')
examples = data['examples']


def batch(indices):
    return padded_batch(examples, indices, PAD, SOS, EOS)


m.train()
t0 = time.time()
for e, batches in enumerate(data['epochs']):
    total, tokens = 0.0, 0
    for indices in batches:
        src, src_len, trg_in, trg_out, n = batch(indices)
        opt.zero_grad()
        loss = xent(m(src, src_len, trg_in).reshape(-1, TV), trg_out.reshape(-1)) / n
        loss.backward()
        if cfg['clip_grad_norm']:
            nn.utils.clip_grad_norm_(m.parameters(), cfg['clip_grad_norm'])
        opt.step()
        total += loss.item() * n
        tokens += n
    print(json.dumps({'epoch': e + 1, 'loss': total / tokens, 'seconds': round(time.time() - t0, 1)}), flush=True)
