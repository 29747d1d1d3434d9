// Files written so that no reader ever sees half of one (architecture.md, "Errors"): the
// bytes go to a hidden temporary name beside the target, are flushed, and the temporary is
// renamed over the target — on POSIX a rename within a directory is atomic. On any failure
// the temporary is removed and the target is left as it was.
#pragma once
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace attnlab {

// Calls write(stream) and commits the result to `path`. Throws InputError naming the file
// (and `field`, e.g. "--out", when given) if the directory is missing or not writable, the
// write fails, or write() throws InputError; other exceptions from write() propagate after
// the temporary is removed.
void writeFileAtomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write,
                         const std::string& field = {});

inline void writeFileAtomically(const std::filesystem::path& path, std::string_view contents,
                                const std::string& field = {}) {
  writeFileAtomically(path, [contents](std::ostream& out) { out << contents; }, field);
}

}  // namespace attnlab
