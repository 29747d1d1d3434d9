#include "core/io/matrix_files.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

namespace attnlab {

// .npy stores little-endian numbers and we copy them as they are.
static_assert(std::endian::native == std::endian::little, "attnlab reads .npy data on little-endian hosts only");

namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Every member spelled out: GCC 12 warns (-Wmissing-field-initializers) on omitted ones.
InputLocation at(const std::filesystem::path& path, const std::string& field,
                 std::optional<long long> row = std::nullopt, std::optional<long long> column = std::nullopt) {
  return {.file = path.string(), .field = field, .row = row, .column = column};
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string gigabytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g GB", bytes / 1e9);
  return text;
}

// Reports the first non-finite entry in reading order, with its row and column.
void requireFiniteEntries(const MatrixFile& file, const std::filesystem::path& path, const std::string& field) {
  const Eigen::MatrixXd& m = file.values;
  if (m.allFinite()) return;
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      if (!std::isfinite(m(i, j)))
        throw InputError(std::string("not a finite number (") + (std::isnan(m(i, j)) ? "NaN" : "infinite") + ")",
                         at(path, field, i, file.oneDimensional ? std::nullopt : std::optional<long long>(j)));
}

// ---- .npy header -----------------------------------------------------------------------

struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<long long> shape;
  std::size_t dataOffset = 0;
};

// Finds `key: ` in numpy's header dict (a Python literal) and returns what follows the colon.
std::string_view valueAfterKey(std::string_view dict, std::string_view key) {
  for (char quote : {'\'', '"'}) {
    const std::string quoted = std::string(1, quote) + std::string(key) + quote;
    const std::size_t k = dict.find(quoted);
    if (k == std::string_view::npos) continue;
    std::size_t colon = dict.find(':', k + quoted.size());
    if (colon == std::string_view::npos) break;
    std::string_view rest = dict.substr(colon + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    return rest;
  }
  return {};
}

std::string parseDescr(std::string_view dict, const std::filesystem::path& path, const std::string& field) {
  std::string_view v = valueAfterKey(dict, "descr");
  if (v.size() < 2 || (v.front() != '\'' && v.front() != '"'))
    throw InputError("not a valid .npy header: no 'descr'", at(path, field));
  const std::size_t end = v.find(v.front(), 1);
  if (end == std::string_view::npos) throw InputError("not a valid .npy header: unterminated 'descr'", at(path, field));
  return std::string(v.substr(1, end - 1));
}

bool parseFortranOrder(std::string_view dict, const std::filesystem::path& path, const std::string& field) {
  std::string_view v = valueAfterKey(dict, "fortran_order");
  if (v.starts_with("True")) return true;
  if (v.starts_with("False")) return false;
  throw InputError("not a valid .npy header: no 'fortran_order'", at(path, field));
}

std::vector<long long> parseShape(std::string_view dict, const std::filesystem::path& path, const std::string& field) {
  std::string_view v = valueAfterKey(dict, "shape");
  const std::size_t close = v.find(')');
  if (v.empty() || v.front() != '(' || close == std::string_view::npos)
    throw InputError("not a valid .npy header: no 'shape'", at(path, field));
  std::vector<long long> shape;
  std::string_view inner = v.substr(1, close - 1);
  while (!inner.empty()) {
    while (!inner.empty() && (inner.front() == ' ' || inner.front() == ',')) inner.remove_prefix(1);
    if (inner.empty()) break;
    long long extent = 0;
    auto [end, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), extent);
    if (ec != std::errc() || extent < 0)
      throw InputError("not a valid .npy header: bad 'shape' " + std::string(v.substr(0, close + 1)), at(path, field));
    shape.push_back(extent);
    inner.remove_prefix(static_cast<std::size_t>(end - inner.data()));
  }
  return shape;
}

NpyHeader readNpyHeader(std::istream& in, const std::filesystem::path& path, const std::string& field) {
  char preamble[10];
  if (!in.read(preamble, 8) || std::memcmp(preamble, "\x93NUMPY", 6) != 0)
    throw InputError("not a .npy file (no \\x93NUMPY magic)", at(path, field));
  const int major = static_cast<unsigned char>(preamble[6]);
  if (major < 1 || major > 3)
    throw InputError("unsupported .npy format version " + std::to_string(major), at(path, field));
  // Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4 (little-endian).
  const int lengthBytes = major == 1 ? 2 : 4;
  unsigned char length[4] = {0, 0, 0, 0};
  if (!in.read(reinterpret_cast<char*>(length), lengthBytes)) throw InputError("truncated .npy header", at(path, field));
  const std::size_t headerLength = length[0] | (length[1] << 8) | (std::size_t(length[2]) << 16) | (std::size_t(length[3]) << 24);
  std::string dict(headerLength, '\0');
  if (!in.read(dict.data(), static_cast<std::streamsize>(headerLength)))
    throw InputError("truncated .npy header", at(path, field));
  return {parseDescr(dict, path, field), parseFortranOrder(dict, path, field), parseShape(dict, path, field),
          8 + static_cast<std::size_t>(lengthBytes) + headerLength};
}

