#include "csi_sim.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>

#include "frame_encoding.h"
#include "ground_truth.h"
#include "udp_sender.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/topics.h"

namespace wdp::sim {

CsiSimService::CsiSimService(CsiSimOptions options, runtime::ServiceRuntime& rt) : options_(std::move(options)), rt_(rt) {
  if (options_.output != "udp" && options_.output != "bus") throw std::invalid_argument("--output must be udp or bus");
  if (!(options_.speed > 0)) throw std::invalid_argument("--speed must be > 0");
}

void CsiSimService::run() {
  Scene scene = options_.scene_file.empty() ? make_scene(options_.scene, options_.sim.seed)
                                            : load_scene_file(options_.scene_file, options_.sim.seed);
  Simulator sim(std::move(scene), options_.sim);
  const bool udp = options_.output == "udp";
  std::unique_ptr<UdpSender> sender;
  if (udp) {
    if (!sim.profile().esp32) throw std::invalid_argument("--output udp needs an ESP32 profile; use --output bus for " + sim.profile().name);
    sender = std::make_unique<UdpSender>(options_.udp_target);
  }
  std::ofstream truth_file;
  if (!options_.truth_file.empty()) {
    truth_file.open(options_.truth_file, std::ios::trunc);
    if (!truth_file) throw std::runtime_error("cannot write --truth-file " + options_.truth_file);
  }

  auto& m = rt_.metrics();
  auto& frames = m.counter("wdp_csi_sim_frames_total", "CSI packets sent (UDP datagrams or bus frames)");
  auto& lost = m.counter("wdp_csi_sim_lost_packets_total", "Packets dropped by the simulated packet loss");
  auto& send_failed = m.counter("wdp_csi_sim_send_failed_total", "Packets the socket or the bus refused");
  auto& saturated = m.counter("wdp_csi_sim_saturated_values_total", "Sample values clipped by int quantization");
  auto& truths = m.counter("wdp_csi_sim_truth_total", "Ground-truth messages published");
  auto& sim_time = m.gauge("wdp_csi_sim_time_seconds", "Simulated time");

  const std::string truth_topic = bus::topics::make(bus::topics::ground_truth, sim.scene().name);
  if (!udp && options_.wait_subscriber_s > 0) {
    rt_.publisher().wait_for_subscriber(bus::topics::csi_raw,
                                        std::chrono::milliseconds(static_cast<long>(1000 * options_.wait_subscriber_s)));
  }
  spdlog::info("scene '{}': {} nodes, {} people, {} survivors; profile {} ({} bins, {}x{}), {} Hz, output {}{}",
               sim.scene().name, sim.scene().nodes.size(), sim.scene().people.size(), sim.scene().survivors.size(),
               sim.profile().name, sim.profile().n_bins(), sim.profile().n_rx, sim.profile().n_tx,
               options_.sim.rate_hz, options_.output, udp ? " → " + options_.udp_target : "");
  rt_.set_state(v1::SERVICE_STATE_READY);

  const std::int64_t epoch0 = bus::wall_ns();
  const std::int64_t mono0 = bus::mono_ns();
  std::int64_t last_tick = mono0;
  double next_truth = 0;
  v1::CsiFrame frame;
  std::vector<std::string> topics;
  for (const auto& n : sim.scene().nodes) topics.push_back(bus::topics::make(bus::topics::csi_raw, n.id));

  while (!rt_.stopping()) {
    const double t = sim.time_s();
    if (options_.duration_s > 0 && t >= options_.duration_s) break;
    if (!options_.max) {
      // Sleep to the tick's wall time in slices, so heartbeats and shutdown stay prompt.
      const auto due = mono0 + static_cast<std::int64_t>(1e9 * t / options_.speed);
      for (auto now = bus::mono_ns(); now < due && !rt_.stopping(); now = bus::mono_ns()) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<std::int64_t>(due - now, 50'000'000)));
        rt_.tick();
      }
    }
    for (const auto& f : sim.step()) {
      if (f.packet.lost) {
        lost.inc();
        continue;
      }
      saturated.inc(f.packet.saturated);
      bool ok;
      if (udp) {
        ok = sender->send(to_esp32_datagram(sim, f));
      } else {
        to_csi_frame(sim, f, epoch0 + static_cast<std::int64_t>(1e9 * f.time_s), frame);
        ok = options_.max ? rt_.publisher().publish_waiting(topics[f.node], frame, std::chrono::seconds(1))
                          : rt_.publisher().publish(topics[f.node], frame);
      }
      (ok ? frames : send_failed).inc();
    }
    if (t >= next_truth) {
      auto gt = make_ground_truth(sim, t);
      rt_.fill_origin(*gt.mutable_origin(), "", epoch0 + static_cast<std::int64_t>(1e9 * t));
      gt.mutable_origin()->set_sequence(truths.value());
      rt_.publisher().publish(truth_topic, gt);
      truths.inc();
      if (truth_file) truth_file << ground_truth_json(gt, t) << '\n';
      next_truth += options_.truth_interval_s;
    }
    sim_time.set(t);
    if (const auto now = bus::mono_ns(); now - last_tick > 50'000'000) {
      rt_.tick();
      last_tick = now;
    }
  }
  if (truth_file) truth_file.flush();
  spdlog::info("stopped at simulated t = {:.2f} s: {} packets sent, {} lost, {} send failures, {} values saturated",
               sim.time_s(), frames.value(), lost.value(), send_failed.value(), saturated.value());
}

}  // namespace wdp::sim
