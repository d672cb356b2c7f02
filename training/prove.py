#!/usr/bin/python3
"""Deterministic training proof (wdp_pose/proof.py): prints the SHA-256 of the weights after 50
fixed-seed AdamW steps; --check compares with proof_expected.json (exit 0 PASS, 1 FAIL, 2 SKIP when
the file was produced with another torch/numpy), --generate writes it."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from wdp_pose import proof  # noqa: E402

EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "proof_expected.json")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--generate", action="store_true")
    a = ap.parse_args()
    h, losses = proof.run()
    print(json.dumps({"sha256": h, "first_loss": losses[0], "last_loss": losses[-1], "env": proof.environment()}))
    if losses[-1] >= losses[0]:
        print("FAIL: loss did not decrease")
        return 1
    if a.generate:
        with open(EXPECTED, "w") as f:
            json.dump({"sha256": h, "steps": proof.STEPS, "env": proof.environment()}, f, indent=2)
            f.write("\n")
        return 0
    if a.check:
        with open(EXPECTED) as f:
            exp = json.load(f)
        if exp["env"] != proof.environment():
            print(f"SKIP: expected hash was produced with {exp['env']}")
            return 2
        print("PASS" if exp["sha256"] == h else f"FAIL: expected {exp['sha256']}")
        return 0 if exp["sha256"] == h else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