int itemSize(const std::string& descr, const std::filesystem::path& path, const std::string& field) {
  if (descr == "<f8") return 8;
  if (descr == "<f4") return 4;
  if (descr == ">f8" || descr == ">f4")
    throw InputError("big-endian .npy data ('" + descr + "') are not supported; save as little-endian ('<f8')",
                     at(path, field));
  throw InputError("unsupported .npy dtype '" + descr + "' (expected float64 '<f8' or float32 '<f4')", at(path, field));
}

// Reads count little-endian floats of the given size into doubles, in file order.
std::vector<double> readNpyData(std::istream& in, std::size_t count, int size) {
  std::vector<double> out(count);
  if (size == 8) {
    in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(count * 8));
    return out;
  }
  std::vector<float> single(count);
  in.read(reinterpret_cast<char*>(single.data()), static_cast<std::streamsize>(count * 4));
  std::copy(single.begin(), single.end(), out.begin());
  return out;
}

// ---- .csv ------------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// One CSV cell as a double; nullopt when it is not entirely a number.
std::optional<double> parseNumber(std::string_view cell) {
  if (cell.starts_with('+')) cell.remove_prefix(1);
  if (cell.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (end != cell.data() + cell.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves value unset on overflow and underflow; strtod gives ±HUGE_VAL or the
    // nearest tiny value, so underflow becomes a number and overflow an infinity.
    const std::string text(cell);
    return std::strtod(text.c_str(), nullptr);
  }
  if (ec != std::errc()) return std::nullopt;
  return value;
}

void parseCsvLine(std::string_view line, long long row, std::vector<double>& values, Eigen::Index& columns,
                  const std::filesystem::path& path, const std::string& field) {
  Eigen::Index count = 0;
  for (std::size_t start = 0;; ++count) {
    const std::size_t comma = line.find(',', start);
    const std::string_view cell = trim(line.substr(start, comma == std::string_view::npos ? line.npos : comma - start));
    const std::optional<double> value = parseNumber(cell);
    if (!value)
      throw InputError(cell.empty() ? "empty entry" : "not a number: '" + std::string(cell) + "'",
                       at(path, field, row, count));
    if (!std::isfinite(*value)) throw InputError("not a finite number: '" + std::string(cell) + "'", at(path, field, row, count));
    values.push_back(*value);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  ++count;
  if (row == 0) columns = count;
  if (count != columns)
    throw InputError("ragged rows: this row has length " + std::to_string(count) + ", row 0 has length " +
                         std::to_string(columns),
                     at(path, field, row));
}

std::ofstream openForWriting(const std::filesystem::path& temporary, const std::filesystem::path& path) {
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError(std::string("cannot write: ") + std::strerror(errno), at(path, ""));
  return out;
}

// The .npy header dict, padded with spaces so that the data start on a 64-byte boundary.
std::string npyHeader(const std::string& shape) {
  std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
  auto padded = [&](std::size_t preamble) { return (preamble + dict.size() + 1 + 63) / 64 * 64 - preamble; };
  // Version 1 (10-byte preamble) holds a dict of up to 65535 bytes; longer shapes need version 2.
  const std::size_t preamble = padded(10) <= 65535 ? 10 : 12;
  dict.append(padded(preamble) - dict.size() - 1, ' ');
  dict.push_back('\n');
  std::string header = preamble == 10 ? std::string("\x93NUMPY\x01\x00", 8) : std::string("\x93NUMPY\x02\x00", 8);
  const std::size_t n = dict.size();
  for (std::size_t i = 0; i < preamble - 8; ++i) header.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return header + dict;
}

void writeNpyBytes(const std::filesystem::path& path, const std::string& shape, const double* data, std::size_t count) {
  const std::filesystem::path temporary = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out = openForWriting(temporary, path);
    const std::string header = npyHeader(shape);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(double)));
    out.close();
    if (!out) {
      const std::string reason = std::strerror(errno);
      std::filesystem::remove(temporary);
      throw InputError("cannot write: " + reason, at(path, ""));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary);
    throw InputError("cannot write: " + ec.message(), at(path, ""));
  }
}

}  // namespace

