#pragma once
// JUnit XML for CI systems (GitHub test reporters, GitLab artifacts:reports:junit, Jenkins):
// one <testcase> per check and per result. Written with pugixml, never by string concatenation.

#include <string>

#include "model/report_json.hpp"

namespace wslcuda {

/// The JUnit document of a run: <testsuites name="wslcuda"> holding <testsuite name="checks">
/// (classname = check area, e.g. "wsl") and <testsuite name="results"> (classname = family);
/// name = id; time = measured seconds. fail → <failure message=…> (remedy or baseline detail in
/// the body), error → <error message=…>, skip → <skipped message=…>, warn → passes with the
/// warning in <system-out>.
std::string junit_xml(const run_report& report);

}  // namespace wslcuda
