"""pose-dataset directories (services/pose-inference/dataset): X [N,T,L,56,2], Y [N,1,17,3] body
frame, present [N,1], split [N] with codes from meta.json."""
import json
import os

import numpy as np

SPLITS = ("train", "val", "test_room", "test_subject")


class PoseDataset:
    def __init__(self, root, mmap=False):
        self.root = root
        with open(os.path.join(root, "meta.json")) as f:
            self.meta = json.load(f)
        if self.meta.get("format") != "wdp-pose-dataset/1":
            raise ValueError(f"{root}: not a wdp-pose-dataset/1 directory")
        mode = "r" if mmap else None
        self.x = np.load(os.path.join(root, "X.npy"), mmap_mode=mode)
        self.y = np.load(os.path.join(root, "Y.npy"))
        self.present = np.load(os.path.join(root, "present.npy"))
        self.split = np.load(os.path.join(root, "split.npy"))
        self.room = np.load(os.path.join(root, "room.npy"))
        self.subject = np.load(os.path.join(root, "subject.npy"))
        n = self.x.shape[0]
        for name, a in (("Y", self.y), ("present", self.present), ("split", self.split)):
            if a.shape[0] != n:
                raise ValueError(f"{root}: {name} has {a.shape[0]} rows, X has {n}")
        if self.x.ndim != 5 or self.x.shape[3:] != (56, 2):
            raise ValueError(f"{root}: X must be [N,T,L,56,2], got {self.x.shape}")

    @property
    def frames(self):
        return self.x.shape[1]

    @property
    def links(self):
        return self.x.shape[2]

    def indices(self, split):
        return np.nonzero(self.split == SPLITS.index(split))[0]

    def batch(self, idx):
        """Raw X as [B, T, L*56*2] float32 (the ONNX input layout before normalization), Y, present."""
        idx = np.sort(np.asarray(idx))
        x = np.asarray(self.x[idx], dtype=np.float32)
        return x.reshape(len(idx), self.frames, -1), self.y[idx].astype(np.float32), self.present[idx].astype(np.float32)
