#include "wdp/metrics/registry.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace wdp::metrics {
namespace {

void atomic_add(std::atomic<double>& a, double v) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string format_labels(const Labels& labels, const std::string& extra_key = {},
                          const std::string& extra_value = {}) {
  if (labels.empty() && extra_key.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    out += k + "=\"" + escape_label(v) + "\"";
    first = false;
  }
  if (!extra_key.empty()) {
    if (!first) out += ',';
    out += extra_key + "=\"" + extra_value + "\"";
  }
  return out + "}";
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

}  // namespace

void Gauge::add(double v) { atomic_add(value_, v); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 1; i < bounds_.size(); ++i) {
    if (!(bounds_[i] > bounds_[i - 1])) throw std::invalid_argument("histogram bounds must increase");
  }
}

void Histogram::observe(double v) {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t acc = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    acc += counts_[i].load(std::memory_order_relaxed);
    out[i] = acc;
  }
  return out;
}

std::vector<double> exponential_buckets(double start, double factor, int count) {
  std::vector<double> b;
  for (int i = 0; i < count; ++i, start *= factor) b.push_back(start);
  return b;
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, Kind kind) {
  auto [it, inserted] = families_.try_emplace(name, Family{help, kind, {}});
  if (!inserted && it->second.kind != kind) {
    throw std::logic_error("metric " + name + " registered twice with different types");
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, Labels labels) {
  std::lock_guard lock(mutex_);
  auto& f = family(name, help, Kind::counter);
  f.series.push_back(Series{std::move(labels), std::make_unique<Counter>(), nullptr, nullptr, {}});
  return *f.series.back().counter;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, Labels labels) {
  std::lock_guard lock(mutex_);
  auto& f = family(name, help, Kind::gauge);
  f.series.push_back(Series{std::move(labels), nullptr, std::make_unique<Gauge>(), nullptr, {}});
  return *f.series.back().gauge;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               std::vector<double> upper_bounds, Labels labels) {
  std::lock_guard lock(mutex_);
  auto& f = family(name, help, Kind::histogram);
  f.series.push_back(Series{std::move(labels), nullptr, nullptr,
                            std::make_unique<Histogram>(std::move(upper_bounds)), {}});
  return *f.series.back().histogram;
}

void Registry::counter_fn(const std::string& name, const std::string& help, Labels labels,
                          std::function<double()> read) {
  std::lock_guard lock(mutex_);
  family(name, help, Kind::counter).series.push_back(Series{std::move(labels), nullptr, nullptr, nullptr, std::move(read)});
}

void Registry::gauge_fn(const std::string& name, const std::string& help, Labels labels,
                        std::function<double()> read) {
  std::lock_guard lock(mutex_);
  family(name, help, Kind::gauge).series.push_back(Series{std::move(labels), nullptr, nullptr, nullptr, std::move(read)});
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    const char* type = f.kind == Kind::counter ? "counter" : f.kind == Kind::gauge ? "gauge" : "histogram";
    out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " " + type + "\n";
    for (const auto& s : f.series) {
      if (s.histogram) {
        const auto counts = s.histogram->cumulative_counts();
        const auto& bounds = s.histogram->upper_bounds();
        for (std::size_t i = 0; i < counts.size(); ++i) {
          const std::string le = i < bounds.size() ? format_value(bounds[i]) : "+Inf";
          out += name + "_bucket" + format_labels(s.labels, "le", le) + " " + std::to_string(counts[i]) + "\n";
        }
        out += name + "_sum" + format_labels(s.labels) + " " + format_value(s.histogram->sum()) + "\n";
        out += name + "_count" + format_labels(s.labels) + " " + std::to_string(counts.back()) + "\n";
        continue;
      }
      double v = s.read ? s.read() : s.counter ? static_cast<double>(s.counter->value()) : s.gauge->value();
      out += name + format_labels(s.labels) + " " + format_value(v) + "\n";
    }
  }
  return out;
}

}  // namespace wdp::metrics
