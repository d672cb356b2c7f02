import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from wdp_pose import proof  # noqa: E402


class ProofTest(unittest.TestCase):
    def test_same_seed_same_weights_and_loss_decreases(self):
        h1, l1 = proof.run()
        h2, l2 = proof.run()
        self.assertEqual(h1, h2)
        self.assertEqual(l1, l2)
        self.assertLess(l1[-1], l1[0])

    def test_matches_committed_hash_on_this_torch(self):
        import json
        with open(os.path.join(os.path.dirname(__file__), "..", "proof_expected.json")) as f:
            exp = json.load(f)
        if exp["env"] != proof.environment():
            self.skipTest(f"expected hash produced with {exp['env']}")
        self.assertEqual(proof.run()[0], exp["sha256"])

    def test_hash_changes_with_one_step_less(self):
        self.assertNotEqual(proof.run(steps=49)[0], proof.run()[0])


if __name__ == "__main__":
    unittest.main()
