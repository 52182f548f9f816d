#include "model/json_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

namespace wslcuda {

std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

namespace {

/// A `const char*` over the text that remembers the last byte the parser read (the parser
/// dereferences each byte once, in order), so a SAX event knows where in the text it is.
class tracked_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  tracked_iterator(const char* p, const char** last_read) : p_(p), last_read_(last_read) {}
  reference operator*() const {
    *last_read_ = p_;
    return *p_;
  }
  tracked_iterator& operator++() {
    ++p_;
    return *this;
  }
  tracked_iterator operator++(int) {
    tracked_iterator old = *this;
    ++p_;
    return old;
  }
  bool operator==(const tracked_iterator& o) const { return p_ == o.p_; }
  bool operator!=(const tracked_iterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char** last_read_;
};

/// A JSON pointer token (RFC 6901: `~` as `~0`, `/` as `~1`).
std::string pointer_token(const std::string& key) {
  std::string out;
  for (const char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

/// The one pass that parses a document: a SAX handler that builds the DOM as it reads, and
/// stops at the first too-deep container, when its estimate of what the DOM holds passes the
/// budget (so a file of tiny containers, `[[],[],…]`: ~100 bytes of DOM per 3 bytes of text, is
/// refused with memory bounded by the budget), or at the first key that an object already has
/// (nlohmann's own DOM parser keeps the last one silently, so a second `"results": []` would
/// empty a report), recording the JSON pointer and where the key starts. On a syntax error it
/// stops too; the caller re-parses for nlohmann's message and position.
/// One pass instead of a counting pass and a DOM parse: both lexed every number with strtod, and
/// reading reports is most of `history import` (docs/history.md, "Measured").
class checked_dom_builder final : public nlohmann::json_sax<json> {
 public:
  /// `build` false: only the checks, no DOM (the counting pass of parse_json_text).
  checked_dom_builder(std::uintmax_t budget, int max_depth, const std::string& text,
                      const char* const* last_read, bool build = true)
      : budget_(budget), max_depth_(max_depth), text_(text), last_read_(last_read), build_(build) {}
  // Bytes per DOM element, from nlohmann::json's layout on LP64 with glibc malloc: every value
  // is 16 bytes inside its parent's std::vector (whose capacity may double: 32) or ordered_map
  // entry (~96 bytes with the key's std::string and malloc's header); a container adds its own
  // heap object; a string over the small-string buffer adds its bytes and a header.
  bool null() override { return add(32) && place(json(nullptr)); }
  bool boolean(bool v) override { return add(32) && place(json(v)); }
  bool number_integer(number_integer_t v) override { return add(32) && place(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return add(32) && place(json(v)); }
  bool number_float(number_float_t v, const string_t&) override {
    return add(32) && place(json(v));
  }
  bool string(string_t& s) override { return add(64 + s.size()) && place(json(std::move(s))); }
  bool binary(binary_t&) override { return false; }  // JSON text has no binary values
  bool start_object(std::size_t) override {
    if (!open() || !add(32 + 64)) return false;
    json* o = place(json::object());
    frames_.push_back(frame{true, {}, 0, "", o});
    return true;
  }
  bool key(string_t& k) override {
    frame& f = frames_.back();
    if (!f.keys.insert(k).second) {
      duplicate_key = k;
      duplicate_pointer = pointer() + "/" + pointer_token(k);
      duplicate_offset = key_start();
      return false;
    }
    f.name = k;
    return add(96 + k.size());
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    if (!open() || !add(32 + 64)) return false;
    json* a = place(json::array());
    frames_.push_back(frame{false, {}, 0, "", a});
    return true;
  }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    syntax_error = true;
    // A syntax error (parse_error: its byte) or a number out of range (out_of_range 406:
    // "number overflow parsing '1e400'", at the bytes read so far).
    const auto* pe = dynamic_cast<const json::parse_error*>(&e);
    error_byte = pe != nullptr ? pe->byte : position;
    error_what = e.what();
    return false;
  }

  json root;
  bool too_deep = false, too_big = false, syntax_error = false;
  std::size_t error_byte = 0;  ///< 1-based position where the parse stopped (syntax_error)
  std::string error_what;      ///< nlohmann's message (syntax_error)
  std::optional<std::string> duplicate_key;
  std::string duplicate_pointer;
  std::size_t duplicate_offset = 0;

 private:
  struct frame {
    bool object;
    std::set<std::string> keys;  ///< an object's keys so far
    std::size_t next_index;      ///< an array's next element (the one being read: one less)
    std::string name;            ///< an object's member being read
    json* container;             ///< the object or array being filled (in its parent)
  };

  /// Puts a value where the parser is: the document, the next element of an array, or the
  /// member just keyed (appended: key() refused duplicates, so no search of the members).
  /// Returns where it now lives: valid while it is the last of its open container.
  json* place(json&& v) {
    if (!build_) {
      if (!frames_.empty() && !frames_.back().object) ++frames_.back().next_index;
      return &root;  // a placeholder: nothing is built
    }
    if (frames_.empty()) {
      root = std::move(v);
      return &root;
    }
    frame& f = frames_.back();
    if (!f.object) {
      // The index is formatted only when a pointer is needed (~10^5 elements per report).
      ++f.next_index;
      auto& elements = f.container->get_ref<json::array_t&>();
      elements.push_back(std::move(v));
      return &elements.back();
    }
    auto& members = f.container->get_ref<json::object_t&>();
    members.emplace_back(f.name, std::move(v));  // the vector's: no search of the members
    return &members.back().second;
  }
  std::string pointer() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i)
      out += "/" + (frames_[i].object ? pointer_token(frames_[i].name)
                                      : std::to_string(frames_[i].next_index - 1));
    return out;
  }
  /// Offset of the opening quote of the key just read (the parser stopped on its closing one).
  std::size_t key_start() const {
    if (*last_read_ == nullptr) return 0;
    std::size_t end = static_cast<std::size_t>(*last_read_ - text_.data());
    for (std::size_t i = end; i-- > 0;) {
      if (text_[i] != '"') continue;
      std::size_t backslashes = 0;
      for (std::size_t j = i; j-- > 0 && text_[j] == '\\';) ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return end;
  }
  bool add(std::uintmax_t n) {
    bytes_ += n;
    too_big = bytes_ > budget_;
    return !too_big;
  }
  bool open() {
    too_deep = ++depth_ > max_depth_;
    return !too_deep;
  }
  bool close() {
    --depth_;
    frames_.pop_back();
    return true;
  }
  std::uintmax_t budget_;
  std::uintmax_t bytes_ = 0;
  int max_depth_;
  int depth_ = 0;
  const std::string& text_;
  const char* const* last_read_;
  bool build_;
  std::vector<frame> frames_;
};

/// An upper bound of checked_dom_builder's estimate for `text`, from its bytes alone: every
/// value but a container's first follows a `,`, every key precedes a `:`, every string has two
/// `"` (counted inside strings too, so it only overcounts). Costs a read of the text.
std::uintmax_t estimate_bound(const std::string& text) {
  std::uintmax_t separators = 1, quotes = 0;
  for (const char c : text) {
    switch (c) {
      case ',':
      case ':':
      case '[':
      case '{':
        ++separators;
        break;
      case '"':
        ++quotes;
        break;
      default:
        break;
    }
  }
  return 96 * separators + 32 * quotes + text.size();
}

}  // namespace

json parse_json_text(const std::string& text, const std::string& source,
                     const input_limits& limits) {
  // Memory proportional to the text: ≤ max_memory_factor × its size (+ a small floor).
  const std::uintmax_t budget =
      limits.max_memory_factor * static_cast<std::uintmax_t>(text.size()) +
      limits.memory_floor_bytes;
  const char* last_read = nullptr;
  const auto pass = [&](checked_dom_builder& b) {
    last_read = nullptr;
    return json::sax_parse(tracked_iterator(text.data(), &last_read),
                           tracked_iterator(text.data() + text.size(), &last_read), &b,
                           json::input_format_t::json, /*strict=*/true,
                           /*ignore_comments=*/false);
  };
  // One pass builds the DOM while it checks. A text that might hold more than the budget (by
  // a bound from its bytes: wslcuda's documents are far below it) is first checked without
  // building, so that a file of tiny values (`[[],[],…]`: ~100 bytes of DOM per 3 bytes of
  // text) is refused at the cost of its text alone, never of the budget's worth of DOM.
  checked_dom_builder counter(budget, limits.max_depth, text, &last_read, /*build=*/false);
  checked_dom_builder builder(budget, limits.max_depth, text, &last_read);
  const bool counted_ok = estimate_bound(text) <= budget || pass(counter);
  if (counted_ok && pass(builder)) return std::move(builder.root);
  const checked_dom_builder& failed = counted_ok ? builder : counter;
  if (failed.too_deep)
    throw input_error(source + ": nesting deeper than " + std::to_string(limits.max_depth) +
                      " levels");
  if (failed.too_big)
    throw input_error(source + ": too many JSON values for its size (more than " +
                      std::to_string(budget >> 20) + " MiB of memory to hold it, over " +
                      std::to_string(limits.max_memory_factor) +
                      " times its size); not a wslcuda document");
  if (failed.duplicate_key) {
    const auto [line, column] = line_and_column(text, failed.duplicate_offset);
    throw input_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                      failed.duplicate_pointer + ": duplicate key \"" + *failed.duplicate_key +
                      "\" (an object has each key once; which one a reader keeps is not "
                      "defined)");
  }
  // A syntax error or a number out of range, where the parse stopped (e.g. "[json.exception.
  // parse_error.101] parse error at line 1, column 5: syntax error while parsing value - …"):
  // keep what was expected, after the position, or the message after its "[json.exception…]".
  const std::size_t offset = failed.error_byte > 0 ? failed.error_byte - 1 : 0;
  const auto [line, column] = line_and_column(text, offset);
  std::string what = failed.error_what;
  const std::size_t parse_error = what.find("parse error");
  if (parse_error != std::string::npos) {
    const std::size_t colon = what.find(": ", parse_error);
    if (colon != std::string::npos) what = what.substr(colon + 2);
  } else if (what.rfind("[json.exception.", 0) == 0 && what.find("] ") != std::string::npos) {
    what = what.substr(what.find("] ") + 2);
  }
  throw input_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                    what);
}

