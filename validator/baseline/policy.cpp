#include "baseline/policy.hpp"

#include <cstdio>

#include "model/ids.hpp"
#include "model/json_reader.hpp"

namespace wslcuda {

/// ci/gate-policy.json's text, embedded by the build (generated policy_text.cpp).
extern const char* const kEmbeddedGatePolicy;

gate_policy default_policy() {
  static const gate_policy p = [] {
    gate_policy q = parse_policy(parse_json_text(kEmbeddedGatePolicy, "ci/gate-policy.json"),
                                 "ci/gate-policy.json");
    q.source = "built-in (ci/gate-policy.json " + q.policy_version + ")";
    return q;
  }();
  return p;
}

double min_ratio_for(const gate_policy& policy, const std::string& id, const std::string& family) {
  for (const auto& [glob, ratio] : policy.overrides)
    if (id_matches(id, glob)) return ratio;
  const auto it = policy.family_min_ratio.find(family);
  return it != policy.family_min_ratio.end() ? it->second : policy.default_min_ratio;
}

double floor_ratio_for(const gate_policy& policy, bound_kind bound) {
  const auto it = policy.floor_ratio.find(to_string(bound));
  return it != policy.floor_ratio.end() ? it->second : 0.90;
}

const noise_floor* noise_floor_for(const gate_policy& policy, const std::string& id) {
  for (const noise_floor& p : policy.noise_floors)
    if (id_matches(id, p.glob)) return &p;
  return nullptr;
}

namespace {

double ratio_at(const json& j, const std::string& where) {
  return number_in_range(j, where, 0.0, 1.0, true);
}

std::map<std::string, double> ratio_map(const json& doc, const char* key, const std::string& src) {
  std::map<std::string, double> out;
  const auto f = doc.find(key);
  if (f == doc.end()) return out;
  if (!f->is_object()) throw input_error(src + ": /" + key + ": expected an object");
  for (const auto& [family, r] : f->items())
    out[family] = ratio_at(r, src + ": /" + key + "/" + family);
  return out;
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
  if (const auto a = doc.find("alpha"); a != doc.end())
    p.alpha = number_in_range(*a, src + ": /alpha", 0.0, 0.5, true);
  if (const auto d = doc.find("default_min_ratio"); d != doc.end())
    p.default_min_ratio = ratio_at(*d, src + ": /default_min_ratio");
  p.family_min_ratio = ratio_map(doc, "family_min_ratio", src);
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
  if (const auto k = doc.find("noise_k"); k != doc.end())
    p.noise_k = number_in_range(*k, src + ": /noise_k", 0.0, 100.0, false);
  p.floor_ratio = ratio_map(doc, "floor_ratio", src);
  for (const auto& [bound, r] : p.floor_ratio)
    if (bound != "device" && bound != "link" && bound != "host")
      throw input_error(src + ": /floor_ratio/" + bound + ": expected device, link or host");
  if (const auto n = doc.find("noise_floors"); n != doc.end()) {
    if (!n->is_array()) throw input_error(src + ": /noise_floors: expected an array");
    for (std::size_t i = 0; i < n->size(); ++i) {
      const json& e = (*n)[i];
      const std::string where = src + ": /noise_floors/" + std::to_string(i);
      if (!e.is_object() || !e.contains("id") || !e["id"].is_string() || !e.contains("spread"))
        throw input_error(where + ": expected {\"id\": GLOB, \"spread\": S, \"source\": TEXT}");
      noise_floor prior;
      prior.glob = e["id"].get<std::string>();
      prior.spread = number_in_range(e["spread"], where + "/spread", 0.0, 10.0, false);
      if (e.contains("source")) {
        if (!e["source"].is_string()) throw input_error(where + "/source: expected a string");
        prior.source = e["source"].get<std::string>();
      }
      p.noise_floors.push_back(std::move(prior));
    }
  }
  if (const auto f = doc.find("floors"); f != doc.end()) {
    if (!f->is_array()) throw input_error(src + ": /floors: expected an array");
    for (std::size_t i = 0; i < f->size(); ++i) {
      const json& e = (*f)[i];
      const std::string where = src + ": /floors/" + std::to_string(i);
      if (!e.is_object()) throw input_error(where + ": expected an object");
      const auto text = [&](const char* key, bool required) {
        const auto it = e.find(key);
        if (it == e.end()) {
          if (required) throw input_error(where + "/" + key + ": missing");
          return std::string();
        }
        if (!it->is_string()) throw input_error(where + "/" + key + ": expected a string");
        return it->get<std::string>();
      };
      health_floor h;
      h.glob = text("id", true);
      h.metric = text("metric", true);
      if (h.metric != "fraction_of_peak" && h.metric != "versus")
        throw input_error(where + "/metric: expected \"fraction_of_peak\" or \"versus\"");
      h.peak = text("peak", h.metric == "fraction_of_peak");
      if (h.metric == "versus") {
        const auto v = e.find("versus");
        if (v == e.end() || !v->is_array() || v->size() != 2 || !(*v)[0].is_string() ||
            !(*v)[1].is_string())
          throw input_error(where + "/versus: expected [FROM, TO], the id parts to swap");
        h.versus_from = (*v)[0].get<std::string>();
        h.versus_to = (*v)[1].get<std::string>();
      }
      if (!e.contains("warn_below") || !e.contains("fail_below"))
        throw input_error(where + ": expected warn_below and fail_below");
      h.warn_below = number_in_range(e["warn_below"], where + "/warn_below", 0.0, 10.0, true);
      h.fail_below = number_in_range(e["fail_below"], where + "/fail_below", 0.0, 10.0, false);
      if (h.fail_below > h.warn_below) throw input_error(where + "/fail_below: above warn_below");
      h.causes = text("causes", true);
      h.remedy = text("remedy", true);
      h.source = text("source", true);
      p.floors.push_back(std::move(h));
    }
  }
  if (const auto m = doc.find("min_evidence_fraction"); m != doc.end())
    p.min_evidence_fraction =
        number_in_range(*m, src + ": /min_evidence_fraction", 0.0, 1.0, false);
  if (const auto q = doc.find("partial_slowdown_quantile"); q != doc.end())
    p.partial_slowdown_quantile =
        number_in_range(*q, src + ": /partial_slowdown_quantile", 0.0, 0.5, true);
  if (const json* c = find_member(doc, "change_points")) {
    const std::string w = src + ": /change_points";
    if (!c->is_object()) throw input_error(w + ": expected an object");
    change_point_settings& s = p.change_points;
    const auto count = [&](const char* key, std::size_t low, std::size_t fallback) {
      const std::size_t n = optional_number<std::size_t>(*c, key, w, fallback);
      if (n < low) throw input_error(w + "/" + key + ": expected at least " + std::to_string(low));
      return n;
    };
    s.window = count("window", 2, s.window);
    if (const json* x = find_member(*c, "first_pass_p"))
      s.first_pass_p = number_in_range(*x, w + "/first_pass_p", 0.0, 0.5, true);
    if (const json* x = find_member(*c, "max_p"))
      s.max_p = number_in_range(*x, w + "/max_p", 0.0, 0.5, true);
    if (const json* x = find_member(*c, "min_magnitude"))
      s.min_magnitude = number_in_range(*x, w + "/min_magnitude", 0.0, 1.0, false);
    s.min_segment = count("min_segment", 1, s.min_segment);
    s.min_last_segment = count("min_last_segment", 1, s.min_last_segment);
    if (s.min_last_segment > s.min_segment)
      throw input_error(w + "/min_last_segment: above min_segment");
  }
  if (const auto b = doc.find("bootstrap_resamples"); b != doc.end()) {
    const std::optional<int> n = checked_number<int>(*b);
    if (!n || *n < 0 || *n > 100000)
      throw input_error(src + ": /bootstrap_resamples: expected an integer in [0, 100000]");
    p.bootstrap_resamples = *n;
  }
  return p;
}

}  // namespace wslcuda
