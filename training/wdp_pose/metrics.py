"""Validation metrics in Python, for model selection only. Reported numbers come from the C++
pose-eval (services/pose-inference/eval), which the tests cross-check against these."""
import numpy as np


def torso_pck(pred, gt, alpha=0.2):
    """Micro-averaged torso-PCK: joint correct if ||p - g|| <= alpha * ||g_6 - g_11||.
    pred, gt: [N, 17, 3]."""
    if len(gt) == 0:
        return float("nan")
    d = np.linalg.norm(pred - gt, axis=-1)
    torso = np.linalg.norm(gt[:, 6] - gt[:, 11], axis=-1)
    return float((d <= alpha * torso[:, None]).mean())


def mpjpe(pred, gt):
    return float(np.linalg.norm(pred - gt, axis=-1).mean()) if len(gt) else float("nan")
