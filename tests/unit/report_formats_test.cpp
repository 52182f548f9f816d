#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <algorithm>
#include <sstream>

#include "model/library_sources.hpp"
#include "report/console.hpp"
#include "report/junit.hpp"
#include "report/markdown.hpp"

namespace wslcuda {
namespace {

run_report sample_report() {
  run_report r;
  r.command = "run";
  r.started_at = "2026-11-20T00:00:00Z";
  r.exit_code = 1;
  r.env.checks = {
      {"host.wsl", status::pass, "WSL 2", ""},
      {"wsl.linux_driver", status::fail, "a Linux driver | shadows", "apt-get remove --purge x"},
      {"lib.nvml", status::warn, "nvml not loaded", ""}};
  result_row ok;
  ok.id = "gemm.own.f32.m8";
  ok.family = "gemm";
  ok.status = status::pass;
  ok.message = "ok";
  timing_block t;
  t.batch = 2;
  t.values_s = {0.5, 0.25};
  t.median_s = 0.375;
  ok.timing = t;
  result_row bad = ok;
  bad.id = "reduce.own.f32.sum.n8";
  bad.family = "reduce";
  bad.status = status::fail;
  bad.message = "3 of 8 elements out of bound";
  result_row err = ok;
  err.id = "conv.own.f32.direct.x";
  err.family = "conv";
  err.status = status::error;
  err.message = "worker killed by SIGSEGV (Segmentation fault)";
  err.timing.reset();
  result_row skipped = err;
  skipped.id = "gemm.cublas.f32.m8";
  skipped.status = status::skip;
  skipped.message = "cublas unavailable: not found";
  r.results = {ok, bad, err, skipped};
  return r;
}

}  // namespace

TEST(Junit, OneTestcasePerCheckAndResult) {
  const std::string xml = junit_xml(sample_report());
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  const pugi::xml_node root = doc.child("testsuites");
  EXPECT_EQ(std::string(root.attribute("name").value()), "wslcuda");
  EXPECT_EQ(root.attribute("tests").as_int(), 7);
  EXPECT_EQ(root.attribute("failures").as_int(), 2);
  EXPECT_EQ(root.attribute("errors").as_int(), 1);
  EXPECT_EQ(root.attribute("skipped").as_int(), 1);
  const pugi::xml_node checks = root.find_child_by_attribute("testsuite", "name", "checks");
  const pugi::xml_node driver =
      checks.find_child_by_attribute("testcase", "name", "wsl.linux_driver");
  EXPECT_EQ(std::string(driver.attribute("classname").value()), "wsl");
  EXPECT_EQ(std::string(driver.child("failure").attribute("message").value()),
            "a Linux driver | shadows");
  EXPECT_NE(std::string(driver.child("failure").text().get()).find("remedy: apt-get"),
            std::string::npos);
  const pugi::xml_node results = root.find_child_by_attribute("testsuite", "name", "results");
  const pugi::xml_node gemm =
      results.find_child_by_attribute("testcase", "name", "gemm.own.f32.m8");
  EXPECT_DOUBLE_EQ(gemm.attribute("time").as_double(), 1.5);  // (0.5 + 0.25) s × 2 runs
  EXPECT_TRUE(
      results.find_child_by_attribute("testcase", "name", "conv.own.f32.direct.x").child("error"));
  EXPECT_TRUE(
      results.find_child_by_attribute("testcase", "name", "gemm.cublas.f32.m8").child("skipped"));
  EXPECT_TRUE(checks.find_child_by_attribute("testcase", "name", "lib.nvml").child("system-out"));
}

TEST(Junit, SpecialCharactersAreEscaped) {
  run_report r = sample_report();
  r.results[1].message = "<bad> & \"quoted\" \x01";
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(junit_xml(r).c_str()));
}

