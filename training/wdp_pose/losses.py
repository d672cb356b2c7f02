"""Training losses: keypoints (smooth L1, metres, masked to present persons), per-keypoint
confidence (BCE against exp(-d^2 / (2 s^2)) of the detached error) and person score (BCE)."""
import torch
import torch.nn.functional as F

CONF_SCALE_M = 0.1
SMOOTH_L1_BETA_M = 0.05


def pose_loss(kp, conf, score, y, present, w_conf=0.1, w_score=0.2):
    """kp [B, K*51], conf [B, K*17], score [B, K]; y [B, K, 17, 3]; present [B, K] in {0, 1}.
    Returns (total, dict of parts)."""
    b, k = present.shape
    kp = kp.reshape(b, k, 17, 3)
    conf = conf.reshape(b, k, 17)
    m = present.float()
    n = m.sum().clamp(min=1.0)
    per_joint = F.smooth_l1_loss(kp, y, reduction="none", beta=SMOOTH_L1_BETA_M).sum(-1)  # [B, K, 17]
    l_kp = (per_joint.mean(-1) * m).sum() / n
    with torch.no_grad():
        d = (kp - y).norm(dim=-1)
        target = torch.exp(-d ** 2 / (2 * CONF_SCALE_M ** 2))
    l_conf = (F.binary_cross_entropy(conf.clamp(1e-6, 1 - 1e-6), target, reduction="none").mean(-1) * m).sum() / n
    l_score = F.binary_cross_entropy(score.clamp(1e-6, 1 - 1e-6), m)
    total = l_kp + w_conf * l_conf + w_score * l_score
    return total, {"kp": l_kp.item(), "conf": l_conf.item(), "score": l_score.item()}
