// Matrices stored in files: NumPy's .npy (read and write) and plain .csv (read).
// Any matrix or vector field of a problem may name such a file (cli.md, "Problems").
//
// .npy: float64 or float32, little-endian, C or Fortran order, 1-D or 2-D, header
// versions 1, 2 and 3. .csv: one row per line, numbers separated by commas, no header;
// blank lines are allowed only at the end. Every rejection is an InputError naming the
// file, the field that referenced it, and (for a bad entry) its 0-based row and column.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/errors.hpp"

namespace attnlab {

// What a file held: the values, and whether the file said "vector" (a 1-D .npy array,
// stored here as one column) rather than a matrix.
struct MatrixFile {
  Eigen::MatrixXd values;
  bool oneDimensional = false;
};

// Reads path as .npy or .csv, chosen by the extension (case-insensitive).
// field names the problem field for error messages ("A", "b", ...).
MatrixFile readMatrixFile(const std::filesystem::path& path, const std::string& field);
MatrixFile readNpy(const std::filesystem::path& path, const std::string& field);
MatrixFile readCsv(const std::filesystem::path& path, const std::string& field);

// Writes a float64, C-order .npy: 2-D (rows, cols) or 1-D (n). The data go to a temporary
// name beside path first and are renamed over it, so no reader sees half a file.
void writeNpy(const std::filesystem::path& path, const Eigen::MatrixXd& m);
void writeNpyVector(const std::filesystem::path& path, const Eigen::VectorXd& v);

// Physical memory of this machine in bytes (sysconf), the budget for refusing inputs.
std::uint64_t physicalMemoryBytes();

// Refuses, before anything is allocated, work whose data would take more than the machine's
// physical memory: throws InputError at `where` saying how much was asked for.
// bytes is a double so that products of huge sizes cannot wrap around.
void requireMemory(double bytes, const InputLocation& where);

}  // namespace attnlab
