"""Smoke run of the whole pipeline in seconds: pose-dataset (simulator + signal pipeline) ->
train.py (2 epochs, tiny model) -> ONNX -> pose-infer (C++ OpenCV backend) -> pose-eval, with
both JSON files validated against schemas/predictions.schema.json. Needs WDP_BIN_DIR (ctest sets it)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from validate_predictions import validate  # noqa: E402

BIN = os.environ.get("WDP_BIN_DIR", "")


def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"{cmd[0]} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r.stdout


@unittest.skipUnless(BIN and os.path.exists(os.path.join(BIN, "pose-dataset")), "WDP_BIN_DIR with pose tools not set")
class SmokePipelineTest(unittest.TestCase):
    def test_dataset_train_export_infer_eval(self):
        with tempfile.TemporaryDirectory() as d:
            data, out = os.path.join(d, "data"), os.path.join(d, "run")
            run(os.path.join(BIN, "pose-dataset"), "--out", data, "--train-rooms", "2", "--val-rooms", "1",
                "--test-rooms", "1", "--train-subjects", "2", "--test-subjects", "1", "--episodes-per-room", "1",
                "--test-subject-episodes", "1", "--duration", "12", "--hop", "10")
            with open(os.path.join(data, "meta.json")) as f:
                meta = json.load(f)
            self.assertGreater(meta["split"]["counts"]["test_room"], 5)
            run(sys.executable, os.path.join(HERE, "..", "train.py"), "--data", data, "--out", out, "--epochs", "2",
                "--width", "16", "--hidden", "32", "--threads", "1", "--batch", "16", "--patience", "5")
            with open(os.path.join(out, "report.json")) as f:
                report = json.load(f)
            model = os.path.join(out, "model.onnx")
            self.assertTrue(os.path.exists(os.path.join(out, "curves.png")))
            self.assertTrue(os.path.exists(os.path.join(out, "best.pt")))
            self.assertIn("test_room", report["python_metrics"])
            pred, truth = os.path.join(d, "pred.json"), os.path.join(d, "truth.json")
            run(os.path.join(BIN, "pose-infer"), "--model", model, "--input", data, "--split", "all",
                "--output", pred, "--truth-output", truth, "--track")
            validate(pred)
            validate(truth)
            scores = json.loads(run(os.path.join(BIN, "pose-eval"), "--pred", pred, "--truth", truth))
            for k in ("torso_pck_20", "torso_pck_50", "pckh_50", "oks_ap", "mpjpe_m", "pa_mpjpe_m"):
                self.assertIn(k, scores)
            self.assertEqual(scores["frames"], meta["samples"])
            self.assertGreater(scores["mpjpe_m"] + scores["missed"], 0)  # a 2-epoch model is not perfect


class SchemaTest(unittest.TestCase):
    def test_validator_rejects_a_person_with_16_keypoints(self):
        import jsonschema
        doc = {"schema": "wdp-pose-predictions/1", "kind": "predictions", "coordinate_frame": "body",
               "frames": [{"index": 0, "persons": [{"score": 0.9, "keypoints": [[0, 0, 0, 1]] * 16}]}]}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(doc, f)
        try:
            with self.assertRaises(jsonschema.ValidationError):
                validate(f.name)
            doc["frames"][0]["persons"][0]["keypoints"].append([0, 0, 0, 1])
            with open(f.name, "w") as g:
                json.dump(doc, g)
            validate(f.name)
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
