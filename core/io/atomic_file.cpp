#include "core/io/atomic_file.hpp"

#include <atomic>
#include <fstream>
#include <thread>

#include "core/errors.hpp"

namespace attnlab {
namespace fs = std::filesystem;
namespace {

// Unique within the process (two threads saving at once) and across processes (the hash of
// the thread id differs; the counter keeps one thread's consecutive writes apart).
fs::path temporaryBeside(const fs::path& path) {
  static std::atomic<unsigned long> counter{0};
  const auto thread = std::hash<std::thread::id>{}(std::this_thread::get_id());
  return path.parent_path() /
         ("." + path.filename().string() + ".tmp-" + std::to_string(thread % 1000000007) + "-" + std::to_string(++counter));
}

}  // namespace

void writeFileAtomically(const fs::path& path, const std::function<void(std::ostream&)>& write,
                         const std::string& field) {
  const fs::path temp = temporaryBeside(path);
  const InputLocation where{path.string(), field, {}, {}};
  auto discard = [&] {
    std::error_code ignored;
    fs::remove(temp, ignored);
  };
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError("cannot create a file there (missing directory or no permission)", where);
    try {
      write(out);
    } catch (...) {
      out.close();
      discard();
      throw;
    }
    out.flush();
    if (!out) {
      out.close();
      discard();
      throw InputError("write failed (disk full?)", where);
    }
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    discard();
    throw InputError("cannot replace the file: " + ec.message(), where);
  }
}

}  // namespace attnlab