TEST(Markdown, VerdictFirstThenProblemsThenTables) {
  const std::string md = markdown_summary(sample_report());
  EXPECT_EQ(md.rfind("# wslcuda run: FAIL", 0), 0u) << md;
  const auto problems = md.find("## Problems");
  const auto results = md.find("## Results");
  ASSERT_NE(problems, std::string::npos);
  ASSERT_NE(results, std::string::npos);
  EXPECT_LT(problems, results);
  EXPECT_NE(md.find("Remedy: apt-get remove --purge x"), std::string::npos);
  EXPECT_NE(md.find("a Linux driver \\| shadows"), std::string::npos);  // table-safe
  EXPECT_NE(md.find("### gemm"), std::string::npos);
  EXPECT_NE(md.find("### reduce"), std::string::npos);
  EXPECT_EQ(markdown_cell("a|b\nc"), "a\\|b c");
}

TEST(Markdown, ForeignTextCannotBecomeHtmlNorLeaveItsCodeSpan) {
  // No HTML, no code span opened, no control byte for a terminal that `cat`s the summary.
  EXPECT_EQ(markdown_cell("H200 <script>x</script> & `t`"),
            "H200 &lt;script&gt;x&lt;/script&gt; &amp; \\`t\\`");
  EXPECT_EQ(markdown_cell("red \x1b[31m\a"), "red \\x1b[31m\\x07");
  // A code span's fence is longer than any backtick run inside; padded where it touches one.
  EXPECT_EQ(markdown_code("gemm.x"), "`gemm.x`");
  EXPECT_EQ(markdown_code("a`b``c"), "```a`b``c```");
  EXPECT_EQ(markdown_code("`x"), "`` `x ``");
  EXPECT_EQ(markdown_code("a|b\nc"), "`a\\|b c`");
}

}  // namespace wslcuda

namespace wslcuda {

TEST(Junit, TheGateIsASuiteOfItsOwnWithUngatedRowsSkipped) {
  run_report r = sample_report();
  baseline_block gated;
  gated.source = "nvidia-h200.json";
  gated.ratio = 0.8;
  gated.threshold = 0.97;
  gated.gated = true;
  gated.verdict = status::fail;
  gated.message = "0.800x of baseline: slower than the policy allows, in every execution";
  baseline_block info = gated;
  info.gated = false;
  info.verdict = status::skip;
  info.reason = reason_code::too_noisy;
  info.why_not_gated = "too noisy to gate: baseline spread 44.0 % over 2 executions";
  r.results[0].baseline = gated;
  r.results[1].baseline = info;
  gate_summary g;
  g.judged_by = "baseline";
  g.baseline = "nvidia-h200.json";
  g.reason = reason_code::too_little_evidence;
  g.gated = 1;
  g.evidence = "gated 1 of the baseline's 2 rows; 0 of them pass";
  g.verdict = status::fail;
  r.gate = g;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(junit_xml(r).c_str()));
  const pugi::xml_node gate =
      doc.child("testsuites")
          .find_child_by_attribute("testsuite", "name", "gate (nvidia-h200.json)");
  ASSERT_TRUE(gate);
  EXPECT_EQ(gate.attribute("tests").as_int(), 2);
  EXPECT_EQ(gate.attribute("failures").as_int(), 1);
  EXPECT_EQ(gate.attribute("skipped").as_int(), 1);
  const pugi::xml_node skipped =
      gate.find_child_by_attribute("testcase", "classname", "not_gated.too_noisy");
  ASSERT_TRUE(skipped);
  EXPECT_NE(std::string(skipped.child("skipped").attribute("message").value()).find("too noisy"),
            std::string::npos);
  EXPECT_STREQ(gate.child("properties").child("property").attribute("value").value(),
               g.evidence.c_str());
  const std::string md = markdown_summary(r);
  EXPECT_NE(md.find("Gate: FAIL against `nvidia-h200.json`"), std::string::npos) << md;
  EXPECT_NE(md.find("0.800x (not gated: too noisy"), std::string::npos) << md;
  EXPECT_NE(md.find("0.800x (fail, threshold 0.970)"), std::string::npos) << md;
}

}  // namespace wslcuda

