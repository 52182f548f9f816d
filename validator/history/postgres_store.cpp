#include "history/postgres_store.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "history/postgres_spec.hpp"

namespace wslcuda::history {

namespace {

// Type OIDs of the built-in types (PostgreSQL's src/include/catalog/pg_type.dat; stable since
// the catalog was created, and part of the wire protocol's contract).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kOidOid = 26, kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

constexpr int kDefaultConnectTimeoutS = 10;

bool is_integer_type(Oid t) {
  return t == kInt8Oid || t == kInt2Oid || t == kInt4Oid || t == kOidOid;
}

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

result_ptr hold(PGresult* r) {
  return result_ptr(r, &PQclear);
}

// A message from libpq or the server, on one line: lines joined with "; ", trailing newline and
// the LOCATION lines of verbose messages dropped.
std::string one_line(const char* text) {
  std::string out;
  std::string_view s = text != nullptr ? text : "";
  while (!s.empty()) {
    const std::size_t nl = s.find('\n');
    std::string_view line = s.substr(0, nl);
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
      line.remove_prefix(1);
    }
    if (line.empty() || line.substr(0, 9) == "LOCATION:") continue;
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

// The SQLSTATE of the last server error in a verbose connection message ("FATAL:  28P01: …"),
// or "" when the failure was the client's (no route, refused, timeout).
std::string sqlstate_in_message(std::string_view message) {
  std::string found;
  for (std::string_view marker : {"FATAL:  ", "ERROR:  "}) {
    for (std::size_t at = message.find(marker); at != std::string_view::npos;
         at = message.find(marker, at + 1)) {
      const std::string_view code = message.substr(at + marker.size(), 6);
      if (code.size() == 6 && code[5] == ':' &&
          std::all_of(code.begin(), code.begin() + 5,
                      [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); })) {
        found = std::string(code.substr(0, 5));
      }
    }
  }
  return found;
}

// A server error's primary message, detail and hint (without the "ERROR:  " prefix); "" for
// an error of libpq's own.
std::string server_message(const PGresult* r) {
  if (r == nullptr) return "";
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  if (primary == nullptr) return one_line(PQresultErrorMessage(r));
  std::string message = one_line(primary);
  if (const char* detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL)) {
    message += ": " + one_line(detail);
  }
  if (const char* hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT)) {
    message += " (" + one_line(hint) + ")";
  }
  return message;
}

// bytea's text output in the hex format (PostgreSQL 9.0 and later, bytea_output = hex): "\x"
// and two hex digits per byte.
std::string decode_bytea(const char* text, std::size_t length) {
  auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string bytes;
  if (length < 2 || text[0] != '\\' || text[1] != 'x') return std::string(text, length);
  bytes.reserve((length - 2) / 2);
  for (std::size_t i = 2; i + 1 < length; i += 2) {
    bytes += static_cast<char>(digit(text[i]) * 16 + digit(text[i + 1]));
  }
  return bytes;
}

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact form
  return std::string(buf, r.ptr);
}

class postgres_connection;

class postgres_statement final : public statement {
 public:
  postgres_statement(postgres_connection& owner, std::string name, std::string sql,
                     std::vector<Oid> types)
      : owner_(owner),
        name_(std::move(name)),
        sql_(std::move(sql)),
        types_(std::move(types)),
        params_(types_.size()) {}

  void bind(int index, const value& v) override;
  bool step() override;
  int columns() const override { return result_ ? PQnfields(result_.get()) : 0; }
  value column(int index) const override;
  void reset() override {
    result_.reset();
    row_ = -1;
    std::fill(params_.begin(), params_.end(), value{});
  }

 private:
  std::string parameter_text(std::size_t i, bool& is_null) const;

  postgres_connection& owner_;
  std::string name_;
  std::string sql_;
  std::vector<Oid> types_;  // inferred by the server, one per $n
  std::vector<value> params_;
  result_ptr result_{nullptr, &PQclear};
  int row_ = -1;  // -1 before the first step
};

class postgres_connection final : public connection {
 public:
  postgres_connection(PGconn* conn, std::string description, std::vector<std::string> secrets)
      : conn_(conn), description_(std::move(description)), secrets_(std::move(secrets)) {}
  ~postgres_connection() override { PQfinish(conn_); }
  postgres_connection(const postgres_connection&) = delete;
  postgres_connection& operator=(const postgres_connection&) = delete;

  history::dialect dialect() const noexcept override { return dialect::postgresql; }

  void exec(const std::string& sql) override {
    const result_ptr r = hold(PQexec(conn_, sql.c_str()));
    check(r.get(), "exec");
  }

