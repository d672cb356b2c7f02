"""MM-Fi (NeurIPS 2023) loader for its real layout (../shared/docs/pose-and-metrics.md section 3):

  ROOT/E01..E04/S01..S40/A01..A27/wifi-csi/frame001.mat .. frame297.mat  (CSIamp, CSIphase [3,114,10])
  ROOT/E../S../A../ground_truth.npy  [297, 17, 3]  (x, y, z metres; column 2 is z, not visibility)

Frame preprocessing follows the official toolbox: inf -> NaN, NaN -> mean of its packet column,
then per-frame min-max to [0, 1]. Subcarriers 114 -> 56 with the endpoint-preserving linear map.
Splits: cross_scene (train S01-S30, test S31-S40) and cross_subject (test S05, S10, ..., S40)."""
import os
import re

import numpy as np

FRAMES_PER_SEQUENCE = 297
ENV_OF_SUBJECT = {s: (s - 1) // 10 + 1 for s in range(1, 41)}


def map_114_to_56(x):
    """Endpoint-preserving linear interpolation along the last axis (114 -> 56)."""
    pos = np.arange(56) * 113.0 / 55.0
    i0 = np.floor(pos).astype(int)
    i1 = np.ceil(pos).astype(int)
    w = (pos - i0).astype(np.float32)
    return (1 - w) * x[..., i0] + w * x[..., i1]


def clean_frame(amp):
    """Toolbox frame preprocessing on [3, 114, 10]: inf->NaN, NaN->column mean, min-max to [0, 1]."""
    a = np.array(amp, dtype=np.float64)
    a[np.isinf(a)] = np.nan
    if np.isnan(a).any():
        col_mean = np.nanmean(a, axis=(0, 1), keepdims=True)  # mean of each packet column
        col_mean = np.where(np.isnan(col_mean), 0.0, col_mean)
        a = np.where(np.isnan(a), np.broadcast_to(col_mean, a.shape), a)
    lo, hi = a.min(), a.max()
    return ((a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)).astype(np.float32)


def _load_mat(path):
    from scipy.io import loadmat
    m = loadmat(path)
    if "CSIamp" not in m:
        raise ValueError(f"{path}: no CSIamp field")
    return m["CSIamp"], m.get("CSIphase")


def sequences(root, subjects=None, actions=None):
    """Yields (env, subject, action, action_dir) for every action folder present under root."""
    for env in sorted(d for d in os.listdir(root) if re.fullmatch(r"E0[1-4]", d)):
        for subj in sorted(d for d in os.listdir(os.path.join(root, env)) if re.fullmatch(r"S\d\d", d)):
            s = int(subj[1:])
            if subjects is not None and s not in subjects:
                continue
            for act in sorted(d for d in os.listdir(os.path.join(root, env, subj)) if re.fullmatch(r"A\d\d", d)):
                a = int(act[1:])
                if actions is not None and a not in actions:
                    continue
                yield env, s, a, os.path.join(root, env, subj, act)


def split_subjects(protocol):
    if protocol == "cross_scene":
        return list(range(1, 31)), list(range(31, 41))
    if protocol == "cross_subject":
        test = list(range(5, 41, 5))
        return [s for s in range(1, 41) if s not in test], test
    raise ValueError(f"unknown MM-Fi split {protocol!r}")


def load_sequence(action_dir, window=10):
    """One action folder -> X [N, window, 3, 56, 1] (amplitude, 114->56) and Y [N, 1, 17, 3] (metres),
    one sample per frame whose label is the LAST frame of its window (no look-ahead)."""
    gt = np.load(os.path.join(action_dir, "ground_truth.npy"))
    if gt.ndim != 3 or gt.shape[1:] != (17, 3):
        raise ValueError(f"{action_dir}: ground_truth.npy must be [frames, 17, 3], got {gt.shape}")
    csi_dir = os.path.join(action_dir, "wifi-csi")
    frames = sorted(f for f in os.listdir(csi_dir) if re.fullmatch(r"frame\d{3}\.mat", f))
    if len(frames) != gt.shape[0]:
        raise ValueError(f"{action_dir}: {len(frames)} CSI frames but {gt.shape[0]} labels")
    # Each frame holds 10 packets: treat the packets as time steps.
    # [3, 114, 10] per frame -> subcarriers last for the map -> [F, 10 packets, 3, 56]
    amps = np.stack([map_114_to_56(clean_frame(_load_mat(os.path.join(csi_dir, f))[0]).transpose(0, 2, 1))
                     for f in frames])  # [F, 3, 10, 56]
    amps = amps.transpose(0, 2, 1, 3)
    xs, ys = [], []
    for i in range(len(frames)):
        lo = max(0, i - window + 1)
        seq = amps[lo:i + 1].reshape(-1, 3, 56)[-window * 10:]
        if seq.shape[0] < window * 10:
            continue
        xs.append(seq[..., None])
        ys.append(gt[i][None])
    if not xs:
        return np.zeros((0, window * 10, 3, 56, 1), np.float32), np.zeros((0, 1, 17, 3), np.float32)
    return np.stack(xs).astype(np.float32), np.stack(ys).astype(np.float32)


def load(root, protocol="cross_scene", part="train", window=10, actions=None):
    train, test = split_subjects(protocol)
    subjects = train if part == "train" else test
    xs, ys = [], []
    for _, _, _, d in sequences(root, subjects=set(subjects), actions=actions):
        x, y = load_sequence(d, window)
        xs.append(x)
        ys.append(y)
    if not xs:
        raise FileNotFoundError(f"{root}: no MM-Fi action folders for {protocol}/{part}")
    return np.concatenate(xs), np.concatenate(ys)
