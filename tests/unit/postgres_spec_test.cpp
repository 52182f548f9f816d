// The text side of the PostgreSQL adapter, no server needed: spec forms, password redaction,
// `?` → $n rewriting, SQLSTATE → store_fault.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "history/postgres_spec.hpp"
#include "history/postgres_store.hpp"

namespace wslcuda::history {
namespace {

TEST(PostgresSpec, FormsAndConninfo) {
  EXPECT_TRUE(is_postgresql_spec("postgresql://db/fleet"));
  EXPECT_TRUE(is_postgresql_spec("postgres://db/fleet"));
  EXPECT_TRUE(is_postgresql_spec("postgresql:service=fleet"));
  EXPECT_TRUE(is_postgresql_spec("postgresql:"));
  EXPECT_FALSE(is_postgresql_spec("sqlite:/tmp/h.db"));
  EXPECT_FALSE(is_postgresql_spec("/tmp/postgresql:x"));
  EXPECT_FALSE(is_postgresql_spec("postgres:host=x"));  // keyword form: postgresql: only
  EXPECT_EQ(postgresql_conninfo("postgres://u@db/fleet"), "postgres://u@db/fleet");
  EXPECT_EQ(postgresql_conninfo("postgresql:host=db dbname=fleet"), "host=db dbname=fleet");
  EXPECT_EQ(postgresql_conninfo("postgresql:"), "");
}

TEST(PostgresSpec, UriPasswordsAreRedacted) {
  EXPECT_EQ(
      redact_postgresql_spec("postgresql://ci:s3cret@db.example:5432/fleet?sslmode=verify-full"),
      "postgresql://ci:***@db.example:5432/fleet?sslmode=verify-full");
  EXPECT_EQ(redact_postgresql_spec("postgres://ci:p%40ss?word#x@h1:1,h2:2/f"),
            "postgres://ci:***@h1:1,h2:2/f");
  EXPECT_EQ(redact_postgresql_spec("postgresql://ci@db/fleet?password=abc&sslmode=require"),
            "postgresql://ci@db/fleet?password=***&sslmode=require");
  EXPECT_EQ(redact_postgresql_spec("postgresql://db/fleet?pass%77ord=abc"),
            "postgresql://db/fleet?pass%77ord=***");
  EXPECT_EQ(redact_postgresql_spec("postgresql://ci:@db/fleet"), "postgresql://ci:@db/fleet");
  EXPECT_EQ(redact_postgresql_spec("postgresql://ci@db/fleet"), "postgresql://ci@db/fleet");
  EXPECT_EQ(redact_postgresql_spec("postgresql://db:5432/fleet"), "postgresql://db:5432/fleet");
  // No '@' before the first '/': libpq reads no user info, so there is none to hide.
  EXPECT_EQ(redact_postgresql_spec("postgresql://db/a@b"), "postgresql://db/a@b");
  // A mistyped scheme is no store, and its message hides the password all the same.
  EXPECT_EQ(redact_postgresql_spec("postgrsql://ci:s3cret@db/fleet"),
            "postgrsql://ci:***@db/fleet");
}

TEST(PostgresSpec, KeywordPasswordsAreRedacted) {
  EXPECT_EQ(redact_postgresql_spec("postgresql:host=db password=s3cret dbname=fleet"),
            "postgresql:host=db password=*** dbname=fleet");
  EXPECT_EQ(redact_postgresql_spec("postgresql:password = 'it\\'s a secret' user=ci"),
            "postgresql:password = '***' user=ci");
  EXPECT_EQ(redact_postgresql_spec("postgresql:password=a\\ b"), "postgresql:password=***");
  EXPECT_EQ(redact_postgresql_spec("postgresql:password='unterminated"),
            "postgresql:password='***'");
  // A URI inside a value (libpq does not expand it, the server may echo it).
  EXPECT_EQ(redact_postgresql_spec("postgresql:dbname=postgresql://u:pw@h/d"),
            "postgresql:dbname='postgresql://u:***@h/d'");
  EXPECT_EQ(redact_postgresql_spec("postgresql:service=fleet"), "postgresql:service=fleet");
}

TEST(PostgresSpec, SecretsAreScrubbedFromAnyText) {
  const auto secrets = postgresql_spec_secrets("postgresql://ci:p%40ss@db/f?password=other");
  EXPECT_EQ(secrets, (std::vector<std::string>{"p%40ss", "p@ss", "other"}));
  EXPECT_EQ(scrub_secrets("invalid percent-encoded token: \"p%40ss\"; p@ss; other", secrets),
            "invalid percent-encoded token: \"***\"; ***; ***");
  EXPECT_EQ(postgresql_spec_secrets("postgresql:password='a\\'b'"),
            (std::vector<std::string>{"a\\'b", "a'b"}));
  EXPECT_TRUE(postgresql_spec_secrets("postgresql://db/f").empty());
}

TEST(PostgresSpec, PlaceholdersOutsideLiteralsBecomeNumbered) {
  int n = 0;
  EXPECT_EQ(to_dollar_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)", n),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(to_dollar_placeholders("SELECT '?', 'it''s ?', \"col?\", \"a\"\"?\" , ?", n),
            "SELECT '?', 'it''s ?', \"col?\", \"a\"\"?\" , $1");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(to_dollar_placeholders("SELECT E'\\'?', e'?\\\\', ? -- ?\n, ? /* ? /* ? */ ? */ ?", n),
            "SELECT E'\\'?', e'?\\\\', $1 -- ?\n, $2 /* ? /* ? */ ? */ $3");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(to_dollar_placeholders("SELECT $$?$$, $tag$ ? $x$ ? $tag$, a$b, ?", n),
            "SELECT $$?$$, $tag$ ? $x$ ? $tag$, a$b, $1");
  EXPECT_EQ(n, 1);
  // An identifier ending in E is not an escape string's prefix; unterminated text stays text.
  EXPECT_EQ(to_dollar_placeholders("SELECT name'x\\', ?, 'open ?", n),
            "SELECT name'x\\', $1, 'open ?");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(to_dollar_placeholders("", n), "");
  EXPECT_EQ(n, 0);
}

