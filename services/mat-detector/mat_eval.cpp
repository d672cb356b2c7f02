// mat-eval: WiFi-Mat acceptance figures on simulated rubble, faster than real time.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "radio_profile.h"

#include "sim_scenario.h"

using namespace wdp::mat;

int probe(bool show_model, double duration, int nodes, double att, double snr, double x, double y, double z, double bpm, int rescuers,
          std::uint64_t seed) {
  eval::RubbleSpec spec{.nodes = nodes, .attenuation_db_per_m = att, .seed = seed, .rescuers = rescuers};
  auto scene = eval::rubble_site(spec);
  if (bpm > 0) eval::add_survivor(scene, "s1", x, y, z, bpm);
  MatDomain domain;
  eval::setup_domain(domain, scene);
  const P3 truth = bpm > 0 ? eval::survivor_chest(scene, 0) : P3{};
  const Site site = eval::site_of(scene, wdp::sim::make_radio_profile("esp32-ht20"));
  DetectorParams dp;
  eval::run(scene, {.duration_s = duration, .snr_db = snr, .seed = seed}, dp, domain, [&](const ScanResult& r, MatDomain& d) {
    const auto& e = r.evidence;
    std::printf("t=%.0f usable=%d links=%zu br=%.1f conf=%.2f prom=%.1f hr=%.1f/%.2f burst=%.1f mv=%d", (r.end_ns - 1'700'000'000'000'000'000) / 1e9,
                e.usable, e.links_used, e.breathing.rate_per_min, e.breathing.confidence, e.breathing.prominence, e.heart.rate_per_min,
                e.heart.confidence, e.burst_ratio, e.movement);
    for (const auto& o : r.observations) {
      if (o.x) std::printf(" fix=(%.2f,%.2f) d=%.2f r=%.2f err=%.2f", *o.x, *o.y, o.depth_m, o.uncertainty_m, std::hypot(*o.x - truth.x, *o.y - truth.y));
    }
    std::printf(" survivors=%zu\n   ", d.survivor_count());
    for (const auto& l : e.links) {
      std::printf(" %d:%.2g/%.2g", l.site_link, l.modulation, l.noise);
      if (bpm > 0 && show_model) std::printf("[%.1f]", 20 * std::log10(l.modulation + 1e-9) - 20 * std::log10(predicted_modulation(site, site.links[l.site_link], l.observability, truth)));
    }
    std::printf("\n");
  });
  std::printf("truth chest (%.2f, %.2f, %.2f)\n", truth.x, truth.y, truth.z);
  return 0;
}

// Survivors at seeded random places in the pile; each run is one scenario of `duration` seconds.
struct Trial {
  bool detected = false;        // a survivor track became Active
  bool localised = false;
  double error_m = 0, radius_m = 0, depth_err_m = 0;
  std::size_t survivors = 0;
  double first_detect_s = 0;
};

Trial trial(std::uint64_t seed, double att, double snr, double rate, double duration, int nodes, double bpm, bool verbose,
            const DetectorParams& dp) {
  std::uint64_t x = seed * 0x2545F4914F6CDD1Dull + 7;
  auto u = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return (x >> 11) * (1.0 / 9007199254740992.0);
  };
  auto scene = eval::rubble_site({.nodes = nodes, .attenuation_db_per_m = att, .seed = seed});
  const double px = 2.3 + 1.5 * u(), py = 2.3 + 2.7 * u(), pz = 0.2 + 1.0 * u();
  if (bpm <= 0) bpm = 8 + 22 * u();
  eval::add_survivor(scene, "s1", px, py, pz, bpm);
  const P3 truth = eval::survivor_chest(scene, 0);
  MatDomain domain;
  eval::setup_domain(domain, scene);
  Trial t;
  const std::int64_t epoch0 = 1'700'000'000'000'000'000;
  eval::run(scene, {.duration_s = duration, .rate_hz = rate, .snr_db = snr, .seed = seed}, dp, domain,
            [&](const ScanResult& r, MatDomain& d) {
              if (!t.detected && d.survivor_count() > 0) t.detected = true, t.first_detect_s = (r.end_ns - epoch0) / 1e9;
            });
  for (const auto& e : domain.snapshot()) {
    if (!e.has_survivor() || e.survivor().state() != wdp::v1::TRACK_STATE_ACTIVE) continue;
    ++t.survivors;
    if (e.survivor().has_position()) {
      t.localised = true;
      t.error_m = std::hypot(e.survivor().position().x_m() - truth.x, e.survivor().position().y_m() - truth.y);
      t.radius_m = e.survivor().uncertainty_radius_m();
      t.depth_err_m = e.survivor().depth_m() - (2.0 - truth.z);
    }
  }
  if (verbose) {
    std::printf("seed %llu truth (%.2f,%.2f,%.2f) %.1f BPM: detected %d at %.0fs survivors %zu localised %d err %.2f r %.2f depth err %+.2f\n",
                static_cast<unsigned long long>(seed), truth.x, truth.y, truth.z, bpm, t.detected, t.first_detect_s, t.survivors,
                t.localised, t.error_m, t.radius_m, t.depth_err_m);
  }
  return t;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int survivors(int n, double att, double snr, double rate, double duration, int nodes, bool verbose, double radius_scale) {
  DetectorParams dp;
  dp.localizer.radius_scale = radius_scale;
  int det = 0, loc = 0, covered = 0, multiplied = 0;
  std::vector<double> err, depth;
  for (int i = 1; i <= n; ++i) {
    const auto t = trial(static_cast<std::uint64_t>(i), att, snr, rate, duration, nodes, 0, verbose, dp);
    det += t.detected;
    multiplied += t.survivors > 1;
    if (t.localised) {
      ++loc;
      err.push_back(t.error_m);
      depth.push_back(std::abs(t.depth_err_m));
      covered += t.error_m <= t.radius_m;
    }
  }
  std::printf("buried survivors: n=%d attenuation %.1f dB/m snr %.0f dB rate %.0f Hz window %.0f s nodes %d\n", n, att, snr, rate,
              duration, nodes);
  std::printf("  recall %.3f (%d/%d)  localised %d  median error %.2f m  coverage %.3f  median |depth error| %.2f m  multiplied %d\n",
              double(det) / n, det, n, loc, median(err), loc ? double(covered) / loc : 0.0, median(depth), multiplied);
  return 0;
}

