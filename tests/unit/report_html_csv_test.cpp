// The HTML and CSV writers and the report reader behind `wslcuda html` and `wslcuda export`.
// The browser test (tests/cli/check_html_browser.py) renders the pages; these check the text.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "model/json_reader.hpp"
#include "model/report_json.hpp"
#include "report/csv.hpp"
#include "report/html.hpp"

namespace wslcuda {
namespace {

const std::string kExamples = std::string(WSLCUDA_SOURCE_DIR) + "/reports/examples/";

result_row timed_row(const std::string& id, const std::string& family, status s, double median) {
  result_row r;
  r.id = id;
  r.family = family;
  r.implementation = "own";
  r.precision = "f32";
  r.shape = {{"M", 8}, {"N", 8}, {"K", 8}};
  r.status = s;
  r.message = "message of " + id;
  r.flops = 1e12;  // per run: the throughput below is flops / median_s
  timing_block t;
  t.samples = 4;
  t.values_s = {median, median, median * 1.1, median * 0.9};
  t.median_s = t.mean_s = median;
  t.min_s = median * 0.9;
  t.max_s = median * 1.1;
  t.ci95_lo_s = t.min_s;
  t.ci95_hi_s = t.max_s;
  t.mode = "cuda_event";
  t.stop_reason = "converged";
  r.timing = t;
  throughput_block tp;
  tp.value = 1e12 / median;
  tp.unit = "FLOP/s";
  tp.peak = 1e16;
  tp.fraction_of_peak = tp.value / *tp.peak;
  r.throughput = tp;
  return r;
}

run_report mixed_report() {
  run_report r;
  r.command = "run";
  r.started_at = "2026-11-30T01:00:00Z";
  r.finished_at = "2026-11-30T01:02:05Z";
  r.exit_code = 1;
  device_record d;
  d.name = "NVIDIA H200";
  d.cc_major = 9;
  r.env.devices = {d};
  r.env.checks = {{"host.wsl", status::pass, "WSL 2", ""},
                  {"wsl.linux_driver", status::fail, "a Linux driver", "apt-get remove x"}};
  result_row ok = timed_row("gemm.own.f32.m8n8k8", "gemm", status::pass, 1e-3);
  result_row slow = timed_row("gemm.cublas.f32.m8n8k8", "gemm", status::pass, 2e-3);
  result_row bad = timed_row("gemm.own.f16.m8n8k8", "gemm", status::fail, 1e-3);
  bad.message = "3 of 64 elements out of bound <script>alert(1)</script>";
  baseline_block b;
  b.source = "baseline.json";
  b.ratio = 0.8;
  b.ci95_lo = 0.75;
  b.ci95_hi = 0.85;
  b.threshold = 0.95;
  b.gated = true;
  b.verdict = status::fail;
  b.message = "slower";
  slow.baseline = b;
  // Three executions: three CSV lines. The statistics are those of the samples (the reader
  // checks them: model/report_validation.hpp).
  timing_block& t = *slow.timing;
  t.values_s = {1e-3, 2e-3, 3e-3, 4e-3, 5e-3, 6e-3};
  t.samples = 6;
  t.median_s = t.mean_s = 3.5e-3;
  t.min_s = t.ci95_lo_s = 1e-3;
  t.max_s = t.ci95_hi_s = 6e-3;
  slow.throughput->value = 1e12 / t.median_s;
  slow.throughput->fraction_of_peak = slow.throughput->value / *slow.throughput->peak;
  slow.executions = {{0, 2, 1.5e-3, 1e-3, 2e-3, 0.1},
                     {2, 2, 3.5e-3, 3e-3, 4e-3, 0.1},
                     {4, 2, 5.5e-3, 5e-3, 6e-3, 0.1}};
  r.results = {ok, slow, bad};
  return r;
}

std::string fixed_header() {
  std::string h;
  for (const std::string& c : csv_fixed_columns()) h += (h.empty() ? "" : ",") + c;
  return h;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST(ReportReader, ReadsBackWhatTheWriterWrote) {
  run_report r = mixed_report();
  const loaded_report back = report_from_json(report_to_json(r), "mem.json");
  EXPECT_EQ(back.report.results.size(), 3u);
  EXPECT_EQ(back.report.exit_code, 1);
  EXPECT_EQ(back.report.started_at, r.started_at);
  ASSERT_EQ(back.report.env.devices.size(), 1u);
  EXPECT_EQ(back.report.env.devices[0].name, "NVIDIA H200");
  EXPECT_EQ(back.report.env.devices[0].cc_major, 9);
  ASSERT_EQ(back.report.env.checks.size(), 2u);
  EXPECT_EQ(back.report.env.checks[1].remedy, "apt-get remove x");
  EXPECT_EQ(back.report.results[1].executions.size(), 3u);
}

TEST(ReportReader, ReadsTheRealH200Reports) {
  for (const char* name :
       {"h200-linux-2026-11-30-full-1.json", "h200-linux-2026-11-30-quick-1.json",
        "h200-linux-2026-11-30-doctor.json"}) {
    const loaded_report l = read_report_file(kExamples + name);
    EXPECT_EQ(l.report.env.devices.size(), 1u) << name;
    EXPECT_EQ(l.report.env.devices[0].name, "NVIDIA H200") << name;
    EXPECT_FALSE(l.report.env.checks.empty()) << name;
  }
  EXPECT_EQ(read_report_file(kExamples + "h200-linux-2026-11-30-full-1.json").report.results.size(),
            160u);
}

TEST(ReportReader, NamesTheFileAndPointerOfABadMember) {
  json doc = report_to_json(mixed_report());
  doc["results"][2]["status"] = "broken";
  try {
    report_from_json(doc, "bad.json");
    FAIL() << "accepted a bad status";
  } catch (const input_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.json: /results/2/status", 0), 0u) << e.what();
  }
  doc = report_to_json(mixed_report());
  doc["devices"][0]["sm_count"] = "many";
  EXPECT_THROW(report_from_json(doc, "bad.json"), input_error);
  doc = report_to_json(mixed_report());
  doc["tool"]["name"] = "other";
  EXPECT_THROW(report_from_json(doc, "bad.json"), input_error);
  doc = report_to_json(mixed_report());
  doc["schema_version"] = "2.0.0";
  EXPECT_THROW(report_from_json(doc, "bad.json"), input_error);
}

TEST(Csv, OneLinePerResultOrExecutionWithTheFixedColumnsFirst) {
  const run_report r = mixed_report();
  const std::string csv = csv_table({{&r, "mixed.json"}});
  const std::vector<std::string> lines = lines_of(csv);
  ASSERT_GE(lines.size(), 1u);
  EXPECT_EQ(lines[0], fixed_header() + ",shape.K,shape.M,shape.N");
  EXPECT_EQ(lines.size(), 1u + 1u + 3u + 1u);  // header, ok, slow's three executions, bad
  EXPECT_EQ(csv_lines_for(r.results[1]), 3u);
  EXPECT_NE(csv.find("mixed.json,2026-11-30T01:00:00Z,NVIDIA H200"), std::string::npos);
}

TEST(Csv, QuotesFieldsThatNeedIt) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

// Issue 27, item 5: a field is valid UTF-8 without controls but newline and tab, whatever it
// held (a file name in another encoding, NUL, ESC, DEL, C1).
TEST(Csv, FieldsAreValidUtf8WithoutControls) {
  EXPECT_EQ(csv_field("r\xff\xfe.json"), "r\\xff\\xfe.json");
  EXPECT_EQ(csv_field(std::string("nul\0esc\x1b[2J", 11)), "nul\\x00esc\\x1b[2J");
  EXPECT_EQ(csv_field("del\x7f c1 \xc2\x9b"), "del\\x7f c1 \\u009b");
  EXPECT_EQ(csv_field("a,\x1b"), "\"a,\\x1b\"");
  EXPECT_EQ(csv_field("GPU \xe2\x84\xa2"), "GPU \xe2\x84\xa2");  // valid UTF-8 stays
}

TEST(Csv, RowCountOfTheRealReportsMatchesTheirResults) {
  const loaded_report a = read_report_file(kExamples + "h200-linux-2026-11-30-full-1.json");
  const loaded_report b = read_report_file(kExamples + "h200-linux-2026-11-30-quick-2.json");
  const std::string csv = csv_table({{&a.report, "a"}, {&b.report, "b"}});
  // No line break inside any field of these reports: lines = rows + header.
  EXPECT_EQ(lines_of(csv).size(), 1 + a.report.results.size() + b.report.results.size());
}

TEST(Html, TextCarriesNoControlBytes) {
  EXPECT_EQ(html_escape("H200 <b>\x1b[31m\a & 'q'\n"),
            "H200 &lt;b&gt;\\x1b[31m\\x07 &amp; &#39;q&#39;\n");
}

TEST(Html, FailingRowsComeFirstAndLinkToTheirMessage) {
  const run_report r = mixed_report();
  std::vector<const result_row*> rows;
  for (const result_row& x : r.results) rows.push_back(&x);
  const auto sorted = rows_worst_first(rows);
  EXPECT_EQ(sorted[0]->id, "gemm.own.f16.m8n8k8");     // fail
  EXPECT_EQ(sorted[1]->id, "gemm.cublas.f32.m8n8k8");  // gate fail, ratio 0.8
  EXPECT_EQ(sorted[2]->id, "gemm.own.f32.m8n8k8");

  html_options options;
  options.chart_js = "/* no library */";
  const std::string page = html_report(html_source{&r, "mixed.json", "0.1.0"}, options);
  EXPECT_NE(page.find("href=\"#msg-gemm.own.f16.m8n8k8\""), std::string::npos);
  EXPECT_NE(page.find("id=\"msg-gemm.own.f16.m8n8k8\""), std::string::npos);
  EXPECT_EQ(page.find("<script>alert(1)"), std::string::npos) << "messages must be escaped";
  EXPECT_NE(page.find("&lt;script&gt;alert(1)"), std::string::npos);
  EXPECT_NE(page.find("apt-get remove x"), std::string::npos) << "remedies are shown";
  // In the table the failing row precedes the passing ones.
  EXPECT_LT(page.find("id=\"row-gemm.own.f16.m8n8k8\""),
            page.find("id=\"row-gemm.own.f32.m8n8k8\""));
  EXPECT_NE(page.find("wall time 2 min 05 s"), std::string::npos);
}

TEST(Html, SelfContainedPageWithChartsFromTheModel) {
  const loaded_report l = read_report_file(kExamples + "h200-linux-2026-11-30-full-1.json");
  html_options options;
  options.chart_js = "/* chart.js stand-in */";
  const std::string page =
      html_report(html_source{&l.report, "full-1.json", l.tool_version}, options);
  // Nothing is fetched: no src or href attribute names a URL.
  EXPECT_FALSE(std::regex_search(page, std::regex(R"((src|href)\s*=\s*["']?(https?:)?//)")));
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(page.find("/* chart.js stand-in */"), std::string::npos);
  // One canvas per chart spec, and the sweeps and distributions are there.
  std::size_t canvases = 0;
  for (auto p = page.find("<canvas"); p != std::string::npos; p = page.find("<canvas", p + 1))
    ++canvases;
  EXPECT_NE(page.find("data-charts-expected=\"" + std::to_string(canvases) + "\""),
            std::string::npos);
  EXPECT_GE(canvases, 8u);
  EXPECT_NE(page.find("transfer: bandwidth against size"), std::string::npos);
  EXPECT_NE(page.find("nccl: bus bandwidth (busbw) against size"), std::string::npos);
  EXPECT_NE(page.find("latency: distribution of the samples"), std::string::npos);
  EXPECT_EQ(page.find("</script", page.find("id=\"wslcuda-data\">") + 30),
            page.find("</script>", page.find("id=\"wslcuda-data\">")));
}

// Issue 27, item 6: what was true when a committed run was made is said of that time.
TEST(Html, NoBaselineIsSaidOfTheTimeOfTheRun) {
  const loaded_report l = read_report_file(kExamples + "h200-linux-2026-11-30-quick-1.json");
  html_options options;
  options.chart_js = "/* no library */";
  const std::string page = html_report(html_source{&l.report, "quick-1.json", ""}, options);
  EXPECT_NE(page.find("When this run was made (2026-11-30T00:20:06Z), no baseline was compared: "
                      "no matching baseline (no bundled baselines)."),
            std::string::npos);
  EXPECT_EQ(page.find("<p>No baseline compared"), std::string::npos);
}

TEST(Html, WithoutChartJsTheTablesStayAndThePageSaysSo) {
  const run_report r = mixed_report();
  html_options options;
  options.chart_js.clear();
  const std::string page = html_report(html_source{&r, "", ""}, options);
  EXPECT_EQ(page.find("<canvas"), std::string::npos);
  EXPECT_NE(page.find("built without Chart.js"), std::string::npos);
  EXPECT_NE(page.find("<table>"), std::string::npos);
}

TEST(Html, SeveralReportsGiveATrendPanelPerGpuModel) {
  run_report a = mixed_report(), b = mixed_report(), other = mixed_report();
  b.results[0].timing->median_s *= 2;  // gemm.own.f32 got twice as slow
  other.env.devices[0].name = "NVIDIA RTX 4090";
  html_options options;
  options.chart_js = "/* lib */";
  const std::string page =
      html_reports({{&a, "a.json", ""}, {&b, "b.json", ""}, {&other, "c.json", ""}}, options);
  EXPECT_NE(page.find("Trend: NVIDIA H200 (2 reports)"), std::string::npos);
  EXPECT_NE(page.find("Trend: NVIDIA RTX 4090 (1 reports)"), std::string::npos);
  EXPECT_NE(page.find("+100.0 % (slower)"), std::string::npos);
  EXPECT_NE(page.find("id=\"latest\""), std::string::npos);
}

}  // namespace wslcuda
