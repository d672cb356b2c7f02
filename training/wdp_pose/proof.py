"""Deterministic training proof: a fixed-seed run of N AdamW steps on an analytic synthetic set,
then SHA-256 over the model state sorted by name. Per tensor: u32 LE name length, UTF-8 name,
the flattened tensor as float32 LE (BatchNorm running statistics included; integer counters are
converted to float32 too). Equality holds for the same torch build and CPU kernels only; the
expected file records the versions it was produced with."""
import hashlib
import struct

import numpy as np
import torch

from .losses import pose_loss
from .model import PoseTCN

STEPS = 50
BATCH = 4


def synthetic_set(n=200, frames=16, links=1):
    """Analytic inputs (sines whose frequency encodes the target) and targets; no RNG involved."""
    t = np.arange(frames, dtype=np.float32)[None, :, None]
    k = np.arange(n, dtype=np.float32)[:, None, None]
    f = np.arange(links * 112, dtype=np.float32)[None, None, :]
    x = np.sin(0.05 * (k % 17 + 1) * t + 0.01 * f).astype(np.float32)
    y = np.zeros((n, 1, 17, 3), np.float32)
    y[:, 0, :, 2] = 0.5 + 0.05 * (np.arange(n)[:, None] % 17) + 0.01 * np.arange(17)[None, :]
    present = (np.arange(n) % 5 != 0).astype(np.float32)[:, None]
    return x, y, present


def state_hash(model):
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        b = name.encode("utf-8")
        h.update(struct.pack("<I", len(b)))
        h.update(b)
        h.update(tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes())
    return h.hexdigest()


def run(steps=STEPS):
    """Returns (hash, losses)."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = PoseTCN(links=1, frames=16, width=16, hidden=32)
    x, y, present = synthetic_set()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    model.train()
    losses = []
    for s in range(steps):
        i = slice((s * BATCH) % len(x), (s * BATCH) % len(x) + BATCH)  # not shuffled
        kp, conf, score = model(torch.from_numpy(x[i]))
        loss, _ = pose_loss(kp, conf, score, torch.from_numpy(y[i]), torch.from_numpy(present[i]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    return state_hash(model), losses


def environment():
    return f"torch {torch.__version__}, numpy {np.__version__}, 1 CPU thread"
