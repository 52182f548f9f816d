#pragma once
// The text side of the PostgreSQL adapter, without libpq: which --history specs name a
// PostgreSQL server, the spec with its password redacted for messages, and the rewriting of the
// portable DML's `?` placeholders into PostgreSQL's $1, $2, ….
//
// Spec forms (docs/fleet.md):
//   postgresql://[user[:password]@][host][:port][,…][/dbname][?key=value&…]   libpq's URI
//   postgres://…                                                            the same
//   postgresql:KEYWORDS      a libpq keyword string, e.g. `postgresql:host=db dbname=fleet`,
//                            `postgresql:service=fleet`, or `postgresql:` (every setting from
//                            PGHOST, PGDATABASE, … and the service file)
// Everything after the prefix goes to libpq untouched (URIs whole): credentials come from
// libpq's own sources (PGPASSWORD, ~/.pgpass, PGPASSFILE, a service file) and TLS settings
// (sslmode, sslrootcert, …) pass through.
//
// Source of the grammars: PostgreSQL 15 documentation, "34.1.1. Connection Strings"
// (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING), and libpq's
// parsers conninfo_uri_parse_options and conninfo_parse (src/interfaces/libpq/fe-connect.c),
// whose reading of the user-info part (up to the first '@' before any '/') and of quoted values
// the redaction follows.

#include <string>
#include <string_view>
#include <vector>

namespace wslcuda::history {

/// True when `spec` names a PostgreSQL server: it starts with `postgresql://`, `postgres://` or
/// `postgresql:`.
bool is_postgresql_spec(std::string_view spec);

/// The libpq connection string of a PostgreSQL spec: the URI itself, or the keyword string
/// after `postgresql:`. Precondition: is_postgresql_spec(spec).
std::string postgresql_conninfo(std::string_view spec);

/// A spec for messages: every password replaced by "***" (a URI's user-info password and its
/// `password` query parameter, whatever its scheme, so that a mistyped one hides it too; a
/// percent-encoded parameter name included; a keyword string's `password`
/// value, quoted or not; a URI nested in any keyword value). Never throws on malformed input:
/// an unterminated quote or user info hides everything after it.
std::string redact_postgresql_spec(std::string_view spec);

/// The passwords a spec carries, as written and as libpq decodes them (percent-decoding in a
/// URI, backslash escapes in a keyword string), non-empty ones only: what a message must never
/// contain even when libpq echoes part of the spec (e.g. its "invalid percent-encoded token").
std::vector<std::string> postgresql_spec_secrets(std::string_view spec);

/// `text` with every occurrence of every secret replaced by "***".
std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets);

/// Rewrites the `?` placeholders of `sql` to $1, $2, … in order, leaving alone every `?` inside
/// a string constant ('…', E'…' with backslash escapes, $tag$…$tag$), a quoted identifier
/// ("…") or a comment (-- to the end of the line, nested /* … */). `parameters` receives the
/// number of placeholders. Every other `?` is a placeholder: PostgreSQL's jsonb operators `?`,
/// `?|`, `?&` cannot be written in the portable DML (use jsonb_exists instead).
/// Source of the lexical rules: PostgreSQL 15 documentation, "4.1. Lexical Structure".
std::string to_dollar_placeholders(std::string_view sql, int& parameters);

}  // namespace wslcuda::history
