"""Training loop: AdamW, linear warm-up then cosine decay, gradient clipping, early stopping on
validation torso-PCK@0.2 (unseen val rooms), checkpoints, tqdm progress, CSV log and PNG curves."""
import csv
import json
import math
import os
import time

import numpy as np
import torch
from tqdm import tqdm

from .losses import pose_loss
from .metrics import mpjpe, torso_pck
from .model import PoseTCN
from .normalization import channel_stats, normalize


class Config:
    def __init__(self, **kw):
        self.epochs = 40
        self.batch = 64
        self.lr = 2e-3
        self.warmup_epochs = 2
        self.patience = 8
        self.clip = 1.0
        self.seed = 42
        self.width = 96
        self.hidden = 128
        self.threads = 2
        self.max_train = 0          # 0 = all
        self.time_limit_s = 0       # 0 = none: stop after the epoch that crosses it
        self.augment_noise = 0.1    # std of Gaussian noise on normalized inputs
        self.dropout = 0.2
        self.permute_links = True
        self.init = ""              # checkpoint to start from (fine-tuning); its rooms must not be in the test split
        self.weight_decay = 1e-3
        for k, v in kw.items():
            if not hasattr(self, k):
                raise ValueError(f"unknown config key {k}")
            setattr(self, k, v)


def lr_at(cfg, epoch_float):
    if epoch_float < cfg.warmup_epochs:
        return cfg.lr * max(epoch_float, 0.05) / cfg.warmup_epochs
    p = (epoch_float - cfg.warmup_epochs) / max(1e-9, cfg.epochs - cfg.warmup_epochs)
    return 1e-5 + 0.5 * (cfg.lr - 1e-5) * (1 + math.cos(math.pi * min(1.0, p)))


def _to_torch(ds, idx, mean, std, clip, permute_links=None):
    x, y, present = ds.batch(idx)
    if permute_links is not None:  # links of random rooms are interchangeable: augment by their order
        b, t = x.shape[:2]
        x = x.reshape(b, t, ds.links, -1)[:, :, permute_links].reshape(b, t, -1)
    x = normalize(x, mean, std).reshape(x.shape[0], x.shape[1], -1)
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(present)


@torch.no_grad()
def predict(model, ds, idx, mean, std, clip, batch=256):
    model.eval()
    kps, scores = [], []
    for s in range(0, len(idx), batch):
        x, _, _ = _to_torch(ds, idx[s:s + batch], mean, std, clip)
        kp, _, score = model(x)
        kps.append(kp.numpy().reshape(len(x), -1, 17, 3))
        scores.append(score.numpy())
    return np.concatenate(kps), np.concatenate(scores)


def evaluate(model, ds, idx, mean, std, clip):
    idx = np.sort(idx)
    kp, score = predict(model, ds, idx, mean, std, clip)
    present = ds.present[idx][:, 0] > 0
    gt = ds.y[idx][:, 0]
    return {"torso_pck20": torso_pck(kp[present, 0], gt[present]),
            "mpjpe_m": mpjpe(kp[present, 0], gt[present]),
            "presence_acc": float(((score[:, 0] > 0.5) == present).mean())}


def save_curves(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ep = [r["epoch"] for r in rows]
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    ax[0].plot(ep, [r["train_loss"] for r in rows], label="train loss")
    ax[0].set_xlabel("epoch"); ax[0].set_yscale("log"); ax[0].legend()
    ax[1].plot(ep, [r["val_torso_pck20"] for r in rows], label="val torso-PCK@0.2 (unseen rooms)")
    ax[1].set_xlabel("epoch"); ax[1].set_ylim(0, 1); ax[1].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def train(ds, out_dir, cfg, log=lambda s: print(s, flush=True)):
    from .contract import CLIP
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    train_idx = ds.indices("train")
    if cfg.max_train and len(train_idx) > cfg.max_train:
        train_idx = np.sort(rng.choice(train_idx, cfg.max_train, replace=False))
    val_idx = ds.indices("val")
    if len(val_idx) == 0:
        val_idx = train_idx[: max(1, len(train_idx) // 10)]
    mean, std = channel_stats(ds.x, train_idx, seed=cfg.seed)
    present = ds.present[train_idx][:, 0] > 0
    mean_pose = ds.y[train_idx][present, 0].mean(axis=0) if present.any() else np.zeros((17, 3), np.float32)
    model = PoseTCN(links=ds.links, frames=ds.frames, width=cfg.width, hidden=cfg.hidden, dropout=cfg.dropout)
    model.init_mean_pose(mean_pose)
    if cfg.init:
        model.load_state_dict(torch.load(cfg.init)["model"])
        log(f"initialised from {cfg.init}")
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps_per_epoch = max(1, len(train_idx) // cfg.batch)
    best, best_epoch, rows = -1.0, -1, []
    start = time.time()
    for epoch in range(cfg.epochs):
        model.train()
        order = rng.permutation(train_idx)
        total, t0 = 0.0, time.time()
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{cfg.epochs}", leave=False, mininterval=2)
        for s in bar:
            for g in opt.param_groups:
                g["lr"] = lr_at(cfg, epoch + s / steps_per_epoch)
            perm = rng.permutation(ds.links) if cfg.permute_links else None
            x, y, p = _to_torch(ds, order[s * cfg.batch:(s + 1) * cfg.batch], mean, std, CLIP, perm)
            if cfg.augment_noise > 0:
                x = x + cfg.augment_noise * torch.randn_like(x)
            kp, conf, score = model(x)
            loss, _ = pose_loss(kp, conf, score, y, p)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            opt.step()
            total += loss.item()
            bar.set_postfix(loss=f"{loss.item():.4f}")
        val = evaluate(model, ds, val_idx, mean, std, CLIP)
        row = {"epoch": epoch + 1, "train_loss": total / steps_per_epoch, "val_torso_pck20": val["torso_pck20"],
               "val_mpjpe_m": val["mpjpe_m"], "val_presence_acc": val["presence_acc"],
               "lr": opt.param_groups[0]["lr"], "duration_s": time.time() - t0}
        rows.append(row)
        log(json.dumps(row))
        ckpt = {"model": model.state_dict(), "mean": mean, "std": std, "epoch": epoch + 1,
                "config": vars(cfg), "links": ds.links, "frames": ds.frames}
        torch.save(ckpt, os.path.join(out_dir, "last.pt"))
        if val["torso_pck20"] > best + 1e-4:
            best, best_epoch = val["torso_pck20"], epoch + 1
            torch.save(ckpt, os.path.join(out_dir, "best.pt"))
        elif epoch + 1 - best_epoch >= cfg.patience:
            log(f"early stop: no val improvement for {cfg.patience} epochs (best {best:.4f} at epoch {best_epoch})")
            break
        if cfg.time_limit_s and time.time() - start > cfg.time_limit_s:
            log(f"time limit {cfg.time_limit_s} s reached after epoch {epoch + 1}")
            break
    with open(os.path.join(out_dir, "log.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    save_curves(rows, os.path.join(out_dir, "curves.png"))
    best_ckpt = torch.load(os.path.join(out_dir, "best.pt"))
    model.load_state_dict(best_ckpt["model"])
    return model, {"best_val_torso_pck20": best, "best_epoch": best_epoch, "epochs_run": len(rows),
                   "train_samples": int(len(train_idx)), "val_samples": int(len(val_idx)),
                   "seconds": time.time() - start}, mean, std
