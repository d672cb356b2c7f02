"""Input normalization of a window [T, F] (F = L*56*2, channel = f % 2):
  1. temporal demeaning: x[t, f] -= mean over t of x[., f]  (removes the room's static multipath,
     which does not transfer to unseen rooms; the motion the body causes remains)
  2. x' = clip((x - mean[c]) / std[c], -CLIP, CLIP), c = amplitude / phase.
The C++ backend (model_contract.cpp) applies the same steps with the statistics from the ONNX metadata."""
import numpy as np

from .contract import CLIP


def channel_stats(x, rows=None, max_samples=2000, seed=0):
    """Mean and std per last-axis channel of a [N, T, L, 56, C] array over `rows` (default all;
    a random subset of at most max_samples rows, for speed)."""
    rows = np.arange(x.shape[0]) if rows is None else np.asarray(rows)
    idx = np.sort(np.random.default_rng(seed).choice(rows, size=min(len(rows), max_samples), replace=False))
    sub = np.asarray(x[idx], dtype=np.float64)
    sub = sub - sub.mean(axis=1, keepdims=True)  # temporal demeaning, axis 1 = T
    c = sub.shape[-1]
    flat = sub.reshape(-1, c)
    mean = flat.mean(axis=0)
    std = np.maximum(flat.std(axis=0), 1e-6)
    return mean.astype(np.float32), std.astype(np.float32)


def normalize(x, mean, std):
    """[B, T, F] raw windows -> normalized float32 [B, T, F] (F interleaves amplitude, phase)."""
    x = np.asarray(x, dtype=np.float32)
    x = x - x.mean(axis=1, keepdims=True)
    b, t, f = x.shape
    y = (x.reshape(b, t, f // 2, 2) - mean) / std
    return np.clip(y, -CLIP, CLIP).astype(np.float32).reshape(b, t, f)
