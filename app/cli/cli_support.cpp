#include "app/cli/cli_support.hpp"

#include <dlfcn.h>
#include <link.h>
#include <malloc.h>
#include <sys/mman.h>

#include <Eigen/Core>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <new>
#include <stdexcept>

#include "core/errors.hpp"
#include "core/io/matrix_files.hpp"

namespace attnlab::cli {
namespace {

// cli.md: exactly one line on stderr, whatever the message held.
int reportError(std::string message) {
  std::replace(message.begin(), message.end(), '\n', ' ');
  std::cerr << "attnlab: error: " << message << std::endl;
  return 2;
}

// Finds the first non-finite number; path receives its location, built only on the way
// back from a hit so that a clean document costs one pass and no strings.
bool findNonFinite(const nlohmann::ordered_json& value, std::string& path) {
  if (value.is_number_float()) return !std::isfinite(value.get<double>());
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      if (findNonFinite(value[i], path)) {
        path = "[" + std::to_string(i) + "]" + path;
        return true;
      }
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items())
      if (findNonFinite(item, path)) {
        path = "." + key + path;
        return true;
      }
  }
  return false;
}

}  // namespace

void configureApp(CLI::App& app) {
  app.name("attnlab");
  app.set_version_flag("--version", "attnlab " + std::string(kVersion));
  app.require_subcommand(0, 1);
  app.footer("Problems are JSON files (or - for standard input); results are one JSON document on stdout.\n"
             "Bad input: exit status 2 and one line 'attnlab: error: ...' on stderr.");
}

int runCli(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive as "errors" with exit code 0: CLI11 prints them.
    if (e.get_exit_code() == 0) return app.exit(e);
    return reportError(e.what());
  } catch (const std::bad_alloc&) {
    return reportError("out of memory");
  } catch (const std::exception& e) {
    // InputError and OverflowError already say what and where.
    return reportError(e.what());
  } catch (...) {
    return reportError("unexpected internal error");
  }
}

namespace {

// The code a computation runs is mapped from the page cache one 4 KB page at a time, at its first
// call: tens of such faults in a first Newton solve, a few microseconds each on a virtual
// machine, and libm's tables (exp, log, log1p) fault the same way, ~15 µs each here.
// MADV_POPULATE_READ (Linux 5.14) maps the executable segments of the program and all of libm's
// read-only ones in one call each instead (~0.1 ms for 5 MB, less than the faults it replaces);
// on an older kernel it fails and nothing changes.
int populateCodeOf(dl_phdr_info* info, std::size_t, void* libm) {
  const bool program = info->dlpi_name[0] == '\0';
  if (!program && std::strcmp(info->dlpi_name, static_cast<const char*>(libm)) != 0) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    const bool wanted = program ? (segment.p_flags & PF_X) != 0 : (segment.p_flags & PF_W) == 0;
    if (segment.p_type != PT_LOAD || !wanted) continue;
    const std::uintptr_t page = 4096, start = (info->dlpi_addr + segment.p_vaddr) & ~(page - 1);
    const std::uintptr_t end = (info->dlpi_addr + segment.p_vaddr + segment.p_memsz + page - 1) & ~(page - 1);
    (void)madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_READ);
  }
  return 0;
}

void populateCode() {
  Dl_info libm{};
  double (*log1pOfLibm)(double) = &::log1p;
  const char* name = dladdr(reinterpret_cast<void*>(log1pOfLibm), &libm) && libm.dli_fname ? libm.dli_fname : "";
  dl_iterate_phdr(populateCodeOf, const_cast<char*>(name));
}

}  // namespace

void prepareToCompute() {
  populateCode();
  mallopt(M_TRIM_THRESHOLD, 1 << 30);  // keep what is freed (the process is short-lived)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // and serve blocks up to 32 MB from that, not from mmap
  // One arena for every thread: a helper thread's first allocation would otherwise open an arena
  // of its own, whose pages are all fresh (a fault per 4 KB), while the main one keeps the pages
  // that reading the problem touched and freed.
  mallopt(M_ARENA_MAX, 1);
  (void)Eigen::l1CacheSize();           // Eigen's cache-size query, done once per process
}

nlohmann::ordered_json vectorJson(const Eigen::VectorXd& v) {
  return nlohmann::ordered_json(std::vector<double>(v.data(), v.data() + v.size()));
}

nlohmann::ordered_json matrixJson(const Eigen::MatrixXd& m) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::vector<double> row(static_cast<std::size_t>(m.cols()));
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) row[static_cast<std::size_t>(j)] = m(i, j);
    rows.push_back(row);
  }
  return rows;
}

nlohmann::ordered_json pointJson(const Problem& problem, const Eigen::VectorXd& x) {
  if (!isAttentionKind(problem.kind)) return vectorJson(x);
  const Eigen::Index d = problem.d();
  return matrixJson(Eigen::Map<const Eigen::MatrixXd>(x.data(), d, d));
}

void requireFinite(const nlohmann::ordered_json& value, const std::string& path) {
  std::string where;
  if (!findNonFinite(value, where)) return;
  if (path.empty() && where.starts_with('.')) where.erase(0, 1);
  throw OverflowError(path + where);
}

void printJson(const nlohmann::ordered_json& document) {
  requireFinite(document, "");
  std::cout << document.dump() << '\n';
  std::cout.flush();
  // A full disk or a closed stdout must not pass for success.
  if (!std::cout) throw std::runtime_error("cannot write the result to standard output");
}

void requireDenseMatrixFits(Eigen::Index dim, const std::string& option) {
  const double side = static_cast<double>(dim);
  requireMemory(8.0 * side * side, optionField(option));
}

std::uint64_t parseCount(const std::string& text, const std::string& option, std::uint64_t maximum) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);  // digits only: no sign, no exponent
  if (text.empty() || ec != std::errc() || stop != end || value > maximum)
    throw InputError("must be an integer in [0, " + std::to_string(maximum) + "] (got '" + text + "')",
                     optionField(option));
  return value;
}

InputLocation optionField(const std::string& option) {
  return {.file = "", .field = option, .row = std::nullopt, .column = std::nullopt};
}

void requireFiniteOption(double value, const std::string& option) {
  if (!std::isfinite(value)) throw InputError("must be a finite number", optionField(option));
}

}  // namespace attnlab::cli