  std::unique_ptr<statement> prepare(const std::string& sql) override {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      int parameters = 0;
      const std::string rewritten = to_dollar_placeholders(sql, parameters);
      prepared_statement p;
      p.name = "wslcuda_" + std::to_string(prepared_.size() + 1);
      const result_ptr made =
          hold(PQprepare(conn_, p.name.c_str(), rewritten.c_str(), parameters, nullptr));
      check(made.get(), "prepare");
      const result_ptr described = hold(PQdescribePrepared(conn_, p.name.c_str()));
      check(described.get(), "describe");
      p.types.resize(static_cast<std::size_t>(PQnparams(described.get())));
      for (std::size_t i = 0; i < p.types.size(); ++i) {
        p.types[i] = PQparamtype(described.get(), static_cast<int>(i));
      }
      it = prepared_.emplace(sql, std::move(p)).first;
    }
    return std::make_unique<postgres_statement>(*this, it->second.name, sql, it->second.types);
  }

  void begin() override { exec("BEGIN"); }

  void commit() override {
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      rollback();
      fail(store_fault::other,
           "commit: an earlier statement of the transaction failed; "
           "the transaction was rolled back");
    }
    const result_ptr r = hold(PQexec(conn_, "COMMIT"));
    check(r.get(), "commit");
    // A COMMIT of a failed transaction "succeeds" with the command tag ROLLBACK.
    if (std::string_view(PQcmdStatus(r.get())) == "ROLLBACK") {
      fail(store_fault::other, "commit: the transaction was rolled back by the server");
    }
  }

  void rollback() noexcept override {
    const PGTransactionStatusType s = PQtransactionStatus(conn_);
    if (s == PQTRANS_INTRANS || s == PQTRANS_INERROR) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  std::string describe() const override { return description_; }

  PGconn* raw() const noexcept { return conn_; }

  /// Throws store_error for a result that is not a success (or none at all).
  void check(const PGresult* r, const char* what) const {
    const ExecStatusType status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      return;
    }
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    if (PQstatus(conn_) == CONNECTION_BAD) {
      fail(store_fault::unreachable, std::string(what) + ": lost the connection to the server: " +
                                         one_line(PQerrorMessage(conn_)));
    }
    std::string message = server_message(r);
    if (message.empty()) message = one_line(PQerrorMessage(conn_));
    if (state != nullptr) message += std::string(" (SQLSTATE ") + state + ")";
    fail(state != nullptr ? fault_of_sqlstate(state) : store_fault::other,
         std::string(what) + ": " + message);
  }

  [[noreturn]] void fail(store_fault kind, const std::string& message) const {
    throw store_error(kind, scrub_secrets(description_ + ": " + message, secrets_));
  }

 private:
  PGconn* conn_;
  std::string description_;
  std::vector<std::string> secrets_;
  /// The statements prepared on the server, by their SQL: a statement prepared again costs no
  /// round trip. Prepared statements belong to the session, not to a transaction (a rollback
  /// keeps them), and live until the connection closes.
  struct prepared_statement {
    std::string name;
    std::vector<Oid> types;  // inferred by the server, one per $n
  };
  std::map<std::string, prepared_statement> prepared_;
};

void postgres_statement::bind(int index, const value& v) {
  if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
    owner_.fail(store_fault::other, "bind: parameter " + std::to_string(index) +
                                        " out of range (the statement has " +
                                        std::to_string(params_.size()) + "): " + sql_);
  }
  if (const auto* text = std::get_if<std::string>(&v);
      text != nullptr && text->find('\0') != std::string::npos) {
    owner_.fail(store_fault::bad_value,
                "parameter " + std::to_string(index) + ": text with a NUL byte (at byte " +
                    std::to_string(text->find('\0')) +
                    ") cannot be stored in PostgreSQL; refused rather than truncated");
  }
  params_[static_cast<std::size_t>(index - 1)] = v;
}

std::string postgres_statement::parameter_text(std::size_t i, bool& is_null) const {
  const value& v = params_[i];
  is_null = std::holds_alternative<std::monostate>(v);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) {
    // An integral double for an integer parameter goes as an integer ("3", not "3e0").
    if (is_integer_type(types_[i]) && std::isfinite(*d) && std::trunc(*d) == *d &&
        std::fabs(*d) < 9.2e18) {
      return std::to_string(static_cast<std::int64_t>(*d));
    }
    return format_double(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<blob>(&v)) return b->bytes;  // sent in binary format
  return {};
}

