#include "app/export/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/errors.hpp"

namespace attnlab::exporting {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& why) {
  throw InputError("cannot write: " + why, fileLocation(path));
}

// Writes everything, retrying short writes and interruptions.
bool writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

InputLocation fileLocation(const std::filesystem::path& path) {
  return InputLocation{path.string(), "", std::nullopt, std::nullopt};
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
  if (path.filename().empty()) fail(path, "not a file name");
  const std::filesystem::path dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  std::string temp = (dir / std::string(".").append(path.filename().string()).append(".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());  // a fresh name: concurrent writers never share one
  if (fd < 0) fail(path, std::strerror(errno));
  const auto discard = [&](const std::string& why) {
    ::unlink(temp.c_str());
    fail(path, why);
  };
  if (!writeAll(fd, bytes)) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    discard(why);
  }
  // mkstemp creates 0600; a figure is for sharing. (Reading the umask would mean setting
  // it, which races with other threads.)
  ::fchmod(fd, 0644);
  if (::close(fd) != 0) discard(std::strerror(errno));
  if (::rename(temp.c_str(), path.c_str()) != 0) discard(std::strerror(errno));
}

}  // namespace attnlab::exporting
