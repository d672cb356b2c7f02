// pose-infer over a pose-dataset directory: batches of windows through the OpenCV backend, in
// dataset order, optionally tracked, with the matching ground truth.
#include <chrono>
#include <cmath>
#include <cstdio>

#include "infer_options.h"
#include "npy_dataset.h"
#include "onnx_metadata.h"
#include "opencv_backend.h"
#include "pose_tracker.h"
#include "predictions_io.h"

namespace wdp::pose {

void infer_dataset(const InferOptions& o) {
  NpyDataset ds(o.input);
  OpenCvOptions cv_options;
  if (o.precision == "int8") {
    const auto probe = parse_contract(read_onnx_metadata(o.model));
    std::vector<float> one_window;
    std::vector<float> calib;
    for (std::size_t i = 0, used = 0; i < ds.size() && used < o.calibration; ++i) {
      if (ds.split()[i] != 0) continue;  // calibrate on training windows only
      ds.window(i, one_window);
      normalize_window(probe, one_window);
      calib.insert(calib.end(), one_window.begin(), one_window.end());
      ++used;
    }
    if (calib.empty()) throw std::runtime_error("int8 needs train-split windows for calibration");
    cv_options.int8_calibration.push_back(std::move(calib));
  }
  auto backend = make_opencv_backend(o.model, cv_options);
  const auto& c = backend->contract();
  if (c.frames != ds.frames() || c.links != ds.links())
    throw std::runtime_error("model expects T=" + std::to_string(c.frames) + " L=" + std::to_string(c.links) +
                             ", dataset has T=" + std::to_string(ds.frames()) + " L=" + std::to_string(ds.links()));
  const int code = split_code(o.split);
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < ds.size(); ++i)
    if (code < 0 || ds.split()[i] == code) rows.push_back(i);
  PredictionsFile pred{.kind = "predictions", .model_version = c.model_version, .source = o.input + " split " + o.split,
                       .coordinate_frame = c.coordinate_frame};
  PredictionsFile truth{.kind = "truth", .source = pred.source, .coordinate_frame = "body"};
  PoseTracker tracker;
  std::vector<float> windows, one;
  std::vector<RawPoses> out;
  double last_t = -1e300;
  for (std::size_t s = 0; s < rows.size(); s += o.batch) {
    const std::size_t n = std::min(o.batch, rows.size() - s);
    windows.resize(n * c.window_values());
    for (std::size_t b = 0; b < n; ++b) {
      ds.window(rows[s + b], one);
      normalize_window(c, one);
      std::copy(one.begin(), one.end(), windows.begin() + static_cast<std::ptrdiff_t>(b * c.window_values()));
    }
    out.clear();
    const auto t0 = std::chrono::steady_clock::now();
    backend->infer(windows, n, out);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / n;
    for (std::size_t b = 0; b < n; ++b) {
      const std::size_t i = rows[s + b];
      FrameRecord fr{.index = i, .t = ds.times()[i], .latency_ms = ms};
      for (const auto& p : out[b]) {
        bool finite = std::isfinite(p.score);
        for (std::size_t j = 0; j < 17; ++j)
          finite = finite && std::isfinite(p.confidence[j]) && std::isfinite(p.keypoints[j][0]) &&
                   std::isfinite(p.keypoints[j][1]) && std::isfinite(p.keypoints[j][2]);
        if (!finite) throw std::runtime_error(backend->name() + " produced non-finite outputs for window " + std::to_string(i));
      }
      std::vector<RawPerson> dets;
      for (const auto& p : out[b])
        if (p.score >= o.threshold) dets.push_back(p);
      std::vector<TrackedPerson> people;
      if (o.track) {
        if (fr.t <= last_t) tracker.reset();  // a new episode starts
        last_t = fr.t;
        people = tracker.update(dets);
      } else {
        for (std::size_t k = 0; k < dets.size(); ++k) people.push_back({static_cast<std::uint32_t>(k + 1), dets[k]});
      }
      for (const auto& tp : people) {
        PersonRecord r{.track_id = tp.track_id, .score = tp.person.score};
        for (std::size_t j = 0; j < 17; ++j)
          r.keypoints[j] = {tp.person.keypoints[j][0], tp.person.keypoints[j][1], tp.person.keypoints[j][2],
                            tp.person.confidence[j]};
        fr.persons.push_back(r);
      }
      pred.frames.push_back(fr);
      FrameRecord tr{.index = i, .t = fr.t};
      if (ds.present()[i]) {
        PersonRecord r{.track_id = 1, .score = 1};
        for (std::size_t j = 0; j < 17; ++j)
          r.keypoints[j] = {ds.truth()[i * 51 + j * 3], ds.truth()[i * 51 + j * 3 + 1], ds.truth()[i * 51 + j * 3 + 2], 2};
        tr.persons.push_back(r);
      }
      truth.frames.push_back(tr);
    }
  }
  write_predictions(o.output, pred);
  if (!o.truth_output.empty()) write_predictions(o.truth_output, truth);
  std::fprintf(stderr, "pose-infer: %zu windows (%s) -> %s with %s, model %s\n", rows.size(), o.split.c_str(),
               o.output.c_str(), backend->name().c_str(), c.model_version.c_str());
}

}  // namespace wdp::pose
