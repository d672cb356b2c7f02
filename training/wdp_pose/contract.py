"""The model contract (docs/model-contract.md) as constants shared by training, export and tests."""

CONTRACT_VERSION = "wdp-pose/1"
KEYPOINTS = 17
BINS = 56
CHANNELS = 2
COORDINATE_FRAME = "body"  # metres; origin on the floor below the mid-hip, x forward, y left, z up
INPUT_NAME = "window"      # [B, T, L*56*2]: the FeatureWindow values, normalized per channel
OUTPUT_NAMES = ("keypoints", "keypoint_confidence", "person_score")
CLIP = 8.0                 # normalized inputs are clipped to +-CLIP

# COCO sigmas (OKS), kappa = 2 sigma; see ../shared/docs/pose-and-metrics.md section 1.1
COCO_SIGMAS = (0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072,
               0.062, 0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089)