std::uint64_t physicalMemoryBytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long pageSize = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(pageSize);
}

void requireMemory(double bytes, const InputLocation& where) {
  const double available = static_cast<double>(physicalMemoryBytes());
  if (bytes > available)
    throw InputError("refused: this needs " + gigabytes(bytes) + " of memory, the machine has " + gigabytes(available),
                     where);
}

MatrixFile readMatrixFile(const std::filesystem::path& path, const std::string& field) {
  const std::string extension = lowercase(path.extension().string());
  if (extension == ".npy") return readNpy(path, field);
  if (extension == ".csv") return readCsv(path, field);
  throw InputError("unsupported matrix file '" + path.string() + "' (expected a .npy or .csv file)", at("", field));
}

MatrixFile readNpy(const std::filesystem::path& path, const std::string& field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(std::string("cannot read: ") + std::strerror(errno), at(path, field));
  const NpyHeader header = readNpyHeader(in, path, field);
  if (header.shape.empty() || header.shape.size() > 2)
    throw InputError("expected a 1-D or 2-D array, got " + std::to_string(header.shape.size()) + "-D", at(path, field));
  const int size = itemSize(header.descr, path, field);
  const long long rows = header.shape[0];
  const long long cols = header.shape.size() == 2 ? header.shape[1] : 1;
  requireMemory(static_cast<double>(rows) * static_cast<double>(cols) * 8.0, at(path, field));

  const std::size_t count = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  std::error_code ec;
  const std::uintmax_t fileSize = std::filesystem::file_size(path, ec);
  if (!ec && fileSize - header.dataOffset < count * static_cast<std::size_t>(size))
    throw InputError("truncated: the header promises " + std::to_string(count * size) + " bytes of data, the file has " +
                         std::to_string(fileSize - header.dataOffset),
                     at(path, field));
  const std::vector<double> data = readNpyData(in, count, size);
  if (!in) throw InputError("truncated: the data end early", at(path, field));

  MatrixFile file;
  file.oneDimensional = header.shape.size() == 1;
  if (header.fortranOrder || file.oneDimensional)
    file.values = Eigen::Map<const Eigen::MatrixXd>(data.data(), rows, cols);
  else
    file.values = Eigen::Map<const RowMajorMatrix>(data.data(), rows, cols);
  requireFiniteEntries(file, path, field);
  return file;
}

MatrixFile readCsv(const std::filesystem::path& path, const std::string& field) {
  std::ifstream in(path);
  if (!in) throw InputError(std::string("cannot read: ") + std::strerror(errno), at(path, field));
  std::vector<double> values;
  Eigen::Index columns = 0;
  long long rows = 0;
  std::optional<long long> blank;  // first blank line: only more blank lines may follow it
  for (std::string line; std::getline(in, line);) {
    std::string_view text = line;
    if (rows == 0 && blank == std::nullopt && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM
    if (trim(text).empty()) {
      if (!blank) blank = rows;
      continue;
    }
    if (blank) throw InputError("blank line inside the data", at(path, field, *blank));
    parseCsvLine(text, rows, values, columns, path, field);
    ++rows;
  }
  if (in.bad()) throw InputError(std::string("cannot read: ") + std::strerror(errno), at(path, field));
  MatrixFile file;
  file.values = Eigen::Map<const RowMajorMatrix>(values.data(), rows, columns);
  return file;
}

void writeNpy(const std::filesystem::path& path, const Eigen::MatrixXd& m) {
  const RowMajorMatrix rowMajor = m;
  std::string shape = "(";  // built step by step: GCC 12 misreports "(" + string (-Wrestrict)
  shape += std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + ")";
  writeNpyBytes(path, shape, rowMajor.data(), static_cast<std::size_t>(rowMajor.size()));
}

void writeNpyVector(const std::filesystem::path& path, const Eigen::VectorXd& v) {
  std::string shape = "(";  // built step by step: GCC 12 misreports "(" + string (-Wrestrict)
  shape += std::to_string(v.size());
  shape += ",)";
  writeNpyBytes(path, shape, v.data(), static_cast<std::size_t>(v.size()));
}

}  // namespace attnlab
