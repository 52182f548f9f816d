// The history store's building blocks that need no store: the run key's hash, the compressed
// report, quantiles as bytes, storable text, driver ordering, store specs and the migrations'
// dialect tokens.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "history/codec.hpp"
#include "history/migrate.hpp"
#include "history/record.hpp"
#include "history/store_spec.hpp"

namespace {

using namespace wslcuda::history;

TEST(HistoryCodec, Sha256MatchesTheFipsVectors) {
  // FIPS 180-4 examples (csrc.nist.gov, SHA256.pdf) and block-boundary lengths (hashlib).
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha256_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HistoryCodec, Sha256InPiecesIsSha256OfTheWhole) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>((i * 37) & 0xff);
  for (const std::size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 127u, 128u, 200u, 300u}) {
    sha256 h;
    h.update(std::string_view(text).substr(0, cut));
    h.update(std::string_view(text).substr(cut));
    EXPECT_EQ(h.hex(), sha256_hex(text)) << cut;
  }
  sha256 bytes;
  for (const char ch : text) bytes.update(std::string_view(&ch, 1));
  EXPECT_EQ(bytes.hex(), sha256_hex(text));
}

TEST(HistoryCodec, ZlibRoundTripsAndRefusesDamage) {
  std::string text;
  for (int i = 0; i < 1000; ++i)
    text += "{\"id\":\"gemm.cublas.bf16\",\"value\":" + std::to_string(i) + "}";
  text += std::string("\0\xff", 2);
  const std::string z = zlib_compress(text);
  EXPECT_LT(z.size(), text.size() / 4);
  EXPECT_EQ(zlib_decompress(z, text.size()), text);
  EXPECT_THROW(zlib_decompress(z, text.size() + 1), std::runtime_error);
  std::string damaged = z;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x5a);
  EXPECT_THROW(zlib_decompress(damaged, text.size()), std::runtime_error);
  EXPECT_THROW(zlib_decompress(z.substr(0, z.size() / 2), text.size()), std::runtime_error);
}

TEST(HistoryCodec, DoublesRoundTripBitForBit) {
  const std::vector<double> v = {0.0,
                                 -0.0,
                                 1.0 / 3.0,
                                 5.747935771942139e-3,
                                 std::numeric_limits<double>::denorm_min(),
                                 std::numeric_limits<double>::max(),
                                 -std::numeric_limits<double>::infinity()};
  const std::string bytes = pack_doubles(v);
  ASSERT_EQ(bytes.size(), v.size() * 8);
  EXPECT_EQ(static_cast<unsigned char>(bytes[8 * 2 + 7]),
            0x3f);  // little-endian: sign+exponent last
  const std::vector<double> back = unpack_doubles(bytes);
  ASSERT_EQ(back.size(), v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(std::signbit(back[i]), std::signbit(v[i])) << i;
    EXPECT_EQ(back[i], v[i]) << i;
  }
  EXPECT_THROW(unpack_doubles(bytes.substr(1)), std::runtime_error);
}

TEST(HistoryCodec, QuantilesRoundTripSmaller) {
  std::vector<double> q;
  for (int i = 0; i <= 100; ++i) q.push_back(5.7e-3 * (1.0 + 1e-4 * i + 1e-9 * ((i * 7919) % 13)));
  const std::string packed = pack_quantiles(q);
  EXPECT_LT(packed.size(), q.size() * 8);
  EXPECT_EQ(unpack_quantiles(packed), q);
  EXPECT_EQ(unpack_quantiles(pack_quantiles({})), std::vector<double>{});
  EXPECT_EQ(unpack_quantiles(pack_quantiles({-0.0, 1.0})).size(), 2u);
  // Unsorted, negative, non-finite values round-trip too (the differences wrap).
  const std::vector<double> odd = {3.0,
                                   -2.5,
                                   0.0,
                                   -0.0,
                                   std::numeric_limits<double>::max(),
                                   -std::numeric_limits<double>::infinity(),
                                   1e-300};
  const std::vector<double> back = unpack_quantiles(pack_quantiles(odd));
  ASSERT_EQ(back.size(), odd.size());
  for (std::size_t i = 0; i < odd.size(); ++i) {
    EXPECT_EQ(back[i], odd[i]) << i;
    EXPECT_EQ(std::signbit(back[i]), std::signbit(odd[i])) << i;
  }
  EXPECT_THROW(unpack_quantiles(""), std::runtime_error);
  EXPECT_THROW(unpack_quantiles(packed.substr(0, packed.size() - 1)), std::runtime_error);
  EXPECT_THROW(unpack_quantiles(packed + "x"), std::runtime_error);
  std::string wrong_count = packed;
  wrong_count[0] = static_cast<char>(wrong_count[0] + 1);
  EXPECT_THROW(unpack_quantiles(wrong_count), std::runtime_error);
  EXPECT_THROW(unpack_quantiles(std::string(11, '\xff')), std::runtime_error);
}

