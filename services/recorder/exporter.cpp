#include "exporter.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "npy_writer.h"
#include "segment_stats.h"
#include "wdp/bus/topics.h"
#include "wdp/csi/frame_view.h"
#include "wdp/v1/csi_frame.pb.h"
#include "wdp/v1/ground_truth.pb.h"

namespace wdp::recorder {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kJoints = 17;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Ground truth held in memory (small next to CSI): one row per gt.* record, file order.
struct GroundTruthTable {
  std::vector<std::int64_t> publish_ns;
  std::vector<std::int64_t> sim_ns;
  std::vector<v1::GroundTruth> records;
  std::uint32_t max_persons = 0;
  std::vector<std::size_t> by_time;  // row numbers sorted by publish time

  // Row nearest to t within tolerance, or -1.
  std::int32_t nearest(std::int64_t t, std::int64_t tolerance) const {
    auto it = std::lower_bound(by_time.begin(), by_time.end(), t,
                               [&](std::size_t row, std::int64_t v) { return publish_ns[row] < v; });
    std::int32_t best = -1;
    std::int64_t best_d = tolerance + 1;
    for (auto c : {it, it == by_time.begin() ? it : std::prev(it)}) {
      if (c == by_time.end()) continue;
      const std::int64_t d = std::llabs(publish_ns[*c] - t);
      if (d < best_d) {
        best_d = d;
        best = static_cast<std::int32_t>(*c);
      }
    }
    return best;
  }

  // [max_persons, 17, 3] keypoints of one row; NaN for absent persons.
  void keypoints(std::size_t row, std::vector<float>& out) const {
    out.assign(static_cast<std::size_t>(max_persons) * kJoints * 3, kNaN);
    const auto& g = records[row];
    for (int p = 0; p < g.persons_size(); ++p) {
      const auto& person = g.persons(p);
      if (!person.present()) continue;
      for (int j = 0; j < std::min<int>(person.keypoints_size(), kJoints); ++j) {
        float* k = &out[(static_cast<std::size_t>(p) * kJoints + static_cast<std::size_t>(j)) * 3];
        k[0] = person.keypoints(j).x();
        k[1] = person.keypoints(j).y();
        k[2] = person.keypoints(j).z();
      }
    }
  }
};

GroundTruthTable read_ground_truth(const RecordingSource& source) {
  GroundTruthTable gt;
  v1::GroundTruth msg;
  source.for_each([&](const RecordView& r) {
    if (!r.topic.starts_with(bus::topics::ground_truth)) return true;
    if (!msg.ParseFromArray(r.payload.data(), static_cast<int>(r.payload.size()))) return true;
    gt.publish_ns.push_back(r.publish_time_ns);
    gt.sim_ns.push_back(msg.origin().capture_time_ns());
    gt.max_persons = std::max<std::uint32_t>(gt.max_persons, static_cast<std::uint32_t>(msg.persons_size()));
    gt.records.push_back(msg);
    return true;
  });
  gt.by_time.resize(gt.records.size());
  for (std::size_t i = 0; i < gt.by_time.size(); ++i) gt.by_time[i] = i;
  std::stable_sort(gt.by_time.begin(), gt.by_time.end(),
                   [&](std::size_t a, std::size_t b) { return gt.publish_ns[a] < gt.publish_ns[b]; });
  return gt;
}

void write_ground_truth(const GroundTruthTable& gt, const fs::path& dir) {
  fs::create_directories(dir);
  const std::size_t g = gt.records.size(), p = gt.max_persons;
  write_npy(dir / "timestamps_ns.npy", {g}, gt.publish_ns);
  write_npy(dir / "sim_time_ns.npy", {g}, gt.sim_ns);
  auto kp = NpyWriter::of<float>(dir / "keypoints.npy", {p, kJoints, 3});
  std::vector<std::uint8_t> present(g * p, 0);
  std::vector<std::uint32_t> ids(g * p, 0);
  std::vector<float> row;
  for (std::size_t i = 0; i < g; ++i) {
    gt.keypoints(i, row);
    kp.append(row.data());
    for (int k = 0; k < gt.records[i].persons_size(); ++k) {
      present[i * p + static_cast<std::size_t>(k)] = gt.records[i].persons(k).present() ? 1 : 0;
      ids[i * p + static_cast<std::size_t>(k)] = gt.records[i].persons(k).person_id();
    }
  }
  kp.close();
  write_npy(dir / "present.npy", {g, p}, present);
  write_npy(dir / "person_id.npy", {g, p}, ids);
}

std::string folder_for(std::string_view node) {
  std::string f(node);
  for (auto& c : f) {
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  }
  if (f.empty() || f == "." || f == "..") f = "_" + f;
  return f;
}

// The open .npy files of one node.
struct NodeFiles {
  NodeExport info;
  std::optional<NpyWriter> amplitude, phase, timestamps, sensor_time, sequence, rssi, gt_keypoints, gt_index;
  std::vector<float> amp_row, phase_row, rssi_row;

