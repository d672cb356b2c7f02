import os
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from wdp_pose import mmfi  # noqa: E402


def make_tree(root, subjects=(1, 31), actions=(2,), frames=12):
    """A tiny MM-Fi tree with the real layout: E../S../A../wifi-csi/frameNNN.mat + ground_truth.npy."""
    from scipy.io import savemat
    for s in subjects:
        env = f"E0{mmfi.ENV_OF_SUBJECT[s]}"
        for a in actions:
            d = os.path.join(root, env, f"S{s:02d}", f"A{a:02d}")
            os.makedirs(os.path.join(d, "wifi-csi"))
            gt = np.zeros((frames, 17, 3), np.float32)
            gt[:, :, 2] = np.arange(frames)[:, None] + s  # z encodes frame and subject
            np.save(os.path.join(d, "ground_truth.npy"), gt)
            for f in range(frames):
                amp = np.full((3, 114, 10), 10.0 + f)
                amp[0, :, 0] = np.arange(114)  # a ramp on antenna 0, packet 0
                amp[1, 5, 3] = np.inf           # inf -> NaN -> column mean
                savemat(os.path.join(d, "wifi-csi", f"frame{f + 1:03d}.mat"),
                        {"CSIamp": amp, "CSIphase": np.zeros((3, 114, 10))})
            # Other modalities exist in the real tree; the loader must ignore them.
            os.makedirs(os.path.join(d, "rgb"))


class MmfiTest(unittest.TestCase):
    def test_subcarrier_map_endpoints_and_weights(self):
        x = np.arange(114, dtype=np.float32)
        y = mmfi.map_114_to_56(x)
        self.assertEqual(y.shape, (56,))
        self.assertAlmostEqual(y[0], 0.0)
        self.assertAlmostEqual(y[55], 113.0)
        self.assertAlmostEqual(float(y[1]), 113.0 / 55.0, places=5)  # pos 2.0545 on a ramp

    def test_clean_frame_replaces_inf_and_min_max(self):
        a = np.ones((3, 114, 10))
        a[0, 0, 0] = 0.0
        a[0, 0, 1] = 3.0
        a[2, 7, 1] = np.inf
        c = mmfi.clean_frame(a)
        self.assertFalse(np.isnan(c).any())
        self.assertAlmostEqual(c.min(), 0.0)
        self.assertAlmostEqual(c.max(), 1.0)

    def test_loads_real_layout_with_cross_scene_split(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root)
            x, y = mmfi.load(root, "cross_scene", "train", window=2)
            # S01 only (S31 is E04, the test scene); 12 frames, windows of 2 frames -> 11 samples
            self.assertEqual(x.shape, (11, 20, 3, 56, 1))
            self.assertEqual(y.shape, (11, 1, 17, 3))
            self.assertAlmostEqual(float(y[0, 0, 0, 2]), 1.0 + 1)  # label of the LAST frame (index 1), S01
            xt, yt = mmfi.load(root, "cross_scene", "test", window=2)
            self.assertAlmostEqual(float(yt[0, 0, 0, 2]), 1.0 + 31)
            self.assertTrue(np.all((x >= 0) & (x <= 1)))

    def test_mismatched_labels_are_an_error(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, subjects=(1,), frames=3)
            d = os.path.join(root, "E01", "S01", "A02")
            np.save(os.path.join(d, "ground_truth.npy"), np.zeros((5, 17, 3), np.float32))
            with self.assertRaises(ValueError):
                mmfi.load(root, "cross_scene", "train", window=1)


if __name__ == "__main__":
    unittest.main()