bool postgres_statement::step() {
  if (row_ < 0) {
    // Text format for every parameter but a blob, which goes as its bytes in binary format
    // (bytea's binary form is the bytes themselves; they may hold NUL).
    std::vector<std::string> texts(params_.size());
    std::vector<const char*> values(params_.size(), nullptr);
    std::vector<int> lengths(params_.size(), 0), formats(params_.size(), 0);
    for (std::size_t i = 0; i < params_.size(); ++i) {
      bool is_null = false;
      texts[i] = parameter_text(i, is_null);
      if (is_null) continue;
      values[i] = texts[i].c_str();
      lengths[i] = static_cast<int>(texts[i].size());
      formats[i] = std::holds_alternative<blob>(params_[i]) ? 1 : 0;
    }
    result_ = hold(PQexecPrepared(owner_.raw(), name_.c_str(), static_cast<int>(values.size()),
                                  values.data(), lengths.data(), formats.data(), 0));
    owner_.check(result_.get(), "step");
    row_ = 0;
  } else {
    ++row_;
  }
  return PQresultStatus(result_.get()) == PGRES_TUPLES_OK && row_ < PQntuples(result_.get());
}

value postgres_statement::column(int index) const {
  const PGresult* r = result_.get();
  if (r == nullptr || row_ < 0 || row_ >= PQntuples(r) || index < 0 || index >= PQnfields(r)) {
    owner_.fail(store_fault::other,
                "column " + std::to_string(index) + ": no such column or no current row: " + sql_);
  }
  if (PQgetisnull(r, row_, index)) return std::monostate{};
  const char* text = PQgetvalue(r, row_, index);
  const std::size_t length = static_cast<std::size_t>(PQgetlength(r, row_, index));
  const Oid type = PQftype(r, index);
  if (type == kByteaOid) return blob{decode_bytea(text, length)};
  if (type == kBoolOid) return std::int64_t{text[0] == 't' ? 1 : 0};
  if (is_integer_type(type) || type == kNumericOid) {
    std::int64_t n = 0;
    const auto parsed = std::from_chars(text, text + length, n);
    if (parsed.ec == std::errc() && parsed.ptr == text + length) return n;
    if (type != kNumericOid) return std::string(text, length);
  }
  if (type == kFloat8Oid || type == kFloat4Oid || type == kNumericOid) {
    double d = 0.0;
    const auto parsed = std::from_chars(text, text + length, d);
    if (parsed.ptr == text + length) return d;  // ERANGE: from_chars leaves d unchanged
  }
  return std::string(text, length);
}

// Waits for the socket as PQconnectPoll asks, each host within `timeout_s` (0: no limit, as
// libpq's connect_timeout; values below 2 count as 2, as in libpq).
PostgresPollingStatusType finish_connecting(PGconn* conn, int timeout_s, std::string& timed_out) {
  using clock = std::chrono::steady_clock;
  if (timeout_s > 0 && timeout_s < 2) timeout_s = 2;
  auto deadline = clock::now() + std::chrono::seconds(timeout_s);
  std::string host =
      std::string(PQhost(conn) ? PQhost(conn) : "") + ":" + (PQport(conn) ? PQport(conn) : "");
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
    pollfd p{PQsocket(conn), static_cast<short>(state == PGRES_POLLING_READING ? POLLIN : POLLOUT),
             0};
    int wait_ms = -1;
    if (timeout_s > 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
      if (left <= 0) {
        timed_out = host;
        return PGRES_POLLING_FAILED;
      }
      wait_ms = static_cast<int>(left);
    }
    if (p.fd >= 0) {
      const int ready = ::poll(&p, 1, wait_ms);
      if (ready < 0 && errno != EINTR) return PGRES_POLLING_FAILED;
      if (ready <= 0) continue;
    }
    state = PQconnectPoll(conn);
    const std::string now_host =
        std::string(PQhost(conn) ? PQhost(conn) : "") + ":" + (PQport(conn) ? PQport(conn) : "");
    if (now_host != host) {  // libpq moved on to the next host: its own timeout starts
      host = now_host;
      deadline = clock::now() + std::chrono::seconds(timeout_s);
    }
  }
  return state;
}

// The connect timeout libpq resolved for this connection (the spec, PGCONNECT_TIMEOUT or ours).
int connect_timeout_of(PGconn* conn) {
  int timeout_s = 0;
  PQconninfoOption* options = PQconninfo(conn);
  for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "connect_timeout" && o->val != nullptr) {
      timeout_s = std::atoi(o->val);
    }
  }
  PQconninfoFree(options);
  return timeout_s;
}

