// Files that are either written whole or not at all: the bytes go to a hidden temporary
// name in the target's directory (same file system, so the rename is atomic), then are
// renamed over the target. A failure removes the temporary and throws InputError naming
// the target; a reader never sees half a figure.
#pragma once
#include <filesystem>
#include <string_view>

#include "core/errors.hpp"

namespace attnlab::exporting {

// Where an error about writing `path` sits: what() reads "<path>: <message>".
InputLocation fileLocation(const std::filesystem::path& path);

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace attnlab::exporting
