#pragma once
// Shared by the libFuzzer targets: a reader may reject its input only with input_error; any
// other exception, a crash or a sanitizer report is a bug.

#include <cstddef>
#include <cstdint>
#include <string>

#include "model/json_reader.hpp"
#include "model/row_json.hpp"

namespace wslcuda::fuzz {

/// Parses the bytes as a document with the limits wslcuda uses, then hands it to `read`.
template <typename Reader>
int run(const std::uint8_t* data, std::size_t size, Reader read) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    read(parse_json_text(text, "fuzz.json"));
  } catch (const input_error&) {
    // the expected way to say no
  }
  return 0;
}

}  // namespace wslcuda::fuzz
