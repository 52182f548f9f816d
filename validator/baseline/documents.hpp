#pragma once
// Reading the documents `compare`, `gate`, `baseline capture` and `run --baseline` take: a wslcuda
// report or a baseline, told apart by `kind` / `tool`, as one comparable document.

#include <filesystem>
#include <string>

#include "baseline/baseline.hpp"
#include "model/json.hpp"

namespace wslcuda {

/// Reads a report or a baseline (told apart by `kind` / `tool`). Throws input_error naming the
/// file and the JSON pointer for anything malformed: wrong types, an unknown schema major,
/// duplicate ids, non-positive or non-finite samples.
comparable_document load_comparable(const std::filesystem::path& path);

/// The same from an already parsed document; `source` names it in errors.
comparable_document comparable_from_json(const json& doc, const std::string& source);

}  // namespace wslcuda
