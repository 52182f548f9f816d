#include "history/store_spec.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <system_error>

#include "history/migrate.hpp"

#include "history/postgres_spec.hpp"
#include "history/postgres_store.hpp"

namespace wslcuda::history {
namespace {

namespace fs = std::filesystem;

std::string home_dir() {
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') return h;
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr)
    return pw->pw_dir;
  return "";
}

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

store_spec parse_store_spec(const std::string& text, const std::string& origin) {
  store_spec spec;
  spec.origin = origin;
  if (text == "none") return spec;
  if (starts_with(text, "sqlite:")) {
    std::string path = text.substr(7);
    if (path.empty())
      throw store_error(store_fault::bad_spec,
                        origin + " sqlite: names no file (expected sqlite:PATH)");
    if (starts_with(path, "~/")) {
      const std::string home = home_dir();
      if (home.empty())
        throw store_error(store_fault::bad_spec,
                          origin + " " + text + ": ~ cannot be expanded (no home folder)");
      path = home + path.substr(1);
    }
    spec.kind = store_kind::sqlite;
    spec.target = path;
    return spec;
  }
  if (is_postgresql_spec(text)) {
    spec.kind = store_kind::postgresql;
    spec.target = text;
    return spec;
  }
  spec.kind = store_kind::none;
  store_spec shown;
  shown.kind = store_kind::postgresql;
  shown.target = text;
  throw store_error(store_fault::bad_spec,
                    origin + " '" + describe(shown) +
                        "' is not a history store: expected sqlite:PATH, postgresql://…, "
                        "postgresql:KEYWORDS or none");
}

store_spec default_store_spec() {
  fs::path base;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x != nullptr && x[0] == '/') {
    base = x;
  } else {
    const std::string home = home_dir();
    if (home.empty())
      throw store_error(store_fault::bad_spec,
                        "no default history store: neither XDG_DATA_HOME nor a home folder is "
                        "known (use --history sqlite:PATH or none)");
    base = fs::path(home) / ".local" / "share";
  }
  store_spec spec;
  spec.kind = store_kind::sqlite;
  spec.target = (base / "wslcuda" / "history.db").string();
  spec.origin = "default";
  return spec;
}

store_spec resolve_store_spec(const std::string& option) {
  if (!option.empty()) return parse_store_spec(option, "--history");
  if (const char* env = std::getenv("WSLCUDA_HISTORY"); env != nullptr && *env != '\0')
    return parse_store_spec(env, "WSLCUDA_HISTORY");
  return default_store_spec();
}

std::string describe(const store_spec& spec) {
  switch (spec.kind) {
    case store_kind::none:
      return "none";
    case store_kind::sqlite:
      return "sqlite:" + spec.target;
    case store_kind::postgresql:
      return redact_postgresql_spec(spec.target);
  }
  return "none";
}

std::unique_ptr<connection> open_store(const store_spec& spec, const open_options& options) {
  std::unique_ptr<connection> c;
  switch (spec.kind) {
    case store_kind::none:
      throw store_error(store_fault::bad_spec,
                        "history is off (" + spec.origin + " none): there is no store to open");
    case store_kind::sqlite: {
      sqlite_options o;
      o.busy_timeout_ms = options.busy_timeout_ms;
      o.read_only = options.read_only;
      o.create = options.create && !options.read_only;
      c = open_sqlite(spec.target, o);
      break;
    }
    case store_kind::postgresql:
      c = open_postgresql(spec.target);
      break;
  }
  if (options.read_only) {
    const int found = schema_version(*c);
    if (found > latest_schema_version()) migrate(*c);  // throws too_new, writes nothing
    if (found < latest_schema_version())
      throw store_error(store_fault::read_only, describe(spec) + ": schema version " +
                                                    std::to_string(found) + " needs migrating to " +
                                                    std::to_string(latest_schema_version()) +
                                                    ", and the store is opened read-only");
  } else {
    migrate(*c);
  }
  return c;
}

bool store_exists(const store_spec& spec) {
  switch (spec.kind) {
    case store_kind::none:
      return false;
    case store_kind::sqlite: {
      std::error_code ec;
      if (!fs::exists(spec.target, ec)) return false;
      const bool empty_file =
          fs::is_regular_file(spec.target, ec) && fs::file_size(spec.target, ec) == 0 && !ec;
      return !empty_file;
    }
    case store_kind::postgresql:
      return true;
  }
  return false;
}

}  // namespace wslcuda::history
