"""The padded batch both PyTorch twins train on, built as the workbench's makeBatch builds it."""
import torch


def padded_batch(examples, indices, pad, sos, eos):
    """src [B, S], src lengths [B], trg_in = <sos> y and trg_out = y <eos> [B, T], and the target token count."""
    rows = [examples[i] for i in indices]
    S, T = max(len(s) for s, _ in rows), max(len(t) for _, t in rows) + 1
    src = torch.full((len(rows), S), pad, dtype=torch.long)
    trg_in = torch.full((len(rows), T), pad, dtype=torch.long)
    trg_out = torch.full((len(rows), T), pad, dtype=torch.long)
    for b, (s, t) in enumerate(rows):
        src[b, :len(s)] = torch.tensor(s)
        trg_in[b, :len(t) + 1] = torch.tensor([sos] + t)
        trg_out[b, :len(t) + 1] = torch.tensor(t + [eos])
    return src, torch.tensor([len(s) for s, _ in rows]), trg_in, trg_out, sum(len(t) + 1 for _, t in rows)