  void close() {
    for (auto* w : {&amplitude, &phase, &timestamps, &sensor_time, &sequence, &rssi, &gt_keypoints, &gt_index}) {
      if (*w) (*w)->close();
    }
  }
};

std::unique_ptr<NodeFiles> open_node(const fs::path& dir, std::string folder, const v1::CsiFrame& f,
                                     std::uint32_t max_persons, bool with_gt) {
  fs::create_directories(dir);
  auto n = std::make_unique<NodeFiles>();
  n->info.folder = std::move(folder);
  n->info.n_rx = f.n_rx();
  n->info.n_tx = f.n_tx();
  n->info.n_bins = f.n_bins();
  const std::vector<std::size_t> grid{f.n_rx(), f.n_tx(), f.n_bins()};
  n->amplitude.emplace(NpyWriter::of<float>(dir / "csi_amplitude.npy", grid));
  n->phase.emplace(NpyWriter::of<float>(dir / "csi_phase.npy", grid));
  n->timestamps.emplace(NpyWriter::of<std::int64_t>(dir / "timestamps_ns.npy", {}));
  n->sensor_time.emplace(NpyWriter::of<std::int64_t>(dir / "sensor_time_ns.npy", {}));
  n->sequence.emplace(NpyWriter::of<std::uint64_t>(dir / "sequence.npy", {}));
  n->rssi.emplace(NpyWriter::of<float>(dir / "rssi_dbm.npy", {f.n_rx()}));
  if (with_gt) {
    n->gt_keypoints.emplace(NpyWriter::of<float>(dir / "gt_keypoints.npy", {max_persons, kJoints, 3}));
    n->gt_index.emplace(NpyWriter::of<std::int32_t>(dir / "gt_index.npy", {}));
  }
  std::vector<std::int32_t> index(f.n_bins());
  for (std::uint32_t b = 0; b < f.n_bins(); ++b) {
    index[b] = f.subcarrier_index_size() == static_cast<int>(f.n_bins()) ? f.subcarrier_index(static_cast<int>(b))
                                                                          : static_cast<std::int32_t>(b);
  }
  write_npy(dir / "subcarrier_index.npy", {f.n_bins()}, index);
  return n;
}

}  // namespace

