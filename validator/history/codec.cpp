#include "history/codec.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "model/printable.hpp"

namespace wslcuda::history {
namespace {

// SHA-256 round constants: the first 32 bits of the fractional parts of the cube roots of the
// first 64 primes (FIPS 180-4, §4.2.2).
constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

void compress_block(std::uint32_t* h, const unsigned char* block) {
  std::array<std::uint32_t, 64> w{};
  for (int t = 0; t < 16; ++t)
    w[t] = (std::uint32_t{block[4 * t]} << 24) | (std::uint32_t{block[4 * t + 1]} << 16) |
           (std::uint32_t{block[4 * t + 2]} << 8) | std::uint32_t{block[4 * t + 3]};
  for (int t = 16; t < 64; ++t) {
    const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int t = 0; t < 64; ++t) {
    const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const std::uint32_t ch = (e & f) ^ (~e & g);
    const std::uint32_t t1 = k + s1 + ch + kRound[t] + w[t];
    const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    const std::uint32_t t2 = s0 + maj;
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += k;
}

}  // namespace

sha256::sha256()
    // Initial hash value: the first 32 bits of the fractional parts of the square roots of the
    // first 8 primes (FIPS 180-4, §5.3.3).
    : h_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19},
      block_{} {}

void sha256::update(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  total_ += n;
  if (used_ > 0) {
    const std::size_t take = std::min(n, sizeof block_ - used_);
    std::memcpy(block_ + used_, p, take);
    used_ += take;
    p += take;
    n -= take;
    if (used_ < sizeof block_) return;
    compress_block(h_, block_);
    used_ = 0;
  }
  for (; n >= 64; n -= 64, p += 64) compress_block(h_, p);
  std::memcpy(block_, p, n);
  used_ = n;
}

std::string sha256::hex() {
  // Padding (§5.1.1): 0x80, zeros, the length in bits as a 64-bit big-endian number.
  const std::uint64_t bits = total_ * 8;
  block_[used_++] = 0x80;
  if (used_ > 56) {
    std::memset(block_ + used_, 0, sizeof block_ - used_);
    compress_block(h_, block_);
    used_ = 0;
  }
  std::memset(block_ + used_, 0, 56 - used_);
  for (int i = 0; i < 8; ++i) block_[63 - i] = static_cast<unsigned char>(bits >> (8 * i));
  compress_block(h_, block_);
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const std::uint32_t word : h_)
    for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(word >> shift) & 0xf];
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  sha256 h;
  h.update(bytes);
  return h.hex();
}

std::string zlib_compress(std::string_view bytes) {
  // One deflate state per thread, reset between calls: compress2 would allocate and free its
  // 256 KiB state for every execution's quantiles, and the page faults cost more than deflating.
  struct deflater {
    z_stream z{};
    bool ready = false;
    ~deflater() {
      if (ready) deflateEnd(&z);
    }
  };
  thread_local deflater d;
  if (!d.ready) {
    if (deflateInit(&d.z, 6) != Z_OK) throw std::runtime_error("zlib deflateInit failed");
    d.ready = true;
  } else if (deflateReset(&d.z) != Z_OK) {
    throw std::runtime_error("zlib deflateReset failed");
  }
  std::string out(deflateBound(&d.z, static_cast<uLong>(bytes.size())), '\0');
  d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  d.z.avail_in = static_cast<uInt>(bytes.size());
  d.z.next_out = reinterpret_cast<Bytef*>(out.data());
  d.z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&d.z, Z_FINISH);
  if (rc != Z_STREAM_END)
    throw std::runtime_error("zlib deflate failed (" + std::to_string(rc) + ")");
  out.resize(d.z.total_out);
  return out;
}

std::string zlib_decompress(std::string_view compressed, std::size_t expected_size) {
  std::string out(expected_size, '\0');
  uLongf size = static_cast<uLongf>(expected_size);
  const int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &size,
                            reinterpret_cast<const Bytef*>(compressed.data()),
                            static_cast<uLong>(compressed.size()));
  if (rc != Z_OK || size != expected_size)
    throw std::runtime_error("stored bytes do not inflate to their recorded size (zlib " +
                             std::to_string(rc) + ")");
  return out;
}

std::string pack_doubles(const std::vector<double>& values) {
  std::string out(values.size() * 8, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &values[i], 8);
    for (int b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  return out;
}

std::vector<double> unpack_doubles(std::string_view bytes) {
  if (bytes.size() % 8 != 0)
    throw std::runtime_error("stored quantiles of " + std::to_string(bytes.size()) +
                             " bytes: not a whole number of doubles");
  std::vector<double> out(bytes.size() / 8);
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::uint64_t bits = 0;
    for (int b = 0; b < 8; ++b)
      bits |= std::uint64_t{static_cast<unsigned char>(bytes[i * 8 + b])} << (8 * b);
    std::memcpy(&out[i], &bits, 8);
  }
  return out;
}

namespace {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

std::uint64_t get_varint(std::string_view bytes, std::size_t& at) {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= bytes.size()) throw std::runtime_error("stored quantiles: cut short");
    const auto b = static_cast<unsigned char>(bytes[at++]);
    v |= std::uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return v;
  }
  throw std::runtime_error("stored quantiles: a number longer than 64 bits");
}

}  // namespace

std::string pack_quantiles(const std::vector<double>& values) {
  std::string out;
  out.reserve(values.size() * 5 + 2);
  put_varint(out, values.size());
  std::uint64_t previous = 0;
  for (const double v : values) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, 8);
    const std::uint64_t delta = bits - previous;  // modulo 2^64, read as signed
    previous = bits;
    put_varint(out, (delta << 1) ^ (0 - (delta >> 63)));  // zigzag
  }
  return out;
}

std::vector<double> unpack_quantiles(std::string_view bytes) {
  std::size_t at = 0;
  const std::uint64_t n = get_varint(bytes, at);
  if (n > bytes.size()) throw std::runtime_error("stored quantiles: more values than bytes");
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(n));
  std::uint64_t bits = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t z = get_varint(bytes, at);
    bits += (z >> 1) ^ (0 - (z & 1));
    double v = 0.0;
    std::memcpy(&v, &bits, 8);
    out.push_back(v);
  }
  if (at != bytes.size()) throw std::runtime_error("stored quantiles: bytes after the last value");
  return out;
}

std::string storable_text(const std::string& text) {
  const std::string valid = utf8_escaped(text);
  if (valid.find('\0') == std::string::npos) return valid;
  std::string out;
  out.reserve(valid.size() + 8);
  for (const char ch : valid) {
    if (ch == '\0')
      out += "\\x00";
    else
      out += ch;
  }
  return out;
}

}  // namespace wslcuda::history
