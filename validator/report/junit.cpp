#include "report/junit.hpp"

#include "model/verdict.hpp"

#include <pugixml.hpp>

#include <sstream>

namespace wslcuda {
namespace {

struct counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0.0;
};

void add_case(pugi::xml_node suite, counts& c, const std::string& classname,
              const std::string& name, double time, status st, const std::string& message,
              const std::string& detail) {
  pugi::xml_node tc = suite.append_child("testcase");
  tc.append_attribute("classname") = classname.c_str();
  tc.append_attribute("name") = name.c_str();
  tc.append_attribute("time") = time;
  ++c.tests;
  c.time += time;
  switch (st) {
    case status::pass:
      break;
    case status::warn:
      tc.append_child("system-out").text() = ("warning: " + message).c_str();
      break;
    case status::skip:
      ++c.skipped;
      tc.append_child("skipped").append_attribute("message") = message.c_str();
      break;
    case status::fail: {
      ++c.failures;
      pugi::xml_node f = tc.append_child("failure");
      f.append_attribute("message") = message.c_str();
      f.append_attribute("type") = "fail";
      if (!detail.empty()) f.text() = detail.c_str();
      break;
    }
    case status::error: {
      ++c.errors;
      pugi::xml_node e = tc.append_child("error");
      e.append_attribute("message") = message.c_str();
      e.append_attribute("type") = "error";
      if (!detail.empty()) e.text() = detail.c_str();
      break;
    }
  }
}

void set_counts(pugi::xml_node node, const counts& c) {
  node.append_attribute("tests") = c.tests;
  node.append_attribute("failures") = c.failures;
  node.append_attribute("errors") = c.errors;
  node.append_attribute("skipped") = c.skipped;
  node.append_attribute("time") = c.time;
}

}  // namespace

std::string junit_xml(const run_report& report) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("testsuites");
  root.append_attribute("name") = "wslcuda";

  counts total, checks_count, results_count;
  pugi::xml_node checks = root.append_child("testsuite");
  checks.append_attribute("name") = "checks";
  checks.append_attribute("timestamp") = report.started_at.c_str();
  for (const check_record& c : report.env.checks)
    add_case(checks, checks_count, c.id.substr(0, c.id.find('.')), c.id, 0.0, c.status, c.message,
             c.remedy.empty() ? "" : "remedy: " + c.remedy);
  set_counts(checks, checks_count);

  pugi::xml_node results = root.append_child("testsuite");
  results.append_attribute("name") = "results";
  results.append_attribute("timestamp") = report.started_at.c_str();
  for (const result_row& r : report.results) {
    double time = 0.0;
    if (r.timing)
      for (double v : r.timing->values_s) time += v * r.timing->batch;
    std::string detail;
    if (r.baseline && !r.baseline->message.empty()) detail = "baseline: " + r.baseline->message;
    add_case(results, results_count, r.family, r.id, time, row_verdict(r), row_message(r), detail);
  }
  set_counts(results, results_count);

  // The gate apart from the results: one testcase per compared row, gated rows as real tests,
  // ungated ones skipped with the reason, so that CI shows what the verdict rests on.
  counts gate_count;
  if (report.gate) {
    pugi::xml_node gate = root.append_child("testsuite");
    gate.append_attribute("name") = ("gate (" + report.gate->baseline + ")").c_str();
    gate.append_attribute("timestamp") = report.started_at.c_str();
    for (const result_row& r : report.results) {
      if (!r.baseline || !r.baseline->gated) continue;
      const bool gated = *r.baseline->gated;
      // Grouped by reason code: "gated.within_threshold", "not_gated.too_noisy", …
      add_case(gate, gate_count,
               std::string(gated ? "gated." : "not_gated.") + to_string(r.baseline->reason), r.id,
               0.0, gated ? r.baseline->verdict : status::skip,
               gated ? r.baseline->message : "not gated: " + r.baseline->why_not_gated, "");
    }
    set_counts(gate, gate_count);
    pugi::xml_node props = gate.prepend_child("properties");
    pugi::xml_node evidence = props.append_child("property");
    evidence.append_attribute("name") = "evidence";
    evidence.append_attribute("value") = report.gate->evidence.c_str();
  }

  total.tests = checks_count.tests + results_count.tests + gate_count.tests;
  total.failures = checks_count.failures + results_count.failures + gate_count.failures;
  total.errors = checks_count.errors + results_count.errors + gate_count.errors;
  total.skipped = checks_count.skipped + results_count.skipped + gate_count.skipped;
  total.time = checks_count.time + results_count.time;
  set_counts(root, total);

  std::ostringstream os;
  doc.save(os, "  ", pugi::format_default, pugi::encoding_utf8);
  return os.str();
}

}  // namespace wslcuda
