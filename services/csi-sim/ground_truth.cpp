#include "ground_truth.h"

#include <nlohmann/json.hpp>

namespace wdp::sim {

v1::GroundTruth make_ground_truth(const Simulator& sim, double t) {
  v1::GroundTruth gt;
  gt.set_scene(sim.scene().name);
  std::uint32_t present = 0;
  for (const auto& p : sim.people_at(t)) {
    auto* pt = gt.add_persons();
    pt->set_person_id(p.spec->id);
    pt->set_present(p.body.present);
    pt->set_activity(activity_name(p.body.activity));
    if (!p.body.present) continue;
    ++present;
    for (const auto& k : p.body.pose) {
      auto* kp = pt->add_keypoints();
      kp->set_x(static_cast<float>(k.x));
      kp->set_y(static_cast<float>(k.y));
      kp->set_z(static_cast<float>(k.z));
      kp->set_confidence(1.0f);
    }
    pt->set_breathing_bpm(p.spec->vitals.breathing_bpm);
    pt->set_heart_bpm(p.spec->vitals.heart_bpm);
    pt->set_breathing_depth_mm(p.spec->vitals.breathing_bpm > 0 ? p.spec->vitals.breathing_depth_mm : 0.0);
    pt->set_speed_m_s(p.body.speed_m_s);
  }
  gt.set_person_count(present);
  for (const auto& s : sim.scene().survivors) {
    auto* st = gt.add_survivors();
    st->set_survivor_id(s.id);
    st->mutable_position()->set_x_m(s.position.x);
    st->mutable_position()->set_y_m(s.position.y);
    st->set_depth_m(s.depth_m);
    st->set_breathing_bpm(s.vitals.breathing_bpm);
    st->set_heart_bpm(s.vitals.heart_bpm);
    st->set_movement(s.movement);
    st->set_expected_triage(s.expected_triage);
  }
  return gt;
}

std::string ground_truth_json(const v1::GroundTruth& gt, double t) {
  nlohmann::json j;
  j["t"] = t;
  j["time_ns"] = gt.origin().capture_time_ns();
  j["scene"] = gt.scene();
  j["person_count"] = gt.person_count();
  j["persons"] = nlohmann::json::array();
  for (const auto& p : gt.persons()) {
    nlohmann::json jp{{"person_id", p.person_id()}, {"present", p.present()}, {"activity", p.activity()}};
    if (p.present()) {
      auto kps = nlohmann::json::array();
      for (const auto& k : p.keypoints()) kps.push_back({k.x(), k.y(), k.z()});
      jp["keypoints"] = std::move(kps);
      jp["breathing_bpm"] = p.breathing_bpm();
      jp["heart_bpm"] = p.heart_bpm();
      jp["breathing_depth_mm"] = p.breathing_depth_mm();
      jp["speed_m_s"] = p.speed_m_s();
    }
    j["persons"].push_back(std::move(jp));
  }
  j["survivors"] = nlohmann::json::array();
  for (const auto& s : gt.survivors()) {
    j["survivors"].push_back({{"survivor_id", s.survivor_id()},
                              {"x_m", s.position().x_m()},
                              {"y_m", s.position().y_m()},
                              {"depth_m", s.depth_m()},
                              {"breathing_bpm", s.breathing_bpm()},
                              {"heart_bpm", s.heart_bpm()},
                              {"movement", v1::MovementClass_Name(s.movement())},
                              {"expected_triage", v1::TriageClass_Name(s.expected_triage())}});
  }
  return j.dump();
}

}  // namespace wdp::sim