ExportResult export_recording(const RecordingSource& source, const ExportOptions& options,
                              const std::function<void(std::uint64_t)>& progress) {
  fs::create_directories(options.out);
  const auto gt = read_ground_truth(source);
  const bool with_gt = !gt.records.empty();
  if (with_gt) write_ground_truth(gt, options.out / "ground_truth");
  const auto tolerance = static_cast<std::int64_t>(options.gt_tolerance_s * 1e9);

  ExportResult res;
  res.gt_records = gt.records.size();
  res.max_persons = gt.max_persons;
  std::map<std::string, std::unique_ptr<NodeFiles>, std::less<>> nodes;
  std::set<std::string> folders;
  v1::CsiFrame frame;
  std::vector<float> kp_row;
  std::uint64_t done = 0;
  source.for_each([&](const RecordView& r) {
    if (progress) progress(++done);
    const auto node = node_of(r.topic);
    if (node.empty()) {
      if (!r.topic.starts_with(bus::topics::ground_truth)) ++res.other_records;
      return true;
    }
    if (!frame.ParseFromArray(r.payload.data(), static_cast<int>(r.payload.size()))) {
      ++res.skipped_malformed;
      return true;
    }
    auto it = nodes.find(node);
    if (it == nodes.end()) {
      std::string folder = folder_for(node);
      while (folders.contains(folder)) folder += "_";
      folders.insert(folder);
      it = nodes.emplace(std::string(node), open_node(options.out / "nodes" / folder, folder, frame, gt.max_persons, with_gt))
               .first;
    }
    auto& n = *it->second;
    if (frame.n_rx() != n.info.n_rx || frame.n_tx() != n.info.n_tx || frame.n_bins() != n.info.n_bins) {
      ++res.skipped_geometry;
      return true;
    }
    try {
      const csi::FrameView v(frame);
      const std::size_t cells = std::size_t{n.info.n_rx} * n.info.n_tx * n.info.n_bins;
      n.amp_row.resize(cells);
      n.phase_row.resize(cells);
      std::size_t i = 0;
      for (std::size_t rx = 0; rx < v.n_rx(); ++rx) {
        for (std::size_t tx = 0; tx < v.n_tx(); ++tx) {
          for (std::size_t b = 0; b < v.n_bins(); ++b, ++i) {
            const auto h = v.scaled(rx, tx, b);
            n.amp_row[i] = static_cast<float>(std::abs(h));
            n.phase_row[i] = frame.amplitude_only() ? kNaN : static_cast<float>(std::arg(h));
          }
        }
      }
    } catch (const std::exception&) {
      ++res.skipped_malformed;
      return true;
    }
    n.rssi_row.assign(n.info.n_rx, kNaN);
    if (frame.rssi_valid()) {
      for (int c = 0; c < std::min<int>(frame.rssi_dbm_size(), static_cast<int>(n.info.n_rx)); ++c) {
        n.rssi_row[static_cast<std::size_t>(c)] = static_cast<float>(frame.rssi_dbm(c));
      }
    }
    const std::int64_t sensor = frame.sensor_time_ns();
    const std::uint64_t seq = frame.sequence();
    n.amplitude->append(n.amp_row.data());
    n.phase->append(n.phase_row.data());
    n.timestamps->append(&r.publish_time_ns);
    n.sensor_time->append(&sensor);
    n.sequence->append(&seq);
    n.rssi->append(n.rssi_row.data());
    if (with_gt) {
      const std::int32_t row = gt.nearest(r.publish_time_ns, tolerance);
      if (row >= 0) {
        gt.keypoints(static_cast<std::size_t>(row), kp_row);
        ++n.info.with_gt;
      } else {
        kp_row.assign(static_cast<std::size_t>(gt.max_persons) * kJoints * 3, kNaN);
      }
      n.gt_keypoints->append(kp_row.data());
      n.gt_index->append(&row);
    }
    ++n.info.frames;
    return true;
  });

  nlohmann::json meta{{"format", "wdp-export/1"},
                      {"layout", "docs/recording-format.md#export-csi-export--numpy-layout"},
                      {"recording", source.dir().string()},
                      {"session_id", source.dir().filename().string()},
                      {"name", source.name()},
                      {"labels", source.labels()},
                      {"gt_records", res.gt_records},
                      {"gt_max_persons", res.max_persons},
                      {"gt_tolerance_s", options.gt_tolerance_s},
                      {"skipped_geometry", res.skipped_geometry},
                      {"skipped_malformed", res.skipped_malformed},
                      {"other_records", res.other_records}};
  for (auto& [id, n] : nodes) {
    n->close();
    res.nodes[id] = n->info;
    meta["nodes"][id] = {{"folder", "nodes/" + n->info.folder}, {"frames", n->info.frames}, {"n_rx", n->info.n_rx},
                         {"n_tx", n->info.n_tx}, {"n_bins", n->info.n_bins}, {"frames_with_gt", n->info.with_gt}};
  }
  std::ofstream(options.out / "meta.json") << meta.dump(2) << '\n';
  return res;
}

}  // namespace wdp::recorder