int empty_site(double hours, int rescuers, double att, double snr, double rate, int nodes, std::uint64_t seed) {
  auto scene = eval::rubble_site({.nodes = nodes, .attenuation_db_per_m = att, .seed = seed, .rescuers = rescuers});
  MatDomain domain;
  eval::setup_domain(domain, scene);
  std::size_t scans = 0, detections = 0;
  eval::run(scene, {.duration_s = hours * 3600, .rate_hz = rate, .snr_db = snr, .seed = seed}, {}, domain,
            [&](const ScanResult& r, MatDomain&) {
              ++scans;
              detections += !r.observations.empty();
            });
  std::size_t survivors = 0;
  for (const auto& e : domain.snapshot()) survivors += e.has_survivor();
  std::printf("empty rubble: %.2f h simulated, %d rescuers walking, %zu scans, %zu breathing detections, %zu false survivors (%.2f per hour)\n",
              hours, rescuers, scans, detections, survivors, survivors / hours);
  return 0;
}

int main(int argc, char** argv) {
  CLI::App app{"mat-eval: WiFi-Mat detection, localization and tracking figures on simulated rubble"};
  app.require_subcommand(1);
  double duration = 120, att = 8, snr = 30, x = 3.5, y = 4.0, z = 0.6, bpm = 12;
  int nodes = 4, rescuers = 0;
  std::uint64_t seed = 1;
  auto* pr = app.add_subcommand("probe", "Print every scan of one scenario");
  pr->add_option("--duration", duration);
  pr->add_option("--nodes", nodes);
  pr->add_option("--attenuation", att);
  pr->add_option("--snr", snr);
  pr->add_option("--x", x);
  pr->add_option("--y", y);
  pr->add_option("--z", z);
  pr->add_option("--bpm", bpm, "0 = no survivor");
  pr->add_option("--rescuers", rescuers);
  pr->add_option("--seed", seed);
  bool show_model = false;
  pr->add_flag("--model", show_model, "Per link: measured minus modelled modulation (dB) at the truth");
  int n = 20;
  double rate = 50, hours = 1;
  bool verbose = false;
  auto* sv = app.add_subcommand("survivors", "Recall, localization error and uncertainty coverage over n seeded survivors");
  sv->add_option("-n", n);
  sv->add_option("--attenuation", att);
  sv->add_option("--snr", snr);
  sv->add_option("--rate", rate);
  sv->add_option("--duration", duration);
  sv->add_option("--nodes", nodes);
  sv->add_flag("-v", verbose);
  double radius_scale = 1.0;
  sv->add_option("--radius-scale", radius_scale, "Uncertainty calibration factor (mat-detector --radius-scale)");
  auto* em = app.add_subcommand("empty", "False survivors per hour on empty rubble with rescuers walking around it");
  em->add_option("--hours", hours);
  int walkers = 2;
  em->add_option("--rescuers", walkers, "People walking laps around the pile");
  em->add_option("--attenuation", att);
  em->add_option("--snr", snr);
  em->add_option("--rate", rate);
  em->add_option("--nodes", nodes);
  em->add_option("--seed", seed);
  CLI11_PARSE(app, argc, argv);
  if (pr->parsed()) return probe(show_model, duration, nodes, att, snr, x, y, z, bpm, rescuers, seed);
  if (sv->parsed()) return survivors(n, att, snr, rate, duration, nodes, verbose, radius_scale);
  if (em->parsed()) return empty_site(hours, walkers, att, snr, rate, nodes, seed);
  return 0;
}