// libpq's test for "a connection string rather than a database name" (recognized_connection_
// string in fe-connect.c): a URI, or text with an '='.
bool is_connection_string(const std::string& conninfo) {
  return is_postgresql_spec(conninfo) || conninfo.find('=') != std::string::npos;
}

}  // namespace

store_fault fault_of_sqlstate(std::string_view s) {
  if (s.size() != 5) return store_fault::other;
  const std::string_view cls = s.substr(0, 2);
  if (cls == "08" || s == "57P01" || s == "57P02" || s == "57P03" || s == "3D000") {
    return store_fault::unreachable;
  }
  if (cls == "28" || s == "42501") return store_fault::denied;
  if (s == "53100") return store_fault::full;
  if (s == "53300" || s == "40001" || s == "40P01" || s == "55P03" || s == "57014") {
    return store_fault::busy;
  }
  if (s == "25006") return store_fault::read_only;
  if (s == "XX001" || s == "XX002") return store_fault::corrupt;
  if (cls == "22") return store_fault::bad_value;
  return store_fault::other;
}

std::unique_ptr<connection> open_postgresql(const std::string& spec) {
  const std::string description = redact_postgresql_spec(spec);
  const std::vector<std::string> secrets = postgresql_spec_secrets(spec);
  const std::string conninfo = postgresql_conninfo(spec);
  auto fail = [&](store_fault kind, const std::string& message) {
    throw store_error(kind, scrub_secrets(description + ": " + message, secrets));
  };

  // A spec libpq cannot read is bad input (exit 2), not an unreachable server.
  if (is_connection_string(conninfo)) {
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &error);
    if (parsed == nullptr) {
      const std::string why = error != nullptr ? one_line(error) : "out of memory";
      PQfreemem(error);
      fail(store_fault::bad_spec, "not a PostgreSQL connection string: " + why);
    }
    PQconninfoFree(parsed);
  }

  std::vector<const char*> keys{"fallback_application_name"};
  std::vector<const char*> values{"wslcuda"};
  const std::string default_timeout = std::to_string(kDefaultConnectTimeoutS);
  if (std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
    keys.push_back("connect_timeout");  // before dbname: the spec's own value overrides it
    values.push_back(default_timeout.c_str());
  }
  keys.push_back("dbname");
  values.push_back(conninfo.c_str());
  keys.push_back(nullptr);
  values.push_back(nullptr);

  PGconn* conn = PQconnectStartParams(keys.data(), values.data(), 1);
  if (conn == nullptr) fail(store_fault::other, "out of memory");
  std::unique_ptr<PGconn, decltype(&PQfinish)> guard(conn, &PQfinish);
  // Verbose messages carry the server's SQLSTATE ("FATAL:  28P01: …"): libpq has no other way
  // to tell a refused password from an unreachable host before a connection exists.
  PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
  std::string timed_out;
  if (PQstatus(conn) == CONNECTION_BAD ||
      finish_connecting(conn, connect_timeout_of(conn), timed_out) != PGRES_POLLING_OK) {
    if (!timed_out.empty()) {
      fail(store_fault::unreachable, "cannot connect: no answer from " + timed_out + " within " +
                                         std::to_string(connect_timeout_of(conn)) +
                                         " s (connect_timeout)");
    }
    const std::string message = PQerrorMessage(conn);
    const std::string state = sqlstate_in_message(message);
    if (state.empty() && PQconnectionNeedsPassword(conn)) {
      fail(store_fault::denied,
           "cannot connect: the server asks for a password and none was given (the URI, "
           "PGPASSWORD, ~/.pgpass or PGPASSFILE, or a service file): " +
               one_line(message.c_str()));
    }
    fail(state.empty() ? store_fault::unreachable : fault_of_sqlstate(state),
         "cannot connect: " + one_line(message.c_str()));
  }
  PQsetErrorVerbosity(conn, PQERRORS_DEFAULT);
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    fail(store_fault::other,
         "cannot set the client encoding to UTF8: " + one_line(PQerrorMessage(conn)));
  }
  // bytea as hex text whatever the database or role says (decode_bytea reads that form).
  const result_ptr set = hold(PQexec(conn, "SET bytea_output = hex"));
  if (PQresultStatus(set.get()) != PGRES_COMMAND_OK) {
    fail(store_fault::other, "cannot set bytea_output: " + one_line(PQerrorMessage(conn)));
  }
  return std::make_unique<postgres_connection>(guard.release(), description, secrets);
}

}  // namespace wslcuda::history
