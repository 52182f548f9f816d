#pragma once
// Byte-level helpers of the history store: the run key's hash (SHA-256), the compressed report
// (zlib), an execution's quantiles as bytes, and text made storable in both dialects.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wslcuda::history {

/// SHA-256 (FIPS 180-4, §6.2) fed in pieces: update() any number of times, then hex() once.
class sha256 {
 public:
  sha256();
  void update(std::string_view bytes);
  /// The digest as 64 lowercase hex digits; the object is spent afterwards.
  std::string hex();

 private:
  std::uint32_t h_[8];
  unsigned char block_[64];
  std::size_t used_ = 0;     ///< bytes in block_
  std::uint64_t total_ = 0;  ///< bytes fed so far
};

/// SHA-256 of `bytes` as 64 lowercase hex digits (checked against FIPS 180-4's test vectors
/// "abc", "" and the 448-bit message in tests/unit/history_codec_test.cpp).
std::string sha256_hex(std::string_view bytes);

/// `bytes` compressed with zlib (RFC 1950, deflate level 6). Throws std::runtime_error when zlib
/// fails (out of memory).
std::string zlib_compress(std::string_view bytes);

/// The inverse of zlib_compress. `expected_size` is the original size (stored beside the bytes);
/// throws std::runtime_error when the data is damaged or does not inflate to that size.
std::string zlib_decompress(std::string_view compressed, std::size_t expected_size);

/// Doubles as little-endian IEEE 754 binary64, 8 bytes each.
std::string pack_doubles(const std::vector<double>& values);

/// The inverse of pack_doubles. Throws std::runtime_error when the size is not a multiple of 8.
std::vector<double> unpack_doubles(std::string_view bytes);

/// Doubles as the store keeps an execution's quantiles, exactly and about 20 % smaller than
/// pack_doubles: the count, then each value's IEEE 754 bits minus the previous value's bits (the
/// first minus 0) as a zigzag LEB128 varint (both as Protocol Buffers encode sint64). Sorted
/// positive doubles have increasing bit patterns, so the differences are small: a timing's
/// quantiles share sign, exponent and leading mantissa bits. Far cheaper than deflate on
/// 808-byte pieces, and as small on the H200 reports.
std::string pack_quantiles(const std::vector<double>& values);
/// The inverse of pack_quantiles. Throws std::runtime_error for damaged bytes.
std::vector<double> unpack_quantiles(std::string_view bytes);

/// `text` as both SQLite and PostgreSQL text hold it: valid UTF-8 without NUL. Bytes that are not
/// UTF-8 and NUL become the four characters `\xNN` (as the report's JSON writer writes invalid
/// bytes: model/printable.hpp utf8_escaped); anything else, quotes and SQL included, is kept.
/// The exact report is kept in the compressed report, so nothing is lost.
std::string storable_text(const std::string& text);

}  // namespace wslcuda::history