json read_json_file(const std::filesystem::path& path, const input_limits& limits) {
  const std::string name = path.string();
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec == std::errc::too_many_symbolic_link_levels)
    throw input_error(name + ": a loop of symbolic links");
  if (ec || !std::filesystem::exists(st)) throw input_error(name + ": no such file");
  if (std::filesystem::is_directory(st))
    throw input_error(name + ": is a directory, not a JSON file");
  if (!std::filesystem::is_regular_file(st)) throw input_error(name + ": not a regular file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw input_error(name + ": cannot read its size: " + ec.message());
  if (size > limits.max_bytes)
    throw input_error(name + ": " + std::to_string(size) + " bytes, larger than the " +
                      std::to_string(limits.max_bytes) + "-byte limit for wslcuda documents");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(name + ": cannot open: " + std::strerror(errno));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw input_error(name + ": empty file");
  return parse_json_text(text, name, limits);
}

const json* find_member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string optional_string_at(const json& j, const char* key, const std::string& where) {
  const json* v = find_member(j, key);
  if (v == nullptr) return "";
  if (!v->is_string()) throw input_error(where + "/" + key + ": expected a string");
  return v->get<std::string>();
}

std::string string_member(const json& doc, const char* key) {
  if (!doc.is_object()) return "";
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void check_schema_version(const json& doc, const std::string& source, int supported_major) {
  if (!doc.is_object()) throw input_error(source + ": expected a JSON object at the top level");
  const auto it = doc.find("schema_version");
  if (it == doc.end()) throw input_error(source + ": /schema_version: missing");
  if (!it->is_string()) throw input_error(source + ": /schema_version: expected a string");
  const std::string v = it->get<std::string>();
  static const std::regex semver(R"(^([0-9]+)\.([0-9]+)\.([0-9]+)$)");
  std::smatch m;
  if (!std::regex_match(v, m, semver))
    throw input_error(source + ": /schema_version: \"" + v + "\" is not MAJOR.MINOR.PATCH");
  if (m[1].str() != std::to_string(supported_major))
    throw input_error(source + ": /schema_version: major " + m[1].str() +
                      " is not supported (this wslcuda reads " + std::to_string(supported_major) +
                      ".x)");
}

const json& member(const json& j, const char* key, const std::string& where) {
  if (!j.is_object()) throw input_error(where + ": expected an object");
  const auto it = j.find(key);
  if (it == j.end()) throw input_error(where + ": missing key \"" + key + "\"");
  return *it;
}

std::string string_at(const json& j, const char* key, const std::string& where) {
  const json& v = member(j, key, where);
  if (!v.is_string()) throw input_error(where + "/" + key + ": expected a string");
  return v.get<std::string>();
}

status status_at(const json& j, const char* key, const std::string& where) {
  const std::string s = string_at(j, key, where);
  const auto parsed = status_from_string(s);
  if (!parsed)
    throw input_error(where + "/" + key + ": \"" + s +
                      "\" is not one of pass, warn, fail, skip, error");
  return *parsed;
}

double number_at(const json& j, const char* key, const std::string& where) {
  const json& v = member(j, key, where);
  if (!v.is_number()) throw input_error(where + "/" + key + ": expected a number");
  return v.get<double>();
}

bool bool_at(const json& j, const char* key, const std::string& where) {
  const json& v = member(j, key, where);
  if (!v.is_boolean()) throw input_error(where + "/" + key + ": expected true or false");
  return v.get<bool>();
}

const json* optional_object(const json& j, const char* key, const std::string& where) {
  const json* v = find_member(j, key);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) throw input_error(where + "/" + key + ": expected an object or null");
  return v;
}

