#!/bin/sh
# The default model's full training, one command (about 40 min on 2 shared cores):
#   training/full_training.sh [BUILD_DIR=build] [OUT=BUILD_DIR/pose-train]
# Stage 1: 60 rooms from scratch; stage 2: 120 other rooms, fine-tuning. Then pose-infer + pose-eval
# on both datasets' never-seen rooms. Copy OUT/v3/model.onnx to models/pose-default.onnx to ship it.
set -eu
B=${1:-build}
OUT=${2:-$B/pose-train}
PY=/usr/bin/python3
"$B/bin/pose-dataset" --out "$OUT/data-v1" --seed 1 --train-rooms 60 --val-rooms 8 --test-rooms 12 \
  --train-subjects 16 --test-subjects 4 --episodes-per-room 2 --test-subject-episodes 12 --duration 45 --hop 8
"$B/bin/pose-dataset" --out "$OUT/data-v3" --seed 3 --train-rooms 120 --val-rooms 8 --test-rooms 12 \
  --train-subjects 24 --test-subjects 4 --episodes-per-room 2 --test-subject-episodes 12 --duration 45 --hop 8
$PY training/train.py --data "$OUT/data-v1" --out "$OUT/v2" --epochs 6 --width 64 --time-limit 2000 --patience 6
$PY training/train.py --data "$OUT/data-v3" --out "$OUT/v3" --epochs 5 --lr 1e-3 --width 64 --time-limit 1260 \
  --patience 5 --init "$OUT/v2/best.pt"
for d in v1 v3; do
  "$B/bin/pose-infer" --model "$OUT/v3/model.onnx" --input "$OUT/data-$d" --split test_room \
    --output "$OUT/v3/pred_$d.json" --truth-output "$OUT/v3/truth_$d.json"
  "$B/bin/pose-eval" --pred "$OUT/v3/pred_$d.json" --truth "$OUT/v3/truth_$d.json" --out "$OUT/v3/eval_test_room_$d.json"
done
