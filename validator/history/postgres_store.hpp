#pragma once
// The PostgreSQL adapter of the history store: a thin layer over libpq (libpq-dev, the C
// client), behind history/store.hpp's interface. A fleet's shared server.
//
// - Statements are prepared on the server (PQprepare) once per connection and SQL text (a
//   second prepare() of the same SQL costs no round trip), with the `?` placeholders rewritten
//   to $n (history/postgres_spec.hpp) and the parameter types the server infers from the SQL
//   (PQdescribePrepared). Parameters travel in text format, converted to the inferred type: an
//   int64 as decimal, a double in its shortest exact form ("Infinity", "NaN" included), text
//   as its bytes; a blob in binary format (bytea's binary form: the bytes, NUL included). Text with
//   a NUL byte cannot be a PostgreSQL text value and is refused (store_fault::bad_value) instead of
//   being truncated; invalid UTF-8 is refused by the server (SQLSTATE 22021, also bad_value). A
//   parameter whose type the server cannot infer (`SELECT ? IS NULL`) is a prepare error: write
//   CAST(? AS …) in portable SQL.
// - Column values: int2/int4/int8/oid and bool (0/1) as int64; float4/float8 as double; numeric
//   as int64 when integral and in range (SUM of integers), else double; bytea as blob (the
//   session's bytea_output is set to hex); everything else as text.
// - The whole result of a statement is held in memory (no single-row mode), so several prepared
//   statements may be stepped in turns, as with SQLite.
// - Errors map the SQLSTATE to a store_fault (fault_of_sqlstate); a connection lost mid-run is
//   `unreachable`. Messages name the server with its password redacted and never contain it.
// - The session's client encoding is UTF8 whatever the spec or PGCLIENTENCODING says; server
//   notices (e.g. "relation already exists, skipping") are dropped, not printed.
//
// Sources: PostgreSQL 15 documentation, "34. libpq — C Library"
// (https://www.postgresql.org/docs/15/libpq.html), "Appendix A. PostgreSQL Error Codes"
// (https://www.postgresql.org/docs/15/errcodes-appendix.html).

#include <memory>
#include <string>
#include <string_view>

#include "history/store.hpp"

namespace wslcuda::history {

/// The store_fault of a five-character SQLSTATE: 08xxx (connection exception), 57P01..57P03
/// (shutdown, cannot connect now) and 3D000 (no such database) unreachable; 28xxx and 42501
/// denied; 53100 full; 53300 (too many connections), 40001, 40P01, 55P03 and 57014 (lock or
/// statement timeout) busy; 25006 read_only; XX001, XX002 corrupt; class 22 (data exception:
/// invalid UTF-8, out of range) bad_value; anything else other.
store_fault fault_of_sqlstate(std::string_view sqlstate);

/// Connects to the server a PostgreSQL spec names (history/postgres_spec.hpp: `postgresql://…`,
/// `postgres://…` or `postgresql:KEYWORDS`). libpq reads the password, TLS and service settings
/// from the spec and its own sources (PGPASSWORD, ~/.pgpass, PGPASSFILE, PGSERVICEFILE, PGHOST,
/// …); nothing is added but a fallback application name ("wslcuda") and, when neither the spec
/// nor PGCONNECT_TIMEOUT sets one, a connect timeout of 10 s per host, so that an unreachable
/// server costs a run seconds, not minutes.
/// Throws store_error: bad_spec (libpq cannot parse the spec), unreachable (no connection, the
/// timeout, the database does not exist), denied (authentication failed, no password given,
/// no pg_hba.conf entry), busy (too many connections).
std::unique_ptr<connection> open_postgresql(const std::string& spec);

}  // namespace wslcuda::history