TEST(PostgresSpec, SqlstatesMapToFaults) {
  EXPECT_EQ(fault_of_sqlstate("08006"), store_fault::unreachable);
  EXPECT_EQ(fault_of_sqlstate("08001"), store_fault::unreachable);
  EXPECT_EQ(fault_of_sqlstate("57P01"), store_fault::unreachable);
  EXPECT_EQ(fault_of_sqlstate("3D000"), store_fault::unreachable);
  EXPECT_EQ(fault_of_sqlstate("28P01"), store_fault::denied);
  EXPECT_EQ(fault_of_sqlstate("28000"), store_fault::denied);
  EXPECT_EQ(fault_of_sqlstate("42501"), store_fault::denied);
  EXPECT_EQ(fault_of_sqlstate("53100"), store_fault::full);
  EXPECT_EQ(fault_of_sqlstate("40001"), store_fault::busy);
  EXPECT_EQ(fault_of_sqlstate("40P01"), store_fault::busy);
  EXPECT_EQ(fault_of_sqlstate("53300"), store_fault::busy);
  EXPECT_EQ(fault_of_sqlstate("25006"), store_fault::read_only);
  EXPECT_EQ(fault_of_sqlstate("XX001"), store_fault::corrupt);
  EXPECT_EQ(fault_of_sqlstate("22021"), store_fault::bad_value);
  EXPECT_EQ(fault_of_sqlstate("22003"), store_fault::bad_value);
  EXPECT_EQ(fault_of_sqlstate("23505"), store_fault::other);
  EXPECT_EQ(fault_of_sqlstate("42601"), store_fault::other);
  EXPECT_EQ(fault_of_sqlstate(""), store_fault::other);
}

}  // namespace
}  // namespace wslcuda::history
