#include "simulator.h"

#include <stdexcept>

#include "seed.h"

namespace wdp::sim {

Simulator::Simulator(Scene scene, SimOptions options)
    : scene_(std::move(scene)), options_(std::move(options)), profile_(make_radio_profile(options_.profile, options_.channel)) {
  if (!(options_.rate_hz > 0)) throw std::invalid_argument("rate must be > 0 Hz");
  for (std::size_t b = 0; b < profile_.n_bins(); ++b) freqs_.push_back(profile_.bin_freq_hz(b));
  walls_ = room_walls(scene_.room);
  for (const auto& p : scene_.people) vitals_.emplace_back(p.vitals, derive_seed(options_.seed, "vitals/" + std::to_string(p.id)));
  for (const auto& s : scene_.survivors) {
    vitals_.emplace_back(s.vitals, derive_seed(options_.seed, "survivor/" + s.id));
    survivor_motion_.emplace_back(place_pose(lying_pose(s.height_m), s.heading_rad, s.position), s.movement,
                                  derive_seed(options_.seed, "survivor-motion/" + s.id));
  }
  std::vector<std::complex<double>> ref;
  for (std::size_t n = 0; n < scene_.nodes.size(); ++n) {
    for (std::size_t l = 0; l < scene_.nodes[n].links.size(); ++l) {
      links_.push_back({n, l});
      const std::string name = "hw/" + scene_.nodes[n].id + "/" + std::to_string(scene_.nodes[n].links[l].id);
      hardware_.push_back(std::make_unique<Hardware>(options_.hardware, profile_, derive_seed(options_.seed, name)));
      clean_csi(n, l, 0.0, ref);
      hardware_.back()->set_reference(ref);
      LinkFrame f;
      f.node = n;
      f.link_id = scene_.nodes[n].links[l].id;
      frames_.push_back(std::move(f));
    }
  }
}

std::vector<PersonState> Simulator::people_at(double t) const {
  std::vector<PersonState> out;
  for (std::size_t i = 0; i < scene_.people.size(); ++i) {
    PersonState s;
    s.spec = &scene_.people[i];
    s.body = evaluate_motion(s.spec->motion, t);
    s.chest_displacement_m = vitals_[i].displacement_m(t);
    out.push_back(s);
  }
  return out;
}

void Simulator::scatterers_at(double t, std::vector<Scatterer>& out) const {
  out = scene_.furniture;
  for (const auto& p : people_at(t)) {
    if (p.body.present) append_body_scatterers(p.body.pose, p.chest_displacement_m, p.spec->body, out);
  }
  for (std::size_t i = 0; i < scene_.survivors.size(); ++i) {
    const double d = vitals_[scene_.people.size() + i].displacement_m(t);
    append_body_scatterers(survivor_motion_[i].at(t), d, scene_.survivors[i].body, out);
  }
}

Vec3 Simulator::antenna(Vec3 centre, Vec3 axis, std::size_t i, std::size_t n) const {
  const double offset = (static_cast<double>(i) - 0.5 * static_cast<double>(n - 1)) * profile_.antenna_spacing_m;
  return centre + normalized(axis) * offset;
}

Vec3 Simulator::tx_antenna(std::size_t node, std::size_t link, std::size_t i) const {
  const auto& g = scene_.nodes.at(node).links.at(link);
  return antenna(g.tx, g.array_axis, i, profile_.n_tx);
}

Vec3 Simulator::rx_antenna(std::size_t node, std::size_t link, std::size_t i) const {
  const auto& g = scene_.nodes.at(node).links.at(link);
  return antenna(g.rx, g.array_axis, i, profile_.n_rx);
}

void Simulator::append_paths(Vec3 tx, Vec3 rx, const std::vector<Scatterer>& scatterers, std::vector<Path>& out) const {
  const auto with_loss = [&](Path p, std::initializer_list<Vec3> pts) {
    if (!scene_.rubble.empty()) {
      p.gain *= std::pow(10.0, -rubble_loss_db(scene_.rubble, std::span<const Vec3>(pts.begin(), pts.size())) / 20);
    }
    out.push_back(p);
  };
  with_loss(los_path(tx, rx), {tx, rx});
  for (const auto& w : walls_) {
    // The reflection point, where the image ray crosses the wall, splits the path for debris loss.
    const Vec3 image = mirror(tx, w.plane);
    const double den = dot(rx - image, w.plane.normal);
    if (den == 0.0) continue;
    const Vec3 hit = image + (rx - image) * (dot(w.plane.point - image, w.plane.normal) / den);
    with_loss(wall_path(tx, w, rx), {tx, hit, rx});
  }
  for (const auto& s : scatterers) with_loss(scatter_path(tx, s, rx), {tx, s.position, rx});
}

std::vector<Path> Simulator::paths(std::size_t node, std::size_t link, std::size_t rx_ant, std::size_t tx_ant,
                                   double t) const {
  std::vector<Scatterer> sc;
  scatterers_at(t, sc);
  std::vector<Path> out;
  append_paths(tx_antenna(node, link, tx_ant), rx_antenna(node, link, rx_ant), sc, out);
  return out;
}

void Simulator::clean_csi(std::size_t node, std::size_t link, double t, std::vector<std::complex<double>>& out) const {
  const std::size_t n_bins = profile_.n_bins();
  out.assign(profile_.n_rx * profile_.n_tx * n_bins, {0.0, 0.0});
  std::vector<Scatterer> sc;
  scatterers_at(t, sc);
  std::vector<Path> paths;
  for (std::size_t r = 0; r < profile_.n_rx; ++r) {
    for (std::size_t x = 0; x < profile_.n_tx; ++x) {
      paths.clear();
      append_paths(tx_antenna(node, link, x), rx_antenna(node, link, r), sc, paths);
      accumulate_grid(paths, profile_.grid_center_mhz * 1e6, profile_.spacing_hz, profile_.index,
                      std::span(out).subspan((r * profile_.n_tx + x) * n_bins, n_bins));
    }
  }
}

const std::vector<LinkFrame>& Simulator::step() {
  const double nominal = time_s();
  std::vector<std::complex<double>> clean;
  for (std::size_t i = 0; i < links_.size(); ++i) {
    auto& f = frames_[i];
    auto& hw = *hardware_[i];
    f.sequence = tick_;
    f.time_s = std::max(0.0, nominal + hw.draw_jitter_s());
    clean_csi(links_[i].node, links_[i].link, f.time_s, clean);
    hw.apply(clean, f.packet);
  }
  ++tick_;
  return frames_;
}

}  // namespace wdp::sim
