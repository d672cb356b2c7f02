#pragma once
// Joins per-node feature windows ([T][56][2] each, one link per node as signal-processor
// publishes them) into one multi-link window [T][L][56][2] in a fixed node order. Windows of the
// nodes are matched by end time within `tolerance_s`; a node's window with no partner is dropped.
#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

namespace wdp::pose {

struct NodeWindow {
  double t = 0;               // end time, s
  std::vector<float> values;  // [T][56][2] (or [T][1][56][2], the same bytes)
};

struct JoinedWindow {
  double t = 0;               // latest end time of the joined windows
  std::size_t frames = 0;
  std::vector<float> values;  // [T][L][56][2]
};

class WindowAligner {
 public:
  WindowAligner(std::size_t nodes, std::size_t frames, double tolerance_s);
  void push(std::size_t node, NodeWindow w);
  // The next complete window, if every node has one that matches.
  std::optional<JoinedWindow> pop();

 private:
  std::size_t frames_;
  double tolerance_s_;
  std::vector<std::deque<NodeWindow>> queues_;
};

}  // namespace wdp::pose