TEST(HistoryCodec, StorableTextKeepsSqlAndEscapesWhatTextCannotHold) {
  EXPECT_EQ(storable_text("it's \"quoted\"; DROP TABLE runs; --"),
            "it's \"quoted\"; DROP TABLE runs; --");
  EXPECT_EQ(storable_text("\xce\xa9 valid UTF-8"), "\xce\xa9 valid UTF-8");
  EXPECT_EQ(storable_text(std::string("nul\0byte", 8)), "nul\\x00byte");
  EXPECT_EQ(storable_text("bad \xff\xfe bytes"), "bad \\xff\\xfe bytes");
}

TEST(HistoryCodec, DriverSortKeyOrdersReleases) {
  const std::vector<std::string> ordered = {
      "", "r535", "552.22", "552.44", "560.70", "566.14", "580.65.06", "580.95.05", "580.159.04"};
  for (std::size_t i = 1; i < ordered.size(); ++i)
    EXPECT_LT(driver_sort_key(ordered[i - 1]), driver_sort_key(ordered[i]))
        << ordered[i - 1] << " < " << ordered[i];
  EXPECT_EQ(driver_sort_key("552.22"), driver_sort_key("552.22.0"));
  EXPECT_EQ(driver_sort_key("no digits"), 0);
  EXPECT_EQ(driver_sort_key("580.65.06"), ((580LL * 100000 + 65) * 100000 + 6) * 100000);
}

TEST(HistoryStoreSpec, ParsesEveryForm) {
  EXPECT_EQ(parse_store_spec("none").kind, store_kind::none);
  const store_spec s = parse_store_spec("sqlite:/tmp/x/history.db");
  EXPECT_EQ(s.kind, store_kind::sqlite);
  EXPECT_EQ(s.target, "/tmp/x/history.db");
  EXPECT_EQ(describe(s), "sqlite:/tmp/x/history.db");
  EXPECT_EQ(parse_store_spec("sqlite:relative.db").target, "relative.db");
  EXPECT_EQ(parse_store_spec("postgresql://ci@db.example/wslcuda").kind, store_kind::postgresql);
  EXPECT_EQ(parse_store_spec("postgres://db/wslcuda").kind, store_kind::postgresql);
  EXPECT_EQ(parse_store_spec("postgresql:service=fleet").kind, store_kind::postgresql);
  EXPECT_EQ(describe(parse_store_spec("postgresql:host=db password=pw")),
            "postgresql:host=db password=***");
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    EXPECT_EQ(parse_store_spec("sqlite:~/h.db").target, std::string(home) + "/h.db");
  }
  for (const char* bad : {"", "sqlite:", "/tmp/history.db", "mysql://db", "None", "sqlite"}) {
    try {
      parse_store_spec(bad, "--history");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const store_error& e) {
      EXPECT_EQ(e.kind(), store_fault::bad_spec) << bad;
      EXPECT_NE(std::string(e.what()).find("--history"), std::string::npos) << e.what();
    }
  }
}