std::vector<std::string> optional_strings_at(const json& j, const char* key,
                                             const std::string& where) {
  std::vector<std::string> out;
  const json* v = find_member(j, key);
  if (v == nullptr) return out;
  if (!v->is_array()) throw input_error(where + "/" + key + ": expected an array of strings");
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      throw input_error(where + "/" + key + "/" + std::to_string(i) + ": expected a string");
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

bool optional_bool(const json& j, const char* key, const std::string& where, bool fallback) {
  const json* v = find_member(j, key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) throw input_error(where + "/" + key + ": expected true or false");
  return v->get<bool>();
}

const json* optional_array(const json& j, const char* key, const std::string& where) {
  const json* v = find_member(j, key);
  if (v != nullptr && !v->is_array()) throw input_error(where + "/" + key + ": expected an array");
  return v;
}

double number_in_range(const json& v, const std::string& where, double lo, double hi,
                       bool open_lo) {
  if (!v.is_number()) throw input_error(where + ": expected a number");
  const double x = v.get<double>();
  if (!((open_lo ? x > lo : x >= lo) && x <= hi)) {
    char buf[160];
    std::snprintf(buf, sizeof buf, ": expected a number in %s%.6g, %.6g], got %.6g",
                  open_lo ? "(" : "[", lo, hi, x);
    throw input_error(where + buf);
  }
  return x;
}

}  // namespace wslcuda
