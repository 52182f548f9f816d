#include "history/postgres_spec.hpp"

#include <algorithm>
#include <cctype>

namespace wslcuda::history {

namespace {

constexpr std::string_view kUriSchemes[] = {"postgresql://", "postgres://"};
constexpr std::string_view kKeywordPrefix = "postgresql:";
constexpr std::string_view kRedacted = "***";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_uri(std::string_view s) {
  return std::any_of(std::begin(kUriSchemes), std::end(kUriSchemes),
                     [&](std::string_view scheme) { return starts_with(s, scheme); });
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// libpq's conninfo_uri_decode: %XX becomes one byte; an invalid escape is kept as written (libpq
// refuses the URI then, and the raw text is a secret of its own).
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void add_secret(std::vector<std::string>& secrets, std::string_view raw, std::string decoded) {
  if (!raw.empty()) secrets.emplace_back(raw);
  if (!decoded.empty() && decoded != raw) secrets.push_back(std::move(decoded));
}

// A URI with its user-info password and `password` query parameters replaced; their values go
// to `secrets`.
std::string redact_uri(std::string_view uri, std::vector<std::string>& secrets) {
  const std::size_t start = uri.find("://") + 3;
  std::string out(uri.substr(0, start));
  // libpq: the user info is everything up to the first '@' seen before any '/'.
  std::size_t at = start;
  while (at < uri.size() && uri[at] != '@' && uri[at] != '/') ++at;
  std::size_t rest = start;
  if (at < uri.size() && uri[at] == '@') {
    const std::string_view info = uri.substr(start, at - start);
    const std::size_t colon = info.find(':');
    if (colon == std::string_view::npos) {
      out += info;
    } else {
      const std::string_view password = info.substr(colon + 1);
      out += info.substr(0, colon + 1);
      if (!password.empty()) out += kRedacted;
      add_secret(secrets, password, percent_decode(password));
    }
    out += '@';
    rest = at + 1;
  }
  const std::size_t query = uri.find('?', rest);
  if (query == std::string_view::npos) return out += uri.substr(rest);
  out += uri.substr(rest, query + 1 - rest);
  std::string_view params = uri.substr(query + 1);
  while (true) {
    const std::size_t amp = params.find('&');
    const std::string_view param = params.substr(0, amp);
    const std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && percent_decode(param.substr(0, eq)) == "password") {
      const std::string_view password = param.substr(eq + 1);
      out += param.substr(0, eq + 1);
      out += kRedacted;
      add_secret(secrets, password, percent_decode(password));
    } else {
      out += param;
    }
    if (amp == std::string_view::npos) break;
    out += '&';
    params = params.substr(amp + 1);
  }
  return out;
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// A value for a keyword string, quoted so that libpq reads it back unchanged.
std::string quote_keyword_value(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out += '\'';
}

// A keyword string (libpq's conninfo_parse) with every `password` value replaced, and every
// value that is itself a URI redacted as one.
std::string redact_keywords(std::string_view s, std::vector<std::string>& secrets) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    // Whitespace and the keyword, up to '=' (or to the whitespace before it).
    std::size_t key_start = i;
    while (key_start < s.size() && is_space(s[key_start])) ++key_start;
    std::size_t key_end = key_start;
    while (key_end < s.size() && s[key_end] != '=' && !is_space(s[key_end])) ++key_end;
    std::size_t eq = key_end;
    while (eq < s.size() && is_space(s[eq])) ++eq;
    if (eq >= s.size() || s[eq] != '=') {  // malformed: libpq refuses it; keep the text
      out += s.substr(i);
      break;
    }
    const std::string_view key = s.substr(key_start, key_end - key_start);
    std::size_t value_start = eq + 1;
    while (value_start < s.size() && is_space(s[value_start])) ++value_start;
    out += s.substr(i, value_start - i);
    // The value: quoted ('…' with backslash escapes) or up to the next whitespace.
    std::string decoded;
    std::size_t j = value_start;
    const bool quoted = j < s.size() && s[j] == '\'';
    if (quoted) ++j;
    while (j < s.size()) {
      if (s[j] == '\\') {
        if (++j < s.size()) decoded += s[j++];
        continue;
      }
      if (quoted ? s[j] == '\'' : is_space(s[j])) break;
      decoded += s[j++];
    }
    const std::size_t value_end = std::min(s.size(), quoted ? j + 1 : j);
    const std::string_view raw = s.substr(value_start, value_end - value_start);
    if (key == "password") {
      out += quoted ? "'***'" : kRedacted;
      add_secret(secrets, quoted && raw.size() >= 2 ? raw.substr(1, raw.size() - 2) : raw, decoded);
    } else if (is_uri(decoded)) {
      out += quote_keyword_value(redact_uri(decoded, secrets));
    } else {
      out += raw;
    }
    i = value_end;
  }
  return out;
}

std::string redact(std::string_view spec, std::vector<std::string>& secrets) {
  if (is_uri(spec)) return redact_uri(spec, secrets);
  if (starts_with(spec, kKeywordPrefix)) {
    return std::string(kKeywordPrefix) +
           redact_keywords(spec.substr(kKeywordPrefix.size()), secrets);
  }
  // Any scheme://user:password@…, so that a mistyped scheme does not show its password either.
  if (spec.find("://") != std::string_view::npos) return redact_uri(spec, secrets);
  return std::string(spec);
}

bool identifier_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_' || c == '$' || u >= 0x80;
}

