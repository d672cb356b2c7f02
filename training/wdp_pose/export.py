"""torch -> ONNX with the contract in metadata_props (docs/model-contract.md)."""
import json

import numpy as np
import onnx
import torch

from .contract import CLIP, CONTRACT_VERSION, COORDINATE_FRAME, INPUT_NAME, KEYPOINTS, OUTPUT_NAMES

CONTRACT_KEY = "wdp.contract"
SELFCHECK_KEY = "wdp.selfcheck"
SELFCHECK_BATCH = 2


def selfcheck_input(frames, links):
    """Deterministic normalized input: x[b, i] = 2 sin(0.001 (b + 1) i) over the flat window index i."""
    n = frames * links * 112
    i = np.arange(n, dtype=np.float64)
    x = np.stack([2.0 * np.sin(0.001 * (b + 1) * i) for b in range(SELFCHECK_BATCH)])
    return x.astype(np.float32).reshape(SELFCHECK_BATCH, frames, links * 112)


@torch.no_grad()
def selfcheck(model, frames, links):
    """torch outputs on selfcheck_input, stored in the model so any backend can prove it matches."""
    model.eval()
    kp, conf, score = model(torch.from_numpy(selfcheck_input(frames, links)))
    return {"input": "x[b][i] = 2 sin(0.001 (b + 1) i), i = flat index in [T][L*112], b = 0..1",
            "batch": SELFCHECK_BATCH, "keypoints": kp.reshape(-1).tolist(),
            "keypoint_confidence": conf.reshape(-1).tolist(), "person_score": score.reshape(-1).tolist()}


def export_onnx(model, path, *, frames, links, mean, std, version, sample_rate_hz=20.0, extra=None, opset=12):
    model.eval()
    dummy = torch.zeros(1, frames, links * 112)
    torch.onnx.export(model, dummy, path, opset_version=opset, input_names=[INPUT_NAME],
                      output_names=list(OUTPUT_NAMES), do_constant_folding=True,
                      dynamic_axes={INPUT_NAME: {0: "batch"}, **{n: {0: "batch"} for n in OUTPUT_NAMES}})
    contract = {
        "contract": CONTRACT_VERSION,
        "model_version": version,
        "input": {"name": INPUT_NAME, "frames": frames, "links": links, "bins": 56, "channels": 2,
                  "layout": "[B, T, L*56*2]: FeatureWindow.values row-major [T][L][bin][channel]",
                  "sample_rate_hz": sample_rate_hz,
                  "normalization": {"formula": "x -= mean over T per feature; clip((x - mean[c]) / std[c], -clip, clip)",
                                    "temporal_demean": True,
                                    "mean": [float(v) for v in mean], "std": [float(v) for v in std],
                                    "clip": CLIP}},
        "output": {"persons": model.persons, "keypoints": KEYPOINTS, "order": "COCO-17",
                   "coordinate_frame": COORDINATE_FRAME,
                   "coordinate_frame_doc": "metres; origin on the floor below the mid-hip, x forward, y left, z up",
                   "names": {"keypoints": "[B, K*17*3] x,y,z", "keypoint_confidence": "[B, K*17] 0..1",
                             "person_score": "[B, K] 0..1"},
                   "densepose": False},
    }
    if extra:
        contract.update(extra)
    m = onnx.load(path)
    del m.metadata_props[:]
    p = m.metadata_props.add()
    p.key, p.value = CONTRACT_KEY, json.dumps(contract, sort_keys=True)
    p = m.metadata_props.add()
    p.key, p.value = "wdp.model_version", version
    p = m.metadata_props.add()
    p.key, p.value = SELFCHECK_KEY, json.dumps(selfcheck(model, frames, links))
    m.producer_name = "wdp-training"
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return contract


def read_contract(path):
    m = onnx.load(path)
    for p in m.metadata_props:
        if p.key == CONTRACT_KEY:
            return json.loads(p.value)
    raise ValueError(f"{path}: no {CONTRACT_KEY} metadata")
