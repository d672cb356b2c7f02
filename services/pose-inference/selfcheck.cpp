#include "selfcheck.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

namespace wdp::pose {

double selfcheck_max_abs_diff(InferenceBackend& backend, const std::map<std::string, std::string>& metadata) {
  const auto it = metadata.find(kSelfcheckKey);
  if (it == metadata.end()) throw std::runtime_error("model has no wdp.selfcheck metadata");
  const auto j = nlohmann::json::parse(it->second);
  const auto batch = j.at("batch").get<std::size_t>();
  const auto kp = j.at("keypoints").get<std::vector<double>>();
  const auto conf = j.at("keypoint_confidence").get<std::vector<double>>();
  const auto score = j.at("person_score").get<std::vector<double>>();
  const auto& c = backend.contract();
  const std::size_t n = c.window_values(), k = c.persons;
  if (kp.size() != batch * k * 51 || conf.size() != batch * k * 17 || score.size() != batch * k)
    throw std::runtime_error("wdp.selfcheck sizes do not match the contract");
  // x[b][i] = 2 sin(0.001 (b + 1) i), computed in double and rounded to float like numpy does.
  std::vector<float> x(batch * n);
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t i = 0; i < n; ++i)
      x[b * n + i] = static_cast<float>(2.0 * std::sin(0.001 * static_cast<double>(b + 1) * static_cast<double>(i)));
  std::vector<RawPoses> out;
  backend.infer(x, batch, out);
  double worst = 0;
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t p = 0; p < k; ++p) {
      const RawPerson& r = out[b][p];
      for (std::size_t jn = 0; jn < 17; ++jn) {
        for (std::size_t d = 0; d < 3; ++d)
          worst = std::max(worst, std::abs(r.keypoints[jn][d] - kp[(b * k + p) * 51 + jn * 3 + d]));
        worst = std::max(worst, std::abs(r.confidence[jn] - conf[(b * k + p) * 17 + jn]));
      }
      worst = std::max(worst, std::abs(r.score - score[b * k + p]));
    }
  return worst;
}

}  // namespace wdp::pose