// The end of the quoted token starting at `i` (one past its closing quote, or the end of `sql`).
// `quote` is ' or "; a doubled quote stays inside; `backslash` makes \x an escape (E'…').
std::size_t quoted_end(std::string_view sql, std::size_t i, char quote, bool backslash) {
  std::size_t j = i + 1;
  while (j < sql.size()) {
    if (backslash && sql[j] == '\\') {
      j += 2;
    } else if (sql[j] == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        j += 2;
      } else {
        return j + 1;
      }
    } else {
      ++j;
    }
  }
  return sql.size();
}

// The end of the token that starts at `i` when it is a literal, quoted identifier or comment;
// `i` itself otherwise.
std::size_t skip_literal(std::string_view sql, std::size_t i) {
  const char c = sql[i];
  const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
  if (c == '\'') {
    const bool escape = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                        (i < 2 || !identifier_char(sql[i - 2]));
    return quoted_end(sql, i, '\'', escape);
  }
  if (c == '"') return quoted_end(sql, i, '"', false);
  if (c == '-' && next == '-') return std::min(sql.find('\n', i), sql.size());
  if (c == '/' && next == '*') {  // comments nest in PostgreSQL
    int depth = 1;
    std::size_t j = i + 2;
    while (j < sql.size() && depth > 0) {
      if (sql.compare(j, 2, "/*") == 0) {
        ++depth;
        j += 2;
      } else if (sql.compare(j, 2, "*/") == 0) {
        --depth;
        j += 2;
      } else {
        ++j;
      }
    }
    return j;
  }
  if (c == '$' && (i == 0 || !identifier_char(sql[i - 1])) &&
      !std::isdigit(static_cast<unsigned char>(next))) {
    std::size_t j = i + 1;
    while (j < sql.size() && identifier_char(sql[j]) && sql[j] != '$') ++j;
    if (j < sql.size() && sql[j] == '$') {
      const std::string_view tag = sql.substr(i, j + 1 - i);
      const std::size_t close = sql.find(tag, j + 1);
      return close == std::string_view::npos ? sql.size() : close + tag.size();
    }
  }
  return i;
}

}  // namespace

bool is_postgresql_spec(std::string_view spec) {
  return is_uri(spec) || starts_with(spec, kKeywordPrefix);
}

std::string postgresql_conninfo(std::string_view spec) {
  if (is_uri(spec)) return std::string(spec);
  return std::string(spec.substr(kKeywordPrefix.size()));
}

std::string redact_postgresql_spec(std::string_view spec) {
  std::vector<std::string> secrets;
  return redact(spec, secrets);
}

std::vector<std::string> postgresql_spec_secrets(std::string_view spec) {
  std::vector<std::string> secrets;
  redact(spec, secrets);
  return secrets;
}

std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets) {
  std::vector<std::string> longest_first = secrets;
  std::sort(longest_first.begin(), longest_first.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& secret : longest_first) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kRedacted.size())) {
      text.replace(at, secret.size(), kRedacted);
    }
  }
  return text;
}

std::string to_dollar_placeholders(std::string_view sql, int& parameters) {
  parameters = 0;
  std::string out;
  out.reserve(sql.size() + 16);
  std::size_t i = 0;
  while (i < sql.size()) {
    const std::size_t end = skip_literal(sql, i);
    if (end != i) {
      out += sql.substr(i, end - i);
      i = end;
    } else if (sql[i] == '?') {
      out += '$';
      out += std::to_string(++parameters);
      ++i;
    } else {
      out += sql[i++];
    }
  }
  return out;
}

}  // namespace wslcuda::history
