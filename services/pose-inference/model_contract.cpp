#include "model_contract.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace wdp::pose {

ModelContract parse_contract(const std::map<std::string, std::string>& metadata) {
  const auto it = metadata.find(kContractKey);
  if (it == metadata.end()) throw std::runtime_error(std::string("model has no ") + kContractKey + " metadata");
  ModelContract c;
  try {
    const auto j = nlohmann::json::parse(it->second);
    c.contract = j.at("contract").get<std::string>();
    if (c.contract != kSupportedContract) throw std::runtime_error("unsupported contract " + c.contract);
    c.model_version = j.at("model_version").get<std::string>();
    const auto& in = j.at("input");
    c.input_name = in.at("name").get<std::string>();
    c.frames = in.at("frames").get<std::size_t>();
    c.links = in.at("links").get<std::size_t>();
    c.bins = in.at("bins").get<std::size_t>();
    c.channels = in.at("channels").get<std::size_t>();
    c.sample_rate_hz = in.value("sample_rate_hz", 20.0);
    const auto& n = in.at("normalization");
    const auto mean = n.at("mean").get<std::vector<float>>(), sd = n.at("std").get<std::vector<float>>();
    if (mean.size() != 2 || sd.size() != 2) throw std::runtime_error("normalization needs 2 means and 2 stds");
    c.mean = {mean[0], mean[1]};
    c.std = {sd[0], sd[1]};
    c.clip = n.at("clip").get<float>();
    c.temporal_demean = n.value("temporal_demean", false);
    const auto& out = j.at("output");
    c.persons = out.at("persons").get<std::size_t>();
    c.coordinate_frame = out.at("coordinate_frame").get<std::string>();
    if (out.at("keypoints").get<int>() != 17) throw std::runtime_error("output keypoints must be 17");
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("bad ") + kContractKey + ": " + e.what());
  }
  if (c.frames == 0 || c.links == 0 || c.bins != 56 || c.channels != 2 || c.persons == 0)
    throw std::runtime_error("contract shape is not [T>0][L>0][56][2] with K>0 persons");
  if (c.std[0] <= 0 || c.std[1] <= 0) throw std::runtime_error("contract std must be > 0");
  return c;
}

void normalize_window(const ModelContract& c, std::span<float> v) {
  // Per value the same operations in the same order as demeaning and scaling in separate passes
  // (so the same bits), but one pass over the window after the means: the window is 86 kB.
  const std::size_t f = c.frames > 0 ? v.size() / c.frames : v.size();
  const std::size_t rows = f == 0 ? 0 : c.frames > 0 ? c.frames : 1;
  thread_local std::vector<double> sum;
  thread_local std::vector<float> shift;
  shift.assign(f, 0.0f);
  if (c.temporal_demean && c.frames > 0) {
    sum.assign(f, 0.0);
    for (std::size_t t = 0; t < rows; ++t) {
      const float* row = v.data() + t * f;
      for (std::size_t i = 0; i < f; ++i) sum[i] += row[i];
    }
    for (std::size_t i = 0; i < f; ++i) shift[i] = static_cast<float>(sum[i] / static_cast<double>(c.frames));
  }
  const float m0 = c.mean[0], m1 = c.mean[1], s0 = c.std[0], s1 = c.std[1], lo = -c.clip, hi = c.clip;
  for (std::size_t t = 0; t < rows; ++t) {
    float* row = v.data() + t * f;
    if (f % 2 == 0) {  // channels alternate within every row
      for (std::size_t i = 0; i < f; i += 2) {
        row[i] = std::clamp((row[i] - shift[i] - m0) / s0, lo, hi);
        row[i + 1] = std::clamp((row[i + 1] - shift[i + 1] - m1) / s1, lo, hi);
      }
    } else {
      for (std::size_t i = 0; i < f; ++i) {
        const std::size_t ch = (t * f + i) & 1;
        row[i] = std::clamp((row[i] - shift[i] - c.mean[ch]) / c.std[ch], lo, hi);
      }
    }
  }
  for (std::size_t i = rows * f; i < v.size(); ++i) {  // a ragged tail (not a contract shape)
    const std::size_t ch = i & 1;
    v[i] = std::clamp((v[i] - c.mean[ch]) / c.std[ch], lo, hi);
  }
}

}  // namespace wdp::pose
