// csi-sim: a physics-based CSI simulator -> ESP32 UDP (to csi-ingest) or csi.raw.<node>, plus
// ground truth on gt.<scene>.
#include <CLI/CLI.hpp>

#include "csi_sim.h"

int main(int argc, char** argv) {
  CLI::App app{"csi-sim: simulates rooms, people, breathing and rubble as WiFi CSI, with ground truth"};
  app.option_defaults()->always_capture_default();
  wdp::sim::CsiSimOptions o;
  auto& hw = o.sim.hardware;
  app.add_option("--scene", o.scene, "Built-in scene: default, empty, multi, rubble")->envname("WDP_SIM_SCENE");
  app.add_option("--scene-file", o.scene_file, "JSON scene file (replaces --scene)")->envname("WDP_SIM_SCENE_FILE");
  app.add_option("--output", o.output, "udp: ESP32 datagrams to csi-ingest; bus: CsiFrame on csi.raw.<node>")
      ->envname("WDP_SIM_OUTPUT")->check(CLI::IsMember({"udp", "bus"}));
  app.add_option("--udp-target", o.udp_target, "csi-ingest UDP address host:port")->envname("WDP_SIM_UDP_TARGET");
  app.add_option("--rate", o.sim.rate_hz, "Packets per second per link")->envname("WDP_SIM_RATE")->check(CLI::Range(1.0, 2000.0));
  app.add_option("--speed", o.speed, "Simulated seconds per wall-clock second")->envname("WDP_SIM_SPEED")->check(CLI::PositiveNumber);
  app.add_flag("--max", o.max, "Run as fast as possible (no pacing)")->envname("WDP_SIM_MAX");
  app.add_option("--duration", o.duration_s, "Simulated seconds to run, then exit (0 = until stopped)")
      ->envname("WDP_SIM_DURATION")->check(CLI::NonNegativeNumber);
  app.add_option("--seed", o.sim.seed, "Random seed: same seed, same frames")->envname("WDP_SIM_SEED");
  app.add_option("--truth-file", o.truth_file, "Write ground truth as JSON lines here")->envname("WDP_SIM_TRUTH_FILE");
  app.add_option("--truth-interval", o.truth_interval_s, "Simulated seconds between ground-truth messages")
      ->envname("WDP_SIM_TRUTH_INTERVAL")->check(CLI::PositiveNumber);
  app.add_option("--profile", o.sim.profile, "Receiver: esp32-ht20, esp32-legacy, esp32-ht40, intel5300, nic-ht20, nic-ht40")
      ->envname("WDP_SIM_PROFILE");
  app.add_option("--channel", o.sim.channel, "WiFi channel (0 = the profile's default)")->envname("WDP_SIM_CHANNEL");
  app.add_option("--snr", hw.snr_db, "Per-bin SNR in dB (>= 200: no noise)")->envname("WDP_SIM_SNR");
  app.add_option("--phase-offsets", hw.phase_offsets, "Random CFO phase and STO slope per packet")->envname("WDP_SIM_PHASE_OFFSETS");
  app.add_option("--sto-max-ns", hw.sto_max_ns, "Largest timing offset (ns)")->envname("WDP_SIM_STO_MAX_NS");
  app.add_option("--agc", hw.agc, "Per-packet AGC (false: gain locked at start)")->envname("WDP_SIM_AGC");
  app.add_option("--agc-target", hw.agc_target, "RMS of raw values after AGC")->envname("WDP_SIM_AGC_TARGET");
  app.add_option("--packet-loss", hw.packet_loss, "Probability a packet is lost")->envname("WDP_SIM_PACKET_LOSS")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--jitter-ms", hw.jitter_ms, "Std of the sample-time error (ms)")->envname("WDP_SIM_JITTER_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--wait-subscriber", o.wait_subscriber_s, "Bus output: wait up to this many seconds for a subscriber")
      ->envname("WDP_SIM_WAIT_SUBSCRIBER")->check(CLI::NonNegativeNumber);
  wdp::runtime::RuntimeOptions rt{.service = "csi-sim", .admin_port = 9107};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) { wdp::sim::CsiSimService(o, r).run(); });
}
