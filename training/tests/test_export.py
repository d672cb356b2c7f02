import json
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from wdp_pose.export import CONTRACT_KEY, SELFCHECK_KEY, export_onnx, read_contract  # noqa: E402
from wdp_pose.model import PoseTCN  # noqa: E402


class ExportTest(unittest.TestCase):
    def test_contract_and_selfcheck_travel_in_metadata(self):
        torch.manual_seed(0)
        model = PoseTCN(links=2, frames=16, width=8, hidden=16)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.onnx")
            export_onnx(model, path, frames=16, links=2, mean=[0.1, -0.2], std=[0.5, 0.25], version="test-1")
            c = read_contract(path)
            self.assertEqual(c["contract"], "wdp-pose/1")
            self.assertEqual(c["input"]["frames"], 16)
            self.assertEqual(c["input"]["links"], 2)
            self.assertEqual(c["input"]["normalization"]["mean"], [0.1, -0.2])
            self.assertEqual(c["output"]["coordinate_frame"], "body")
            m = onnx.load(path)
            props = {p.key: p.value for p in m.metadata_props}
            self.assertIn(CONTRACT_KEY, props)
            sc = json.loads(props[SELFCHECK_KEY])
            self.assertEqual(len(sc["keypoints"]), 2 * 51)
            self.assertEqual(m.opset_import[0].version, 12)
            ops = {n.op_type for n in m.graph.node}
            self.assertFalse(ops & {"GRU", "LSTM", "Attention", "Softmax"}, ops)
            # The exported graph only uses ops OpenCV DNN 4.6 imports.
            self.assertTrue(ops <= {"Transpose", "Conv", "Relu", "Add", "GlobalAveragePool", "Flatten", "Gemm",
                                    "Sigmoid", "BatchNormalization", "Identity", "Reshape", "Constant"}, ops)


if __name__ == "__main__":
    unittest.main()
