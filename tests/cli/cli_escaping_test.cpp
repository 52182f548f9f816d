// No raw bytes on a terminal or into CSV and Markdown (issue 27, item 5): GPU names, paths and
// arguments echoed on the console, and messages and file names written into CSV and Markdown,
// reach them escaped (\xNN), whatever line carries them.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

const std::string kQuickReport =
    WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-quick-1.json";
const std::string kEvil = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x9b\xc2\x9b\x7f";

/// The first byte of `text` a terminal or a UTF-8 reader must not get, described; "" when none:
/// C0 controls but newline and tab, DEL, C1 controls (U+0080–U+009F) and invalid UTF-8.
std::string first_raw_byte(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto at = [&](const char* what) {
      return std::string(what) + " at byte " + std::to_string(i) + ": ..." +
             text.substr(i > 40 ? i - 40 : 0, 80);
    };
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return at("a control");
      ++i;
      continue;
    }
    std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (c >= 0xF5) n = 0;
    if (n == 0 || i + n > text.size()) return at("invalid UTF-8");
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return at("invalid UTF-8");
    if (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return at("a C1 control");
    i += n;
  }
  return "";
}

/// `cmd` run with stdout and stderr captured; its output must hold no raw byte.
outcome clean(const std::string& cmd) {
  const outcome o = wslcuda(cmd);
  EXPECT_EQ(first_raw_byte(o.output), "") << cmd;
  return o;
}

std::string q(const fs::path& p) {
  return "'" + p.string() + "'";
}

json evil_report(const std::string& gpu) {
  json doc = read_json(kQuickReport);
  for (json& d : doc["devices"]) d["name"] = gpu;
  doc["results"][0]["message"] = std::string("nul\0 ", 5) + kEvil.substr(0, 18) + " " +
                                 doc["results"][0]["message"].get<std::string>();
  return doc;
}

void write_json(const fs::path& p, const json& doc) {
  std::ofstream(p, std::ios::binary) << doc.dump(1, ' ', false, json::error_handler_t::replace);
}

// The GPU name of `baseline capture`'s success line and of its mixed-model error.
TEST(CliEscaping, CaptureEscapesTheGpuName) {
  const fs::path dir = fresh("escape-capture");
  write_json(dir / "evil.json", evil_report("GPU " + kEvil.substr(0, 18)));
  const outcome ok =
      clean("baseline capture --from " + q(dir / "evil.json") + " --out " + q(dir / "b.json"));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("\\x1b]0;pwned\\x07\\x1b[2J"), std::string::npos) << ok.output;
  const outcome mixed = clean("baseline capture --from " + q(dir / "evil.json") + " --from '" +
                              kQuickReport + "' --out " + q(dir / "m.json"));
  EXPECT_EQ(mixed.exit_code, 2) << mixed.output;
  EXPECT_NE(mixed.output.find("\\x1b]0;pwned"), std::string::npos) << mixed.output;
}

// Paths echoed in the report:, junit:, markdown:, html:, csv: and baseline: lines.
TEST(CliEscaping, OutputPathsAreEchoedEscaped) {
  const fs::path dir = fresh("escape-paths");
  const std::string name = "out\x1b]0;pwned\x07\x1b[2J\xff";
  const std::string r = "'" + kQuickReport + "'";
  const fs::path p = dir / name;
  for (const std::string& cmd :
       {"gate " + r + " --json " + q(p.string() + ".json") + " --junit " + q(p.string() + ".xml") +
            " --markdown " + q(p.string() + ".md") + " --html " + q(p.string() + ".html"),
        "html " + r + " --out " + q(p.string() + ".2.html"),
        "export " + r + " --csv " + q(p.string() + ".csv"),
        "baseline capture --from " + r + " --out " + q(p.string() + ".b.json"),
        "compare " + r + " " + r + " --json " + q(p.string() + ".c.json")}) {
    const outcome o = clean(cmd);
    EXPECT_LE(o.exit_code, 1) << cmd << "\n" << o.output;
  }
  EXPECT_TRUE(fs::exists(p.string() + ".json"));
}

// Arguments and missing inputs echoed in errors.
TEST(CliEscaping, ArgumentsAndMissingInputsAreEchoedEscaped) {
  const std::string e = "'" + kEvil + "'";
  for (const std::string& cmd :
       {"list --filter " + e, "run --synthetic --no-progress --filter " + e, "run --seed " + e,
        "doctor --root " + e, "run --root " + e + " --synthetic", "compare " + e + " " + e,
        "gate " + e, "html " + e + " --out x.html", "export " + e + " --csv x.csv",
        "baseline capture --from " + e + " --out x.json", "run --device " + e,
        "gate '" + kQuickReport + "' --policy " + e,
        "gate '" + kQuickReport + "' --baseline " + e}) {
    const outcome o = clean(cmd);
    EXPECT_EQ(o.exit_code, 2) << cmd << "\n" << o.output;
    EXPECT_NE(o.output.find("\\x1b"), std::string::npos) << cmd << "\n" << o.output;
  }
}

// CSV and Markdown: a file name that is not UTF-8 and NUL, ESC, DEL, C1 in messages.
TEST(CliEscaping, CsvAndMarkdownHoldNoRawBytes) {
  const fs::path dir = fresh("escape-files");
  const fs::path bad = dir / "r\xff\xfe.json";
  write_json(bad, evil_report("GPU " + kEvil.substr(0, 18)));
  const outcome csv = clean("export " + q(bad) + " --csv " + q(dir / "out.csv"));
  EXPECT_EQ(csv.exit_code, 0) << csv.output;
  const std::string table = slurp(dir / "out.csv");
  EXPECT_EQ(first_raw_byte(table), "");
  EXPECT_NE(table.find("r\\xff\\xfe.json"), std::string::npos) << table.substr(0, 600);
  EXPECT_NE(table.find("nul\\x00"), std::string::npos);
  const outcome to_stdout = clean("export " + q(bad) + " --csv -");
  EXPECT_EQ(to_stdout.exit_code, 0);
  const outcome md = clean("gate " + q(bad) + " --baseline none --markdown " + q(dir / "g.md"));
  EXPECT_LE(md.exit_code, 1) << md.output;
  EXPECT_EQ(first_raw_byte(slurp(dir / "g.md")), "");
  const outcome cmp = clean("compare " + q(bad) + " " + q(bad) + " --markdown " + q(dir / "c.md"));
  EXPECT_LE(cmp.exit_code, 1) << cmp.output;
  EXPECT_EQ(first_raw_byte(slurp(dir / "c.md")), "");
}

}  // namespace
}  // namespace wslcuda_cli_test
