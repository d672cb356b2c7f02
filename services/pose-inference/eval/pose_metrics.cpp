#include "pose_metrics.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace wdp::pose::eval {

double distance(const Joint& a, const Joint& b) { return std::sqrt(std::pow(a.x - b.x, 2) + std::pow(a.y - b.y, 2) + std::pow(a.z - b.z, 2)); }

double torso_length(const Skeleton& g) { return distance(g[6], g[11]); }

double head_size(const Skeleton& g) {
  double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300};
  for (int j = 0; j < 5; ++j) {
    const double v[3] = {g[j].x, g[j].y, g[j].z};
    for (int d = 0; d < 3; ++d) lo[d] = std::min(lo[d], v[d]), hi[d] = std::max(hi[d], v[d]);
  }
  return 0.6 * std::sqrt(std::pow(hi[0] - lo[0], 2) + std::pow(hi[1] - lo[1], 2) + std::pow(hi[2] - lo[2], 2));
}

double oks_area(const Skeleton& g) {
  double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300};
  for (const auto& j : g) {
    if (!j.labelled) continue;
    const double v[3] = {j.x, j.y, j.z};
    for (int d = 0; d < 3; ++d) lo[d] = std::min(lo[d], v[d]), hi[d] = std::max(hi[d], v[d]);
  }
  std::array<double, 3> side{std::max(0.0, hi[0] - lo[0]), std::max(0.0, hi[1] - lo[1]), std::max(0.0, hi[2] - lo[2])};
  std::sort(side.begin(), side.end());
  return side[1] * side[2];
}

double oks(const Skeleton& p, const Skeleton& g) {
  const double area = std::max(oks_area(g), 1e-12);
  double sum = 0;
  int n = 0;
  for (int j = 0; j < kJoints; ++j) {
    if (!g[j].labelled) continue;
    const double k = 2 * kCocoSigmas[j];
    const double d = distance(p[j], g[j]);
    sum += std::exp(-d * d / (2 * area * k * k));
    ++n;
  }
  return n ? sum / n : 0.0;
}

PckCount pck(const Skeleton& p, const Skeleton& g, double alpha, double normaliser) {
  PckCount c;
  for (int j = 0; j < kJoints; ++j) {
    if (!g[j].labelled) continue;
    ++c.total;
    if (distance(p[j], g[j]) <= alpha * normaliser) ++c.correct;
  }
  return c;
}

double mpjpe(const Skeleton& p, const Skeleton& g) {
  double sum = 0;
  int n = 0;
  for (int j = 0; j < kJoints; ++j) {
    if (!g[j].labelled) continue;
    sum += distance(p[j], g[j]);
    ++n;
  }
  return n ? sum / n : 0.0;
}

double pa_mpjpe(const Skeleton& p, const Skeleton& g) {
  std::vector<int> idx;
  for (int j = 0; j < kJoints; ++j)
    if (g[j].labelled) idx.push_back(j);
  if (idx.empty()) return 0.0;
  const auto n = static_cast<Eigen::Index>(idx.size());
  Eigen::MatrixXd X(n, 3), Y(n, 3);  // X = truth, Y = prediction, rows = joints
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& a = g[idx[static_cast<std::size_t>(i)]];
    const auto& b = p[idx[static_cast<std::size_t>(i)]];
    X.row(i) << a.x, a.y, a.z;
    Y.row(i) << b.x, b.y, b.z;
  }
  const Eigen::RowVector3d mx = X.colwise().mean(), my = Y.colwise().mean();
  Eigen::MatrixXd X0 = X.rowwise() - mx, Y0 = Y.rowwise() - my;
  const double nx = X0.norm(), ny = Y0.norm();
  if (nx < 1e-12 || ny < 1e-12) return mpjpe(p, g);
  X0 /= nx;
  Y0 /= ny;
  // Dynamic-size SVD: the fixed 3x3 instantiation trips GCC 12's -Wmaybe-uninitialized inside Eigen.
  const Eigen::MatrixXd m = X0.transpose() * Y0;
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeFullU | Eigen::ComputeFullV);
  Eigen::MatrixXd V = svd.matrixV();
  Eigen::VectorXd s = svd.singularValues();
  Eigen::MatrixXd R = V * svd.matrixU().transpose();
  if (R.determinant() < 0) {  // no reflections
    V.col(2) *= -1;
    s(2) *= -1;
    R = V * svd.matrixU().transpose();
  }
  const double b = s.sum() * nx / ny;
  const Eigen::RowVector3d c = mx - b * my * R;
  const Eigen::MatrixXd aligned = (b * Y * R).rowwise() + c;
  return (aligned - X).rowwise().norm().mean();
}

double oks_ap_at(const std::vector<EvalFrame>& frames, double t) {
  struct Det {
    double score;
    bool tp;
  };
  std::vector<Det> dets;
  std::size_t n_gt = 0;
  for (const auto& f : frames) {
    std::vector<std::size_t> gt;
    for (std::size_t i = 0; i < f.truth.size(); ++i) {
      if (std::any_of(f.truth[i].begin(), f.truth[i].end(), [](const Joint& j) { return j.labelled; })) gt.push_back(i);
    }
    n_gt += gt.size();
    std::vector<std::size_t> order(f.predictions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return f.predictions[a].score > f.predictions[b].score; });
    if (order.size() > 20) order.resize(20);
    std::vector<bool> taken(gt.size(), false);
    for (std::size_t pi : order) {
      double best = t;
      int match = -1;
      for (std::size_t k = 0; k < gt.size(); ++k) {
        if (taken[k]) continue;
        const double o = oks(f.predictions[pi].pose, f.truth[gt[k]]);
        if (o >= best) best = o, match = static_cast<int>(k);
      }
      if (match >= 0) taken[static_cast<std::size_t>(match)] = true;
      dets.push_back({f.predictions[pi].score, match >= 0});
    }
  }
  if (n_gt == 0) return 0.0;
  std::stable_sort(dets.begin(), dets.end(), [](const Det& a, const Det& b) { return a.score > b.score; });
  std::vector<double> recall, precision;
  std::size_t tp = 0;
  for (std::size_t i = 0; i < dets.size(); ++i) {
    tp += dets[i].tp ? 1 : 0;
    recall.push_back(static_cast<double>(tp) / static_cast<double>(n_gt));
    precision.push_back(static_cast<double>(tp) / static_cast<double>(i + 1));
  }
  for (std::size_t i = precision.size(); i-- > 1;) precision[i - 1] = std::max(precision[i - 1], precision[i]);
  double sum = 0;
  for (int r = 0; r <= 100; ++r) {
    const double rr = r / 100.0;
    const auto it = std::lower_bound(recall.begin(), recall.end(), rr - 1e-12);
    if (it != recall.end()) sum += precision[static_cast<std::size_t>(it - recall.begin())];
  }
  return sum / 101.0;
}

double oks_ap(const std::vector<EvalFrame>& frames) {
  double sum = 0;
  for (int i = 0; i < 10; ++i) sum += oks_ap_at(frames, 0.5 + 0.05 * i);
  return sum / 10.0;
}

}  // namespace wdp::pose::eval