TEST(HistoryStoreSpec, HidesThePassword) {
  store_spec s;
  s.kind = store_kind::postgresql;
  s.target = "postgresql://ci:s3cret@db.example:5432/wslcuda?sslmode=require";
  EXPECT_EQ(describe(s), "postgresql://ci:***@db.example:5432/wslcuda?sslmode=require");
  s.target = "postgresql://ci@db.example/wslcuda";
  EXPECT_EQ(describe(s), "postgresql://ci@db.example/wslcuda");
  s.target = "postgresql://db.example/wslcuda";
  EXPECT_EQ(describe(s), "postgresql://db.example/wslcuda");
  try {
    parse_store_spec("mysql://u:s3cret@db/x");
    ADD_FAILURE();
  } catch (const store_error& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
}

/// Sets an environment variable for one scope, restoring it afterwards.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~scoped_env() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(HistoryStoreSpec, DefaultFollowsXdgThenHome) {
  scoped_env home("HOME", "/home/someone");
  {
    scoped_env xdg("XDG_DATA_HOME", "/data/xdg");
    EXPECT_EQ(default_store_spec().target, "/data/xdg/wslcuda/history.db");
  }
  {
    scoped_env xdg("XDG_DATA_HOME", "relative/ignored");  // the XDG spec ignores relative paths
    EXPECT_EQ(default_store_spec().target, "/home/someone/.local/share/wslcuda/history.db");
  }
  scoped_env xdg("XDG_DATA_HOME", nullptr);
  EXPECT_EQ(default_store_spec().target, "/home/someone/.local/share/wslcuda/history.db");
  EXPECT_EQ(default_store_spec().kind, store_kind::sqlite);
}

TEST(HistoryStoreSpec, OptionBeatsEnvironmentBeatsDefault) {
  scoped_env xdg("XDG_DATA_HOME", "/data/xdg");
  {
    scoped_env env("WSLCUDA_HISTORY", "sqlite:/from/env.db");
    EXPECT_EQ(resolve_store_spec("").target, "/from/env.db");
    EXPECT_EQ(resolve_store_spec("").origin, "WSLCUDA_HISTORY");
    EXPECT_EQ(resolve_store_spec("none").kind, store_kind::none);
    EXPECT_EQ(resolve_store_spec("sqlite:/opt.db").target, "/opt.db");
  }
  {
    scoped_env env("WSLCUDA_HISTORY", "bogus");
    try {
      resolve_store_spec("");
      ADD_FAILURE();
    } catch (const store_error& e) {
      EXPECT_EQ(e.kind(), store_fault::bad_spec);
      EXPECT_NE(std::string(e.what()).find("WSLCUDA_HISTORY"), std::string::npos) << e.what();
    }
  }
  scoped_env env("WSLCUDA_HISTORY", "");
  EXPECT_EQ(resolve_store_spec("").target, "/data/xdg/wslcuda/history.db");
}

TEST(HistoryStoreSpec, NoneIsAUsageErrorAndAnUnreachableServerIsNot) {
  try {
    open_store(parse_store_spec("none"));
    ADD_FAILURE();
  } catch (const store_error& e) {
    EXPECT_EQ(e.kind(), store_fault::bad_spec);
  }
  // Port 1 of this machine: refused at once. The environment's fault, its password hidden.
  try {
    open_store(parse_store_spec("postgresql://u:pw@127.0.0.1:1/x?connect_timeout=2"));
    ADD_FAILURE();
  } catch (const store_error& e) {
    EXPECT_EQ(e.kind(), store_fault::unreachable) << e.what();
    EXPECT_NE(std::string(e.what()).find("postgresql://u:***@127.0.0.1:1/x"), std::string::npos)
        << e.what();
    EXPECT_EQ(std::string(e.what()).find("pw@"), std::string::npos) << e.what();
  }
}

TEST(HistoryMigrations, EmbeddedInOrderWithDialectTokens) {
  const auto& all = migrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
  EXPECT_EQ(all.front().name, "initial");
  EXPECT_EQ(latest_schema_version(), all.back().version);
  const std::string lite = render_sql(all.front().sql, dialect::sqlite);
  const std::string pg = render_sql(all.front().sql, dialect::postgresql);
  EXPECT_EQ(lite.find("{{"), std::string::npos);
  EXPECT_EQ(pg.find("{{"), std::string::npos);
  EXPECT_NE(lite.find("id INTEGER PRIMARY KEY,"), std::string::npos);
  EXPECT_NE(pg.find("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"), std::string::npos);
  EXPECT_NE(lite.find(") STRICT;"), std::string::npos);
  EXPECT_EQ(pg.find("STRICT;"), std::string::npos);
  EXPECT_NE(pg.find("quantiles BYTEA"), std::string::npos);
  EXPECT_NE(pg.find("median_s DOUBLE PRECISION"), std::string::npos);
  EXPECT_THROW(render_sql("CREATE TABLE t (x {{UUID}})", dialect::sqlite), std::logic_error);
  EXPECT_THROW(render_sql("CREATE TABLE t (x {{INT", dialect::sqlite), std::logic_error);
}

}  // namespace
