#!/usr/bin/python3
"""Train the pose model on a pose-dataset directory and export the ONNX model with its contract.

  /usr/bin/python3 training/train.py --data build/pose-data/sim-v1 --out build/pose-train/default
(see training/README.md for the full documented run and the smoke run used by ctest)."""
import argparse
import datetime
import hashlib
import json
import os
import sys

# Provenance names the dataset relative to the repository, never by a machine's absolute path.
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from wdp_pose import proof  # noqa: E402
from wdp_pose.data import PoseDataset  # noqa: E402
from wdp_pose.export import export_onnx  # noqa: E402
from wdp_pose.trainer import Config, evaluate, train  # noqa: E402
from wdp_pose.contract import CLIP  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="pose-dataset output directory")
    ap.add_argument("--out", required=True, help="output directory (checkpoints, log.csv, curves.png, model.onnx)")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--width", type=int, default=96)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--patience", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-train", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=0, help="seconds; stop after the epoch that crosses it")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--init", default="", help="start from this checkpoint (fine-tuning)")
    ap.add_argument("--version", default="", help="model version string (default: derived from date and weights)")
    a = ap.parse_args(argv)
    ds = PoseDataset(a.data)
    cfg = Config(epochs=a.epochs, batch=a.batch, lr=a.lr, width=a.width, hidden=a.hidden, patience=a.patience,
                 threads=a.threads, max_train=a.max_train, time_limit_s=a.time_limit, seed=a.seed, init=a.init)
    model, summary, mean, std = train(ds, a.out, cfg)
    results = {s: evaluate(model, ds, ds.indices(s), mean, std, CLIP) for s in ("val", "test_room", "test_subject")
               if len(ds.indices(s))}
    weights = proof.state_hash(model)
    version = a.version or f"sim-tcn-{datetime.date.today().isoformat()}-{weights[:8]}"
    proof_hash, proof_losses = proof.run()
    extra = {"training": {"data": os.path.relpath(os.path.abspath(a.data), REPO_ROOT), "dataset_meta": ds.meta.get("plan"),
                          "split": "train rooms x train subjects; val = unseen rooms (early stopping)",
                          "weights_sha256": weights, "summary": summary,
                          "python_metrics": results,
                          "proof": {"sha256": proof_hash, "steps": proof.STEPS, "env": proof.environment()}}}
    path = os.path.join(a.out, "model.onnx")
    export_onnx(model, path, frames=ds.frames, links=ds.links, mean=mean, std=std, version=version,
                sample_rate_hz=ds.meta["x"].get("grid_rate_hz", 20.0), extra=extra)
    with open(path, "rb") as f:
        onnx_sha = hashlib.sha256(f.read()).hexdigest()
    report = {"model": path, "version": version, "onnx_sha256": onnx_sha, "bytes": os.path.getsize(path),
              "params": sum(p.numel() for p in model.parameters()), **extra["training"]}
    with open(os.path.join(a.out, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(json.dumps({"model": path, "version": version, "metrics": results, "summary": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
