// mat-eval: WiFi-Mat acceptance figures on simulated rubble, faster than real time.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

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
  std::vector<std::pair<double, double>> variants;  // (error, radius) of the last scan's evidence per --variant
  double min_inside = 1;        // smallest posterior mass inside the zone of any fix
};

// "model_db=1,windows=2,coherent=0": localizer parameters to try on the same evidence (tuning).
LocalizerParams parse_variant(const std::string& spec, LocalizerParams p) {
  std::size_t i = 0;
  while (i < spec.size()) {
    const auto j = std::min(spec.find(',', i), spec.size());
    const auto item = spec.substr(i, j - i);
    const auto eq = item.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("variant item without '=': " + item);
    const auto k = item.substr(0, eq);
    const double v = std::stod(item.substr(eq + 1));
    if (k == "model_db") p.model_db = v;
    else if (k == "windows") p.windows = v;
    else if (k == "coherent") p.coherent = v != 0;
    else if (k == "mismatch") p.mismatch = v;
    else if (k == "map") p.map_estimate = v != 0;
    else if (k == "z_step") p.z_step_m = v;
    else throw std::invalid_argument("unknown variant parameter " + k);
    i = j + 1;
  }
  return p;
}

// Per link at the last localised scan: measured modulation, noise, and the model (common scale
// fitted at that point) at the true chest and at the estimate, all in dB.
void print_links(const Site& site, const wdp::v1::ScanZone& zone, const ScanResult& r, P3 truth, const LocalizerParams& lp) {
  if (!r.fix) return;
  const P3 est{r.fix->x, r.fix->y, r.fix->z};
  const auto t = link_terms(site, zone, r.localized_links, truth, lp);
  const auto e = link_terms(site, zone, r.localized_links, est, lp);
  const auto excess = [&](const SiteLink& l, P3 p) {
    auto d = [](P3 a, P3 b) { return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z)); };
    return d(l.tx, p) + d(p, l.rx) - d(l.tx, l.rx);
  };
  std::printf("  logL truth %.1f (S %.1f dB)  estimate (%.2f,%.2f,%.2f) %.1f (S %.1f dB)\n", t[0], t[1], est.x, est.y, est.z, e[0], e[1]);
  std::printf("  link    E_dB    N_dB | truth: exc    x_dB    row    ll | est: exc    x_dB    row    ll\n");
  for (std::size_t i = 2; i + 5 < t.size(); i += 6) {
    const auto& l = site.links[static_cast<std::size_t>(t[i])];
    std::printf("  %4.0f  %6.1f  %6.1f | %10.2f %7.1f %6.3f %5.1f | %8.2f %7.1f %6.3f %5.1f\n", t[i], t[i + 1], t[i + 2], excess(l, truth), t[i + 3],
                t[i + 4], t[i + 5], excess(l, est), e[i + 3], e[i + 4], e[i + 5]);
  }
}

