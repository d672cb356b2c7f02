// pose-dataset: simulator -> signal pipeline -> paired (feature window, ground truth) .npy files
// with explicit cross-room and cross-subject splits (see dataset_plan.h and training/README.md).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "dataset_plan.h"
#include "episode.h"
#include "npy_writer.h"

int main(int argc, char** argv) {
  using namespace wdp::pose;
  CLI::App app{"pose-dataset: simulated CSI feature windows paired with 17-keypoint ground truth (.npy)"};
  app.option_defaults()->always_capture_default();
  std::string out_dir;
  PlanOptions plan;
  EpisodeSpec spec;
  app.add_option("--out", out_dir, "Output directory (created)")->required();
  app.add_option("--train-rooms", plan.train_rooms)->check(CLI::Range(1, 100000));
  app.add_option("--val-rooms", plan.val_rooms)->check(CLI::Range(0, 100000));
  app.add_option("--test-rooms", plan.test_rooms)->check(CLI::Range(0, 100000));
  app.add_option("--train-subjects", plan.train_subjects)->check(CLI::Range(1, 100000));
  app.add_option("--test-subjects", plan.test_subjects)->check(CLI::Range(1, 100000));
  app.add_option("--episodes-per-room", plan.episodes_per_room)->check(CLI::Range(1, 1000));
  app.add_option("--test-subject-episodes", plan.test_subject_episodes)->check(CLI::Range(0, 100000));
  app.add_option("--seed", plan.seed, "Run seed: rooms, subjects and scripts derive from it");
  app.add_option("--duration", spec.duration_s, "Simulated seconds per episode")->check(CLI::Range(5.0, 3600.0));
  app.add_option("--rate", spec.rate_hz, "Packets per second per link")->check(CLI::Range(10.0, 1000.0));
  app.add_option("--snr-db", spec.snr_db);
  app.add_option("--packet-loss", spec.packet_loss)->check(CLI::Range(0.0, 0.9));
  app.add_option("--hop", spec.pipeline.feature_hop, "Grid samples between windows")->check(CLI::Range(1, 1000));
  CLI11_PARSE(app, argc, argv);

  namespace fs = std::filesystem;
  fs::create_directories(out_dir);
  const fs::path dir(out_dir);
  const auto episodes = plan_episodes(plan);
  const std::size_t frames = spec.pipeline.feature_frames, links = 3;
  using wdp::recorder::NpyWriter;
  auto x = NpyWriter::of<float>(dir / "X.npy", {frames, links, 56, 2});
  auto y = NpyWriter::of<float>(dir / "Y.npy", {1, 17, 3});
  auto y_room = NpyWriter::of<float>(dir / "Y_room.npy", {1, 17, 3});
  auto present = NpyWriter::of<std::uint8_t>(dir / "present.npy", {1});
  auto split = NpyWriter::of<std::uint8_t>(dir / "split.npy", {});
  auto room = NpyWriter::of<std::int32_t>(dir / "room.npy", {});
  auto subject = NpyWriter::of<std::int32_t>(dir / "subject.npy", {});
  auto episode_ids = NpyWriter::of<std::int32_t>(dir / "episode.npy", {});
  auto times = NpyWriter::of<float>(dir / "t.npy", {});
  std::ofstream activities(dir / "activity.txt");
  std::size_t counts[4] = {0, 0, 0, 0};
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t e = 0; e < episodes.size(); ++e) {
    const auto& ep = episodes[e];
    spec.room_seed = ep.room_seed;
    spec.subject_seed = ep.subject_seed;
    spec.script_seed = ep.script_seed;
    run_episode(spec, [&](const Sample& s) {
      x.append(s.x.data());
      y.append(s.body.data());
      y_room.append(s.room.data());
      const std::uint8_t p = s.present ? 1 : 0, sp = static_cast<std::uint8_t>(ep.split);
      present.append(&p);
      split.append(&sp);
      const std::int32_t r = ep.room, sub = ep.subject, id = static_cast<std::int32_t>(e);
      room.append(&r);
      subject.append(&sub);
      episode_ids.append(&id);
      const float t = static_cast<float>(s.t);
      times.append(&t);
      activities << s.activity << '\n';
      ++counts[static_cast<int>(ep.split)];
    });
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "\repisode %zu/%zu (%s) samples %zu, %.0f s elapsed, %.1fx real time   ", e + 1,
                 episodes.size(), split_name(ep.split), x.rows(), el, (e + 1) * spec.duration_s / el);
  }
  std::fprintf(stderr, "\n");
  for (auto* w : {&x, &y, &y_room, &present, &split, &room, &subject, &episode_ids, &times}) w->close();

  nlohmann::json meta = {
      {"format", "wdp-pose-dataset/1"},
      {"source", "csi-sim physics simulator -> signal-processor LinkPipeline (same defaults as the service)"},
      {"x", {{"file", "X.npy"}, {"shape", {"N", frames, links, 56, 2}},
             {"channels", {"amplitude / frame mean - 1", "sanitized phase (rad)"}},
             {"grid_rate_hz", spec.pipeline.grid_rate_hz}, {"links", {"esp32-1", "esp32-2", "esp32-3"}}}},
      {"y", {{"file", "Y.npy"}, {"shape", {"N", 1, 17, 3}}, {"frame", "body"},
             {"frame_doc", "metres; origin on the floor below the mid-hip, x forward, y left, z up"}}},
      {"y_room", {{"file", "Y_room.npy"}, {"frame", "room metres"}}},
      {"present", "present.npy [N,1] u8: 1 when the person is in the room at the window end"},
      {"split", {{"file", "split.npy"}, {"codes", {"train", "val", "test_room", "test_subject"}},
                 {"counts", {{"train", counts[0]}, {"val", counts[1]}, {"test_room", counts[2]}, {"test_subject", counts[3]}}}}},
      {"plan", {{"seed", plan.seed}, {"train_rooms", plan.train_rooms}, {"val_rooms", plan.val_rooms},
                {"test_rooms", plan.test_rooms}, {"train_subjects", plan.train_subjects},
                {"test_subjects", plan.test_subjects}, {"episodes_per_room", plan.episodes_per_room},
                {"test_subject_episodes", plan.test_subject_episodes}}},
      {"episode", {{"duration_s", spec.duration_s}, {"rate_hz", spec.rate_hz}, {"snr_db", spec.snr_db},
                   {"packet_loss", spec.packet_loss}, {"feature_frames", frames}, {"feature_hop", spec.pipeline.feature_hop}}},
      {"samples", x.rows()}};
  std::ofstream(dir / "meta.json") << meta.dump(2) << '\n';
  std::printf("%zu samples -> %s (train %zu, val %zu, test_room %zu, test_subject %zu)\n", x.rows(), out_dir.c_str(),
              counts[0], counts[1], counts[2], counts[3]);
  return 0;
}