namespace wslcuda {

TEST(Console, RowsSkippedForOneReasonSayItOnce) {
  std::vector<result_row> rows;
  for (const char* id : {"gemm.own.f32.a", "gemm.own.f32.b", "conv.own.f32.c"}) {
    result_row r;
    r.id = id;
    r.family = std::string(id).substr(0, 4);
    r.status = status::skip;
    r.message = "no CUDA driver";
    rows.push_back(r);
  }
  result_row other = rows[0];
  other.id = "gemm.cublas.f32.d";
  other.message = "cublas unavailable";
  rows.push_back(other);
  std::ostringstream table;
  print_results_table(table, rows);
  const std::string t = table.str();
  EXPECT_NE(t.find("gemm.*"), std::string::npos) << t;
  EXPECT_EQ(t.find("gemm.own.f32.a"), std::string::npos) << t;  // collapsed
  EXPECT_NE(t.find("conv.own.f32.c"), std::string::npos) << t;  // alone in its family
  EXPECT_NE(t.find("cublas unavailable"), std::string::npos) << t;
  EXPECT_NE(t.find("skipped (reason): no CUDA driver"), std::string::npos) << t;

  std::ostringstream progress;
  progress_printer print(progress);
  for (const result_row& r : rows) print(r);
  print.flush();
  const std::string p = progress.str();
  EXPECT_EQ(std::count(p.begin(), p.end(), '\n'), 3) << p;  // the first, "… 2 more", the other
  EXPECT_NE(p.find("and 2 more for the same reason"), std::string::npos) << p;
}

// With the driver but without cuBLAS and cuDNN (the package's first run on a fresh WSL): the rows
// of each missing library collapse into one line per family, and each library's reason and
// remedy is said once.
TEST(Console, RowsSkippedForAMissingLibrarySayItOncePerLibrary) {
  std::vector<result_row> rows;
  const auto add = [&rows](const std::string& id, status s, const std::string& message) {
    result_row r;
    r.id = id;
    r.family = id.substr(0, id.find('.'));
    r.status = s;
    r.message = message;
    rows.push_back(r);
  };
  const std::string no_cublas = missing_library_message("cublas", "libcublas.so.13: not found");
  const std::string no_cudnn = missing_library_message("cudnn", "libcudnn.so.9: not found");
  add("gemm.own.f32.m1024n1024k1024", status::pass, "");
  for (const char* p : {"f32", "tf32", "f16"})
    add(std::string("gemm.cublas.") + p + ".m1024n1024k1024", status::skip, no_cublas);
  for (const char* p : {"f32.fwd.a", "f16.fwd.a", "f32.bwd_data.a", "f32.bwd_filter.a"})
    add(std::string("conv.cudnn.") + p, status::skip, no_cudnn);
  add("conv.own.f32.direct.a", status::pass, "");
  std::ostringstream table;
  print_results_table(table, rows);
  const std::string t = table.str();
  const auto count = [&t](const std::string& what) {
    std::size_t n = 0;
    for (auto at = t.find(what); at != std::string::npos; at = t.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_NE(t.find("gemm.own.f32.m1024n1024k1024"), std::string::npos) << t;
  EXPECT_EQ(t.find("gemm.cublas.f32"), std::string::npos) << t;  // collapsed
  EXPECT_NE(t.find("3 workloads (reason 1 below)"), std::string::npos) << t;
  EXPECT_NE(t.find("4 workloads (reason 2 below)"), std::string::npos) << t;
  EXPECT_EQ(count(no_cublas), 1u) << t;
  EXPECT_EQ(count(no_cudnn), 1u) << t;
  EXPECT_NE(t.find("skipped (reason 1): " + no_cublas), std::string::npos) << t;
  EXPECT_NE(t.find("skipped (reason 2): " + no_cudnn), std::string::npos) << t;
  EXPECT_EQ(count("libcublas-13-0"), 1u) << t;
}

}  // namespace wslcuda