Trial trial(std::uint64_t seed, double att, double snr, double rate, double duration, int nodes, double bpm, bool verbose,
            const DetectorParams& dp, bool links = false, const std::vector<LocalizerParams>& variants = {}) {
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
  const auto zone = eval::setup_domain(domain, scene);
  Trial t;
  const std::int64_t epoch0 = 1'700'000'000'000'000'000;
  ScanResult last;
  eval::run(scene, {.duration_s = duration, .rate_hz = rate, .snr_db = snr, .seed = seed}, dp, domain,
            [&](const ScanResult& r, MatDomain& d) {
              if (!t.detected && d.survivor_count() > 0) t.detected = true, t.first_detect_s = (r.end_ns - epoch0) / 1e9;
              if ((links || !variants.empty()) && r.fix) last = r;
              if (r.fix && !r.evidence.links.empty()) t.min_inside = std::min(t.min_inside, r.fix->inside);
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
    std::printf("seed %llu truth (%.2f,%.2f,%.2f) %.1f BPM: detected %d at %.0fs survivors %zu localised %d err %.2f r %.2f depth err %+.2f"
                " min inside %.2f\n",
                static_cast<unsigned long long>(seed), truth.x, truth.y, truth.z, bpm, t.detected, t.first_detect_s, t.survivors,
                t.localised, t.error_m, t.radius_m, t.depth_err_m, t.min_inside);
  }
  if (links) print_links(eval::site_of(scene, wdp::sim::make_radio_profile("esp32-ht20")), zone, last, truth, dp.localizer);
  for (const auto& v : variants) {
    const auto f = last.fix ? localize(eval::site_of(scene, wdp::sim::make_radio_profile("esp32-ht20")), zone, last.localized_links, v)
                            : std::nullopt;
    t.variants.emplace_back(f ? std::hypot(f->x - truth.x, f->y - truth.y) : -1, f ? f->radius_m : 0);
  }
  return t;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int survivors(int n, double att, double snr, double rate, double duration, int nodes, bool verbose, const LocalizerParams& lp,
              std::uint64_t first_seed, bool links, const std::vector<std::string>& variant_specs, double evidence_alpha) {
  DetectorParams dp;
  dp.evidence_alpha = evidence_alpha;
  dp.localizer = lp;
  std::vector<LocalizerParams> variants;
  for (const auto& v : variant_specs) variants.push_back(parse_variant(v, lp));
  std::vector<std::vector<double>> verr(variants.size()), vcov(variants.size());
  int det = 0, loc = 0, covered = 0, multiplied = 0;
  std::vector<double> err, depth, need, radius;
  for (int i = 0; i < n; ++i) {
    const auto t = trial(first_seed + static_cast<std::uint64_t>(i), att, snr, rate, duration, nodes, 0, verbose || links, dp, links, variants);
    for (std::size_t k = 0; k < t.variants.size(); ++k) {
      if (t.variants[k].first < 0) continue;
      verr[k].push_back(t.variants[k].first);
      vcov[k].push_back(t.variants[k].first / t.variants[k].second);  // radius scale needed to cover
    }
    det += t.detected;
    multiplied += t.survivors > 1;
    if (t.localised) {
      ++loc;
      err.push_back(t.error_m);
      depth.push_back(std::abs(t.depth_err_m));
      covered += t.error_m <= t.radius_m;
      need.push_back(t.error_m / t.radius_m * lp.radius_scale);
      radius.push_back(t.radius_m);
    }
  }
  std::printf("buried survivors: n=%d (seeds %llu..%llu) attenuation %.1f dB/m snr %.0f dB rate %.0f Hz window %.0f s nodes %d\n", n,
              static_cast<unsigned long long>(first_seed), static_cast<unsigned long long>(first_seed + n - 1), att, snr, rate, duration,
              nodes);
  std::printf("  recall %.3f (%d/%d)  localised %d  median error %.2f m  coverage %.3f  median |depth error| %.2f m  multiplied %d\n",
              double(det) / n, det, n, loc, median(err), loc ? double(covered) / loc : 0.0, median(depth), multiplied);
  // Calibration: the smallest --radius-scale whose radii would have covered 90 % of these fixes.
  std::sort(need.begin(), need.end());
  std::printf("  median radius %.2f m at --radius-scale %.2f; 90 %% coverage needs --radius-scale %.2f\n", median(radius), lp.radius_scale,
              need.empty() ? 0.0 : need[static_cast<std::size_t>(std::ceil(0.9 * need.size())) - 1]);
  for (std::size_t k = 0; k < variants.size(); ++k) {
    auto c = vcov[k];
    std::sort(c.begin(), c.end());
    std::printf("  variant %-40s last-scan fixes %zu  median error %.2f m  radius scale for 90%% coverage %.2f\n", variant_specs[k].c_str(),
                verr[k].size(), median(verr[k]), c.empty() ? 0.0 : c[std::min(c.size() - 1, static_cast<std::size_t>(std::ceil(0.9 * c.size())) - 1)]);
  }
  return 0;
}

int empty_site(double hours, int rescuers, double att, double snr, double rate, int nodes, std::uint64_t seed, const DetectorParams& dp,
               bool verbose) {
  auto scene = eval::rubble_site({.nodes = nodes, .attenuation_db_per_m = att, .seed = seed, .rescuers = rescuers});
  MatDomain domain;
  eval::setup_domain(domain, scene);
  std::size_t scans = 0, detections = 0;
  eval::run(scene, {.duration_s = hours * 3600, .rate_hz = rate, .snr_db = snr, .seed = seed}, dp, domain,
            [&](const ScanResult& r, MatDomain& d) {
              ++scans;
              detections += !r.observations.empty();
              if (verbose && r.evidence.breathing.confidence >= dp.breathing_min_confidence) {
                std::printf("t=%.0f conf %.2f mv %d fix %d inside %.2f observed %zu survivors %zu\n", (r.end_ns - 1'700'000'000'000'000'000) / 1e9,
                            r.evidence.breathing.confidence, r.evidence.movement, r.fix.has_value(), r.fix ? r.fix->inside : 0.0,
                            r.observations.size(), d.survivor_count());
              }
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
  std::uint64_t first_seed = 1;
  sv->add_option("--first-seed", first_seed, "Seeds first-seed .. first-seed + n − 1 (tune on one range, report on another)");
  bool links = false;
  sv->add_flag("--links", links, "Per-link measured vs modelled modulation at the last fix");
  LocalizerParams lp;
  sv->add_option("--radius-scale", lp.radius_scale, "Uncertainty calibration factor (mat-detector --radius-scale)")->capture_default_str();
  bool magnitude_only = false;
  sv->add_flag("--magnitude-only", magnitude_only, "Localise from per-link breathing power only (no coherent shape across subcarriers)");
  sv->add_option("--mismatch", lp.mismatch, "Localizer: share of the path power the shape model may miss");
  sv->add_option("--windows", lp.windows, "Localizer: independent windows in the scan-averaged evidence");
  sv->add_option("--model-db", lp.model_db, "Localizer (magnitude only): model error in dB");
  sv->add_flag("--map", lp.map_estimate, "Localizer: most likely cell instead of the posterior mean");
  double evidence_alpha = DetectorParams{}.evidence_alpha;
  sv->add_option("--evidence-alpha", evidence_alpha, "Weight of the newest scan in the per-link evidence average")->capture_default_str();
  std::vector<std::string> variant_specs;
  sv->add_option("--variant", variant_specs, "Also localise the last scan's evidence with these parameters (e.g. model_db=1,windows=2)");
  auto* em = app.add_subcommand("empty", "False survivors per hour on empty rubble with rescuers walking around it");
  em->add_option("--hours", hours);
  int walkers = 2;
  em->add_option("--rescuers", walkers, "People walking laps around the pile");
  em->add_option("--attenuation", att);
  em->add_option("--snr", snr);
  em->add_option("--rate", rate);
  em->add_option("--nodes", nodes);
  em->add_option("--seed", seed);
  DetectorParams edp;
  em->add_option("--min-inside", edp.min_inside, "Posterior mass inside the zone a fix needs")->capture_default_str();
  bool em_verbose = false;
  em->add_flag("-v", em_verbose, "Print every scan with breathing");
  CLI11_PARSE(app, argc, argv);
  if (pr->parsed()) return probe(show_model, duration, nodes, att, snr, x, y, z, bpm, rescuers, seed);
  if (sv->parsed()) {
    lp.coherent = !magnitude_only;
    return survivors(n, att, snr, rate, duration, nodes, verbose, lp, first_seed, links, variant_specs, evidence_alpha);
  }
  if (em->parsed()) return empty_site(hours, walkers, att, snr, rate, nodes, seed, edp, em_verbose);
  return 0;
}
