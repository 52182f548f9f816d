#include "baseline/policy.hpp"

#include "report/input_file.hpp"
#include "suite/registry.hpp"

namespace wslcuda {

gate_policy default_policy() {
  gate_policy p;
  for (const char* family : {"latency", "transfer", "jit", "nccl", "managed", "p2p"})
    p.family_min_ratio[family] = 0.90;
  return p;
}

double min_ratio_for(const gate_policy& policy, const std::string& id, const std::string& family) {
  for (const auto& [glob, ratio] : policy.overrides)
    if (id_matches(id, glob)) return ratio;
  const auto it = policy.family_min_ratio.find(family);
  return it != policy.family_min_ratio.end() ? it->second : policy.default_min_ratio;
}

namespace {

double ratio_at(const json& j, const std::string& where) {
  if (!j.is_number()) throw input_error(where + ": expected a number");
  const double r = j.get<double>();
  if (!(r > 0.0 && r <= 1.0))
    throw input_error(where + ": a minimum ratio must be in (0, 1], got " + j.dump());
  return r;
}

}  // namespace

gate_policy read_policy_file(const std::filesystem::path& path) {
  return parse_policy(read_json_file(path), path.string());
}

gate_policy parse_policy(const json& doc, const std::string& src) {
  check_schema_version(doc, src, 1);
  if (string_member(doc, "kind") != "wslcuda-gate-policy")
    throw input_error(src + ": /kind: expected \"wslcuda-gate-policy\"");
  gate_policy p;
  p.source = src;
  if (const auto v = doc.find("policy_version"); v != doc.end()) {
    if (!v->is_string()) throw input_error(src + ": /policy_version: expected a string");
    p.policy_version = v->get<std::string>();
  }
  if (const auto a = doc.find("alpha"); a != doc.end()) {
    if (!a->is_number() || !(a->get<double>() > 0.0 && a->get<double>() <= 0.5))
      throw input_error(src + ": /alpha: expected a number in (0, 0.5]");
    p.alpha = a->get<double>();
  }
  if (const auto d = doc.find("default_min_ratio"); d != doc.end())
    p.default_min_ratio = ratio_at(*d, src + ": /default_min_ratio");
  if (const auto f = doc.find("family_min_ratio"); f != doc.end()) {
    if (!f->is_object()) throw input_error(src + ": /family_min_ratio: expected an object");
    for (const auto& [family, r] : f->items())
      p.family_min_ratio[family] = ratio_at(r, src + ": /family_min_ratio/" + family);
  }
  if (const auto o = doc.find("overrides"); o != doc.end()) {
    if (!o->is_array()) throw input_error(src + ": /overrides: expected an array");
    for (std::size_t i = 0; i < o->size(); ++i) {
      const json& e = (*o)[i];
      const std::string where = src + ": /overrides/" + std::to_string(i);
      if (!e.is_object() || !e.contains("id") || !e["id"].is_string())
        throw input_error(where + ": expected {\"id\": GLOB, \"min_ratio\": R}");
      if (!e.contains("min_ratio")) throw input_error(where + "/min_ratio: missing");
      p.overrides.emplace_back(e["id"].get<std::string>(),
                               ratio_at(e["min_ratio"], where + "/min_ratio"));
    }
  }
  if (const auto b = doc.find("bootstrap_resamples"); b != doc.end()) {
    const std::optional<int> n = checked_number<int>(*b);
    if (!n || *n < 100 || *n > 100000)
      throw input_error(src + ": /bootstrap_resamples: expected an integer in [100, 100000]");
    p.bootstrap_resamples = *n;
  }
  return p;
}

}  // namespace wslcuda
