#pragma once
// A CUDA-free base of the errors whose codes have names (cuda_error: "cudaErrorIllegalAddress"),
// so that code built without the CUDA headers (the runner, in wslcuda_core) can record which
// error ended a row: the report's results[].error carries the name, and a lost device is decided
// from it rather than from the message.

#include <stdexcept>
#include <string>
#include <utility>

namespace wslcuda {

/// An error of a library whose codes have enumerator names. `library()` is "cuda" for CUDA
/// runtime errors (cuda_error), `code_name()` the enumerator ("cudaErrorLaunchTimeout"), and
/// `code_value()` its numeric value (702).
class named_error : public std::runtime_error {
 public:
  named_error(const std::string& what, std::string library, std::string code_name, int code_value)
      : std::runtime_error(what),
        library_(std::move(library)),
        code_name_(std::move(code_name)),
        code_value_(code_value) {}
  const std::string& library() const noexcept { return library_; }
  const std::string& code_name() const noexcept { return code_name_; }
  int code_value() const noexcept { return code_value_; }

 private:
  std::string library_;
  std::string code_name_;
  int code_value_;
};

}  // namespace wslcuda
