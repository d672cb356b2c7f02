#!/usr/bin/python3
"""fp32 / fp16 / int8 variants of a checkpoint, measured side by side in torch on one split:
torso-PCK@0.2 (Python metric, same definition as pose-eval), MPJPE, serialized size and the
single-window latency on one thread. fp16 = weights rounded to half precision (compute in fp32,
what the fp16 ONNX would hold); int8 = torch dynamic quantization of the Linear layers (weights
int8, activations quantized on the fly; the convolutions stay fp32, torch 1.13 has no dynamic
Conv1d quantization).

  /usr/bin/python3 training/compare_variants.py --checkpoint RUN/best.pt --data DATA [--split test_room]"""
import argparse
import copy
import io
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from export_model import load_model  # noqa: E402
from wdp_pose.contract import CLIP  # noqa: E402
from wdp_pose.data import PoseDataset  # noqa: E402
from wdp_pose.trainer import evaluate  # noqa: E402


def size_bytes(model):
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.tell()


def latency_ms(model, frames, feat, n=200):
    x = torch.zeros(1, frames, feat)
    with torch.no_grad():
        for _ in range(20):
            model(x)
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            model(x)
            ts.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(ts))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--split", default="test_room")
    a = ap.parse_args()
    torch.set_num_threads(1)
    model, ckpt = load_model(a.checkpoint)
    ds = PoseDataset(a.data)
    idx = ds.indices(a.split)
    fp16 = copy.deepcopy(model)
    with torch.no_grad():
        for p in fp16.parameters():
            p.copy_(p.half().float())
    int8 = torch.quantization.quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8)
    rows = {}
    for name, m in (("fp32", model), ("fp16", fp16), ("int8_dynamic_linear", int8)):
        r = evaluate(m, ds, idx, ckpt["mean"], ckpt["std"], CLIP)
        size = size_bytes(m) if name != "fp16" else size_bytes(model) // 2
        rows[name] = {**r, "bytes": size, "torch_latency_ms_1thread": latency_ms(m, ds.frames, ds.links * 112)}
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
