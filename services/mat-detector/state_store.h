#pragma once
// Restart safety: the domain snapshot (every event, zone, survivor and alert as a MatEvent) in one
// file, <dir>/mat-state.bin, as [u32 little-endian length][MatEvent bytes] records. Written to a
// temporary file and renamed, so a crash leaves the previous complete snapshot.
#include <string>
#include <vector>

#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

class StateStore {
 public:
  explicit StateStore(std::string dir);  // creates the directory; empty dir = no persistence
  bool enabled() const { return !dir_.empty(); }
  // Empty when there is no file yet; throws std::runtime_error on a corrupt one.
  std::vector<v1::MatEvent> load() const;
  void save(const std::vector<v1::MatEvent>& snapshot) const;
  std::string path() const { return dir_ + "/mat-state.bin"; }

 private:
  std::string dir_;
};

}  // namespace wdp::mat
