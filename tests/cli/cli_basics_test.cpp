// `wslcuda --version`, `--help`, usage errors, `list` and the pinned workload table.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

TEST(Cli, VersionAndHelp) {
  const outcome v = wslcuda("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.output.find("wslcuda 0."), std::string::npos) << v.output;
  const outcome h = wslcuda("--help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.output.find("run"), std::string::npos);
  EXPECT_NE(h.output.find("doctor"), std::string::npos);
  EXPECT_EQ(wslcuda("run --help").exit_code, 0);
}

TEST(Cli, UsageErrorsExit2) {
  EXPECT_EQ(wslcuda("").exit_code, 2);
  EXPECT_EQ(wslcuda("frobnicate").exit_code, 2);
  EXPECT_EQ(wslcuda("run --no-such-flag").exit_code, 2);
  EXPECT_EQ(wslcuda("run --device -1").exit_code, 2);
  const outcome nomatch = wslcuda("run --json '' --filter 'nomatch.*'");
  EXPECT_EQ(nomatch.exit_code, 2);
  EXPECT_NE(nomatch.output.find("no workload id matches"), std::string::npos) << nomatch.output;
  const outcome badpath = wslcuda("run --json /no/such/folder/r.json");
  EXPECT_EQ(badpath.exit_code, 2);
  EXPECT_NE(badpath.output.find("/no/such/folder"), std::string::npos) << badpath.output;
  EXPECT_EQ(wslcuda("doctor --root /no/such/root").exit_code, 2);
}

TEST(Cli, ListJsonNamesEveryWorkload) {
  const outcome o = wslcuda("list --json");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const json list = json::parse(o.output);
  ASSERT_TRUE(list.is_array());
  std::vector<std::string> ids;
  for (const json& w : list) {
    for (const char* key : {"id", "family", "implementation", "precision"})
      ASSERT_TRUE(w.contains(key)) << w;
    ids.push_back(w["id"]);
  }
  for (const char* prefix :
       {"gemm.own.f32", "gemm.cublas.f32", "gemm.cublas.tf32", "gemm.own.f16", "gemm.own.bf16",
        "gemm.cublas.f16", "gemm.cublas.bf16", "conv.own.f32.direct", "reduce.own.f32.sum"}) {
    EXPECT_TRUE(std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
      return id.rfind(prefix, 0) == 0;
    })) << prefix;
  }
  const json gemm = json::parse(wslcuda("list --json --filter 'gemm.*.m8192n8192k8192'").output);
  EXPECT_EQ(gemm.size(), 7u);  // own f32/f16/bf16, cuBLAS f32/tf32/f16/bf16
  // No match is a usage error, as for `run`.
  EXPECT_EQ(wslcuda("list --json --quick --filter '*.m8192n8192k8192'").exit_code, 2);
}

// Reports and baselines key on workload ids: the table of every id with its family,
// implementation, precision and description is committed, so a rename shows in the diff (and
// goes into the README and the schema's changelog). Regenerate with
// `wslcuda list --json [--quick] > tests/fixtures/golden/workloads[-quick].json`.
TEST(Cli, ListMatchesTheCommittedWorkloadTable) {
  for (const char* which : {"", " --quick"}) {
    const outcome o = wslcuda(std::string("list --json") + which);
    ASSERT_EQ(o.exit_code, 0) << o.output;
    const std::string path = std::string(WSLCUDA_SOURCE_DIR "/tests/fixtures/golden/workloads") +
                             (*which ? "-quick" : "") + ".json";
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    const json golden = json::parse(in);
    const json listed = json::parse(o.output);
    ASSERT_EQ(listed.size(), golden.size()) << path;
    for (std::size_t i = 0; i < golden.size(); ++i) EXPECT_EQ(listed[i], golden[i]) << path;
  }
}

TEST(Cli, SchemaValidatorRejectsABrokenReport) {
  // The schema check above must be able to fail: a report with a bad status does not validate.
  const fs::path good = work_dir() / "run.json";
  if (!fs::exists(good)) (void)wslcuda("run --quick --json run.json --no-progress");
  json j = read_json(good);
  j["results"][0]["status"] = "passed";
  const fs::path bad = work_dir() / "broken.json";
  std::ofstream(bad) << j.dump();
  EXPECT_NE(validate_with_schema(bad, "report.schema.json"), 0);
}

// Row 9: an empty output path is a usage error.
TEST(Cli, EmptyOutPathIsAUsageError) {
  const outcome o =
      wslcuda("baseline capture --from '" + kGolden + "report-baremetal.json' --out ''");
  EXPECT_EQ(o.exit_code, 2) << o.output;
}

TEST(Cli, ArgumentsOutOfRangeExit2) {
  EXPECT_EQ(wslcuda("run --json '' --timeout-scale nan").exit_code, 2);
  EXPECT_EQ(wslcuda("run --json '' --timeout-scale inf").exit_code, 2);
  EXPECT_EQ(wslcuda("run --json '' --seed -1").exit_code, 2);
  EXPECT_EQ(wslcuda("run --json '' --seed 123456789012345678901").exit_code, 2);
  EXPECT_EQ(wslcuda("list --filter 'nomatch.*'").exit_code, 2);
  EXPECT_NE(wslcuda("run --help").output.find("--root DIR"), std::string::npos);
}

}  // namespace
}  // namespace wslcuda_cli_test
