// writeFileAtomically: a reader sees the old file or the new one, never half of one, and a
// failed write leaves neither a partial target nor a stray temporary behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/errors.hpp"
#include "core/io/atomic_file.hpp"

namespace attnlab {
namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attnlab_atomic_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }
  std::size_t entries() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), {})); }
  fs::path dir_;
};

TEST_F(AtomicFile, WritesAndReplaces) {
  const fs::path file = dir_ / "a.json";
  writeFileAtomically(file, "first");
  EXPECT_EQ(readAll(file), "first");
  writeFileAtomically(file, [](std::ostream& out) { out << "second, " << 2; });
  EXPECT_EQ(readAll(file), "second, 2");
  EXPECT_EQ(entries(), 1u);  // no temporary left
}

TEST_F(AtomicFile, MissingDirectoryNamesTheFileAndField) {
  const fs::path file = dir_ / "no" / "such" / "dir.csv";
  try {
    writeFileAtomically(file, "x", "--out");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dir.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--out"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(file));
}

TEST_F(AtomicFile, AFailingWriterLeavesTheOldFileIntact) {
  const fs::path file = dir_ / "keep.txt";
  writeFileAtomically(file, "old");
  EXPECT_THROW(writeFileAtomically(file,
                                   [](std::ostream& out) {
                                     out << "half of the new";
                                     throw std::runtime_error("computation failed");
                                   }),
               std::runtime_error);
  EXPECT_EQ(readAll(file), "old");
  EXPECT_EQ(entries(), 1u);
}

// Even root cannot rename a file over a directory: the rename step fails, the temporary goes.
TEST_F(AtomicFile, TargetThatIsADirectoryIsAnInputError) {
  fs::create_directories(dir_ / "taken");
  EXPECT_THROW(writeFileAtomically(dir_ / "taken", "x"), InputError);
  EXPECT_TRUE(fs::is_directory(dir_ / "taken"));
  EXPECT_EQ(entries(), 1u);
}

}  // namespace
}  // namespace attnlab
