"""A small temporal convolutional network over the feature window.

Only ops OpenCV DNN 4.6 imports exactly (Transpose, Conv1d, BatchNorm, ReLU, Add, average pooling,
Flatten, Gemm, Sigmoid; Dropout is an identity in the exported graph): no GRU/LSTM/attention (docs/model-contract.md)."""
import torch
from torch import nn

from .contract import BINS, CHANNELS, KEYPOINTS


class Block(nn.Module):
    """Dilated residual conv block: x + ReLU(BN(Conv(x)))."""

    def __init__(self, ch, dilation):
        super().__init__()
        self.conv = nn.Conv1d(ch, ch, 3, padding=dilation, dilation=dilation, bias=False)
        self.bn = nn.BatchNorm1d(ch)
        self.act = nn.ReLU()

    def forward(self, x):
        return x + self.act(self.bn(self.conv(x)))


class PoseTCN(nn.Module):
    def __init__(self, links=3, frames=64, width=96, hidden=128, persons=1, dilations=(1, 2, 4), dropout=0.0):
        super().__init__()
        self.links, self.frames, self.persons = links, frames, persons
        feat = links * BINS * CHANNELS
        self.stem = nn.Sequential(nn.Conv1d(feat, width, 5, stride=2, padding=2, bias=False),
                                  nn.BatchNorm1d(width), nn.ReLU())
        self.blocks = nn.Sequential(*[Block(width, d) for d in dilations])
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Sequential(nn.Dropout(dropout), nn.Linear(width, hidden), nn.ReLU(), nn.Dropout(dropout))
        self.kp = nn.Linear(hidden, persons * KEYPOINTS * 3)
        self.conf = nn.Linear(hidden, persons * KEYPOINTS)
        self.score = nn.Linear(hidden, persons)

    def init_mean_pose(self, mean_pose):
        """Start the keypoint head at the training set's mean pose ([17, 3] metres)."""
        with torch.no_grad():
            self.kp.bias.copy_(torch.as_tensor(mean_pose, dtype=torch.float32).reshape(-1).repeat(self.persons))
            self.kp.weight.mul_(0.1)

    def forward(self, window):
        # window: [B, T, L*56*2] -> channels first for the convolutions
        h = self.blocks(self.stem(window.transpose(1, 2)))
        h = self.fc(self.flatten(self.pool(h)))
        return self.kp(h), torch.sigmoid(self.conf(h)), torch.sigmoid(self.score(h))
