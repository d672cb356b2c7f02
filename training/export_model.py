#!/usr/bin/python3
"""Re-export a training checkpoint (best.pt / last.pt) to ONNX with the contract and self-check.

  /usr/bin/python3 training/export_model.py --checkpoint RUN/best.pt --out models/pose-default.onnx \
      [--report RUN/report.json] [--version V]"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from wdp_pose import proof  # noqa: E402
from wdp_pose.export import export_onnx  # noqa: E402
from wdp_pose.model import PoseTCN  # noqa: E402


def load_model(path):
    ckpt = torch.load(path)
    cfg = ckpt["config"]
    model = PoseTCN(links=ckpt["links"], frames=ckpt["frames"], width=cfg["width"], hidden=cfg["hidden"],
                    dropout=cfg.get("dropout", 0.0))
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model, ckpt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--report", default="", help="training report.json to embed (training provenance)")
    ap.add_argument("--version", default="")
    ap.add_argument("--opset", type=int, default=12)
    a = ap.parse_args(argv)
    model, ckpt = load_model(a.checkpoint)
    weights = proof.state_hash(model)
    extra = {}
    version = a.version
    if a.report:
        with open(a.report) as f:
            rep = json.load(f)
        extra["training"] = {k: rep[k] for k in ("data", "dataset_meta", "split", "weights_sha256", "summary",
                                                   "python_metrics", "proof") if k in rep}
        version = version or rep.get("version", "")
    version = version or f"sim-tcn-{weights[:8]}"
    export_onnx(model, a.out, frames=ckpt["frames"], links=ckpt["links"], mean=ckpt["mean"], std=ckpt["std"],
                version=version, extra=extra, opset=a.opset)
    print(json.dumps({"out": a.out, "version": version, "bytes": os.path.getsize(a.out), "weights_sha256": weights}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
