#pragma once
// One seed for the whole run, one independent generator per component: each component's seed is
// derived from the run seed and the component's name, so adding a person or a node does not
// change the random streams of the others.
#include <cstdint>
#include <string_view>

namespace wdp::sim {

inline std::uint64_t derive_seed(std::uint64_t seed, std::string_view component) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a: stable across platforms, unlike std::hash
  for (char c : component) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  std::uint64_t z = seed + h + 0x9E3779B97F4A7C15ull;  // splitmix64 finaliser
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace wdp::sim
