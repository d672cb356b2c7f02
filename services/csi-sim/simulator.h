#pragma once
// Runs a scene: at every tick each link measures one packet (channel from the scene's paths at
// the jittered sample time, then the receiver's impairments). Deterministic for a seed.
//
//   Simulator sim(make_scene("default", seed), {.rate_hz = 50, .seed = seed});
//   for (;;) for (const auto& f : sim.step()) if (!f.packet.lost) send(f);
//
// Thread safety: one thread per Simulator.
#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hardware.h"
#include "radio_profile.h"
#include "scene.h"
#include "survivor_motion.h"

namespace wdp::sim {

struct SimOptions {
  double rate_hz = 50.0;                // packets per second per link (20–200 typical)
  std::uint64_t seed = 1;
  std::string profile = "esp32-ht20";   // see radio_profile_names()
  std::uint32_t channel = 0;            // 0 = the profile's default
  HardwareParams hardware;
};

struct LinkFrame {
  std::size_t node = 0;                 // index into scene().nodes
  std::uint32_t link_id = 0;
  std::uint64_t sequence = 0;           // per link, counts lost packets too (as the ESP32 does)
  double time_s = 0;                    // actual sample instant (nominal + jitter)
  Packet packet;
};

struct PersonState {
  const PersonSpec* spec = nullptr;
  BodyState body;
  double chest_displacement_m = 0;
};

class Simulator {
 public:
  Simulator(Scene scene, SimOptions options);
  Simulator(const Simulator&) = delete;  // hardware holds a reference to profile_
  Simulator& operator=(const Simulator&) = delete;

  // Measures one packet on every link at the next tick.
  const std::vector<LinkFrame>& step();
  std::uint64_t tick() const { return tick_; }
  double time_s() const { return static_cast<double>(tick_) / options_.rate_hz; }  // next tick

  // People's state at time t (present or not, pose, chest displacement).
  std::vector<PersonState> people_at(double t) const;
  // Every propagation path of one antenna pair of a link at time t.
  std::vector<Path> paths(std::size_t node, std::size_t link, std::size_t rx_ant, std::size_t tx_ant, double t) const;
  // Noise-free channel [rx][tx][bin] of a link at time t.
  void clean_csi(std::size_t node, std::size_t link, double t, std::vector<std::complex<double>>& out) const;
  // Position of antenna element i of a link's transmitter / receiver array.
  Vec3 tx_antenna(std::size_t node, std::size_t link, std::size_t i) const;
  Vec3 rx_antenna(std::size_t node, std::size_t link, std::size_t i) const;
  // Every bin's frequency (Hz), in buffer order.
  const std::vector<double>& bin_freqs_hz() const { return freqs_; }

  const Scene& scene() const { return scene_; }
  const RadioProfile& profile() const { return profile_; }
  const SimOptions& options() const { return options_; }
  const Hardware& hardware(std::size_t link_slot) const { return *hardware_[link_slot]; }

 private:
  struct LinkRef {
    std::size_t node, link;
  };
  Vec3 antenna(Vec3 centre, Vec3 axis, std::size_t i, std::size_t n) const;
  void scatterers_at(double t, std::vector<Scatterer>& out) const;
  void append_paths(Vec3 tx, Vec3 rx, const std::vector<Scatterer>& scatterers, std::vector<Path>& out) const;

  Scene scene_;
  SimOptions options_;
  RadioProfile profile_;
  std::vector<double> freqs_;
  std::vector<Wall> walls_;
  std::vector<VitalsModel> vitals_;           // one per person, then one per survivor
  std::vector<SurvivorMotion> survivor_motion_;  // one per survivor
  std::vector<LinkRef> links_;
  std::vector<std::unique_ptr<Hardware>> hardware_;  // one per link (own generator)
  std::vector<LinkFrame> frames_;
  std::uint64_t tick_ = 0;
};

}  // namespace wdp::sim
