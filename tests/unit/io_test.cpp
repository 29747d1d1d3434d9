// core/io (JSON problems, .npy and .csv matrices) and core/regression/generate: every
// accepted format read back exactly, every rejection an InputError that says where.
#include <gtest/gtest.h>
#include <unistd.h>

#include <Eigen/SVD>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/io/json_problem.hpp"
#include "core/io/matrix_files.hpp"
#include "core/regression/generate.hpp"

namespace attnlab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A fresh directory per test, removed afterwards.
class IoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("attnlab_io_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path file(const std::string& name) const { return dir_ / name; }

  fs::path writeText(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }

  fs::path dir_;
};

// A .npy written byte by byte, independently of writeNpy: any dtype, order and version.
std::string rawNpy(const std::string& descr, bool fortran, const std::string& shape, const std::string& data,
                   int version = 1) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                     ", 'shape': " + shape + ", }";
  const std::size_t preamble = version == 1 ? 10 : 12;
  while ((preamble + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(version);
  out += '\0';
  for (std::size_t i = 0; i < preamble - 8; ++i) out += static_cast<char>((dict.size() >> (8 * i)) & 0xff);
  return out + dict + data;
}

template <class T>
std::string bytesOf(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// Runs f, expects an InputError, and returns it for inspection.
InputError inputErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an InputError";
  return InputError("none");
}

Eigen::MatrixXd sample3x2() {
  Eigen::MatrixXd m(3, 2);
  m << 1.5, -2.25, 3.125, 1e-300, -7, 0.1;
  return m;
}

// ---- .npy --------------------------------------------------------------------------------

TEST_F(IoTest, NpyFloat64RoundTripIsExact) {
  const Eigen::MatrixXd m = sample3x2();
  writeNpy(file("m.npy"), m);
  const MatrixFile back = readNpy(file("m.npy"), "A");
  EXPECT_FALSE(back.oneDimensional);
  EXPECT_EQ(back.values, m);
  EXPECT_FALSE(fs::exists(file("m.npy").string() + ".tmp." + std::to_string(::getpid())));
}

TEST_F(IoTest, NpyVectorRoundTripIsOneDimensional) {
  Eigen::VectorXd v(4);
  v << 0.1, 0.2, 0.3, 0.4;
  writeNpyVector(file("v.npy"), v);
  const MatrixFile back = readMatrixFile(file("v.npy"), "b");
  EXPECT_TRUE(back.oneDimensional);
  ASSERT_EQ(back.values.cols(), 1);
  EXPECT_EQ(Eigen::VectorXd(back.values.col(0)), v);
}

TEST_F(IoTest, NpyHeaderIsPaddedTo64Bytes) {
  writeNpy(file("m.npy"), sample3x2());
  std::ifstream in(file("m.npy"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const std::size_t headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  EXPECT_EQ((10 + headerLength) % 64, 0u);
  EXPECT_EQ(bytes.size(), 10 + headerLength + 6 * sizeof(double));
}

TEST_F(IoTest, NpyFloat32CorderIsRead) {
  const std::vector<float> data = {1.5f, 2.0f, -3.25f, 4.0f, 0.1f, 6.0f};  // 2×3, row by row
  writeText("f.npy", rawNpy("<f4", false, "(2, 3)", bytesOf(data)));
  const Eigen::MatrixXd m = readNpy(file("f.npy"), "A").values;
  ASSERT_EQ(m.rows(), 2);
  ASSERT_EQ(m.cols(), 3);
  EXPECT_EQ(m(0, 2), -3.25);
  EXPECT_EQ(m(1, 0), 4.0);
  EXPECT_EQ(m(1, 1), static_cast<double>(0.1f));
}

TEST_F(IoTest, NpyFortranOrderIsRead) {
  const std::vector<double> data = {1, 2, 3, 4, 5, 6};  // 2×3, column by column
  writeText("f.npy", rawNpy("<f8", true, "(2, 3)", bytesOf(data)));
  Eigen::MatrixXd expected(2, 3);
  expected << 1, 3, 5, 2, 4, 6;
  EXPECT_EQ(readNpy(file("f.npy"), "A").values, expected);
}

TEST_F(IoTest, NpyVersion2HeaderIsRead) {
  const std::vector<double> data = {1, 2, 3};
  writeText("v2.npy", rawNpy("<f8", false, "(3,)", bytesOf(data), 2));
  EXPECT_EQ(readNpy(file("v2.npy"), "b").values.col(0), Eigen::Vector3d(1, 2, 3));
}

TEST_F(IoTest, NpyRejectsTruncatedData) {
  const std::vector<double> data = {1, 2, 3};
  writeText("t.npy", rawNpy("<f8", false, "(2, 2)", bytesOf(data)));
  const InputError e = inputErrorOf([&] { readNpy(file("t.npy"), "A"); });
  EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  EXPECT_EQ(e.where().field, "A");
  EXPECT_EQ(e.where().file, file("t.npy").string());
}

TEST_F(IoTest, NpyRejectsTruncatedHeader) {
  writeText("h.npy", rawNpy("<f8", false, "(2, 2)", "").substr(0, 20));
  EXPECT_NE(std::string(inputErrorOf([&] { readNpy(file("h.npy"), "A"); }).what()).find("truncated"), std::string::npos);
}

TEST_F(IoTest, NpyRejectsOtherDtypes) {
  const std::vector<long long> ints = {1, 2};
  writeText("i.npy", rawNpy("<i8", false, "(2,)", bytesOf(ints)));
  EXPECT_NE(std::string(inputErrorOf([&] { readNpy(file("i.npy"), "b"); }).what()).find("dtype '<i8'"),
            std::string::npos);
  writeText("be.npy", rawNpy(">f8", false, "(2,)", std::string(16, '\0')));
  EXPECT_NE(std::string(inputErrorOf([&] { readNpy(file("be.npy"), "b"); }).what()).find("big-endian"),
            std::string::npos);
}

TEST_F(IoTest, NpyRejectsBadMagicAndThreeDimensions) {
  writeText("x.npy", "PK\x03\x04 not numpy");
  EXPECT_NE(std::string(inputErrorOf([&] { readNpy(file("x.npy"), "A"); }).what()).find("not a .npy file"),
            std::string::npos);
  writeText("3d.npy", rawNpy("<f8", false, "(1, 1, 1)", std::string(8, '\0')));
  EXPECT_NE(std::string(inputErrorOf([&] { readNpy(file("3d.npy"), "A"); }).what()).find("3-D"), std::string::npos);
}

TEST_F(IoTest, NpyNonFiniteEntryGivesRowAndColumn) {
  const std::vector<double> data = {1, 2, 3, std::numeric_limits<double>::quiet_NaN(), 5, 6};  // 3×2, C order
  writeText("nan.npy", rawNpy("<f8", false, "(3, 2)", bytesOf(data)));
  const InputError e = inputErrorOf([&] { readNpy(file("nan.npy"), "A"); });
  EXPECT_EQ(e.where().row, 1);
  EXPECT_EQ(e.where().column, 1);
  EXPECT_NE(std::string(e.what()).find("not a finite number"), std::string::npos);
}

TEST_F(IoTest, NpyHugeShapeIsRefusedBeforeAllocating) {
  writeText("huge.npy", rawNpy("<f8", false, "(1000000000, 1000000000)", std::string(64, '\0')));
  const InputError e = inputErrorOf([&] { readNpy(file("huge.npy"), "A"); });
  EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos) << e.what();
  EXPECT_EQ(e.where().field, "A");
}

TEST_F(IoTest, MissingFileAndUnknownExtensionAreErrors) {
  EXPECT_NE(std::string(inputErrorOf([&] { readMatrixFile(file("none.npy"), "A"); }).what()).find("cannot read"),
            std::string::npos);
  writeText("m.txt", "1,2\n");
  EXPECT_NE(std::string(inputErrorOf([&] { readMatrixFile(file("m.txt"), "A"); }).what()).find(".npy or .csv"),
            std::string::npos);
}

// ---- .csv --------------------------------------------------------------------------------

TEST_F(IoTest, CsvIsReadWithSpacesCrlfAndTrailingBlankLines) {
  writeText("m.csv", "1.5, -2.25\r\n3.125,1e-300\r\n -7 ,+0.1\r\n\r\n\n");
  EXPECT_EQ(readMatrixFile(file("m.csv"), "A").values, sample3x2());
}

TEST_F(IoTest, CsvRejectsNonNumbersWithRowAndColumn) {
  writeText("m.csv", "1,2\n3,abc\n");
  const InputError e = inputErrorOf([&] { readCsv(file("m.csv"), "A"); });
  EXPECT_EQ(e.where().row, 1);
  EXPECT_EQ(e.where().column, 1);
  EXPECT_EQ(e.where().field, "A");
  EXPECT_NE(std::string(e.what()).find("not a number: 'abc'"), std::string::npos) << e.what();
}

TEST_F(IoTest, CsvRejectsRaggedRowsEmptyEntriesAndInnerBlankLines) {
  writeText("ragged.csv", "1,2\n3,4,5\n");
  const InputError ragged = inputErrorOf([&] { readCsv(file("ragged.csv"), "A"); });
  EXPECT_EQ(ragged.where().row, 1);
  EXPECT_NE(std::string(ragged.what()).find("ragged"), std::string::npos);
  writeText("empty.csv", "1,,2\n");
  EXPECT_EQ(inputErrorOf([&] { readCsv(file("empty.csv"), "A"); }).where().column, 1);
  writeText("blank.csv", "1,2\n\n3,4\n");
  EXPECT_EQ(inputErrorOf([&] { readCsv(file("blank.csv"), "A"); }).where().row, 1);
}

TEST_F(IoTest, CsvRejectsNonFiniteNumbers) {
  for (const char* text : {"1,nan\n", "1,inf\n", "1,1e400\n"}) {
    writeText("n.csv", text);
    const InputError e = inputErrorOf([&] { readCsv(file("n.csv"), "A"); });
    EXPECT_EQ(e.where().column, 1) << text;
    EXPECT_NE(std::string(e.what()).find("finite"), std::string::npos) << e.what();
  }
  writeText("tiny.csv", "1e-400\n");  // underflow is a number: zero
  EXPECT_EQ(readCsv(file("tiny.csv"), "A").values(0, 0), 0.0);
}

// ---- JSON problems -----------------------------------------------------------------------

json softmaxJson() {
  return json::parse(R"({"kind": "softmax", "A": [[1, 0.5], [0.2, -1], [0, 2]], "b": [0.2, 0.3, 0.5], "x": [0, 1]})");
}

TEST_F(IoTest, JsonProblemIsReadAndValidated) {
  const Problem p = problemFromJson(softmaxJson(), dir_, "p.json");
  EXPECT_EQ(p.kind, Kind::Softmax);
  EXPECT_EQ(p.A.rows(), 3);
  EXPECT_EQ(p.A(1, 1), -1);
  EXPECT_EQ(p.b[2], 0.5);
  EXPECT_EQ(p.x[1], 1);
  EXPECT_EQ(p.l2, 0);
}

TEST_F(IoTest, MissingPointIsZerosAndUnknownFieldsAreIgnored) {
  json j = softmaxJson();
  j.erase("x");
  j["plane"] = {{"u", {1, 0}}, {"v", {0, 1}}};
  j["A1"] = "no-such-file.npy";  // a field softmax does not read
  const Problem p = problemFromJson(j, dir_, "p.json");
  EXPECT_EQ(p.x, Eigen::VectorXd::Zero(2));
}

TEST_F(IoTest, JsonEntryErrorsGiveFileFieldRowAndColumn) {
  json j = softmaxJson();
  j["A"][2][1] = "x";
  const InputError e = inputErrorOf([&] { problemFromJson(j, dir_, "problem.json"); });
  EXPECT_EQ(e.where().file, "problem.json");
  EXPECT_EQ(e.where().field, "A");
  EXPECT_EQ(e.where().row, 2);
  EXPECT_EQ(e.where().column, 1);
  EXPECT_EQ(std::string(e.what()).rfind("problem.json, field 'A', row 2, column 1: not a number", 0), 0u) << e.what();
}

TEST_F(IoTest, JsonNonFiniteValueIsRejected) {
  json j = softmaxJson();
  j["b"][1] = std::numeric_limits<double>::infinity();
  const InputError e = inputErrorOf([&] { problemFromJson(j, dir_, "p.json"); });
  EXPECT_EQ(e.where().field, "b");
  EXPECT_EQ(e.where().row, 1);
}

TEST_F(IoTest, JsonRaggedAndEmptyMatricesAreRejected) {
  json ragged = softmaxJson();
  ragged["A"][1] = {1, 2, 3};
  EXPECT_EQ(inputErrorOf([&] { problemFromJson(ragged, dir_, "p.json"); }).where().row, 1);
  json empty = softmaxJson();
  empty["A"] = json::array();
  EXPECT_NE(std::string(inputErrorOf([&] { problemFromJson(empty, dir_, "p.json"); }).what()).find("empty"),
            std::string::npos);
  json emptyRow = softmaxJson();
  emptyRow["A"] = {json::array()};
  EXPECT_NE(std::string(inputErrorOf([&] { problemFromJson(emptyRow, dir_, "p.json"); }).what()).find("empty"),
            std::string::npos);
}

TEST_F(IoTest, ShapeMismatchFromValidateNamesTheFile) {
  json j = softmaxJson();
  j["b"] = {0.5, 0.5};
  const InputError e = inputErrorOf([&] { problemFromJson(j, dir_, "p.json"); });
  EXPECT_EQ(e.where().file, "p.json");
  EXPECT_EQ(e.where().field, "b");
}

TEST_F(IoTest, KindIsRequiredAndKnown) {
  json unknown = softmaxJson();
  unknown["kind"] = "softmaxx";
  const InputError e = inputErrorOf([&] { problemFromJson(unknown, dir_, "p.json"); });
  EXPECT_EQ(e.where().field, "kind");
  EXPECT_NE(std::string(e.what()).find("unknown kind 'softmaxx'"), std::string::npos);
  json missing = softmaxJson();
  missing.erase("kind");
  EXPECT_EQ(inputErrorOf([&] { problemFromJson(missing, dir_, "p.json"); }).where().field, "kind");
  EXPECT_NE(std::string(inputErrorOf([&] { problemFromJson(json::array(), dir_, "p.json"); }).what()).find("object"),
            std::string::npos);
}

TEST_F(IoTest, MissingDataFieldIsNamed) {
  json j = softmaxJson();
  j.erase("b");
  EXPECT_EQ(inputErrorOf([&] { problemFromJson(j, dir_, "p.json"); }).where().field, "b");
}

TEST_F(IoTest, MalformedJsonGivesLineAndColumn) {
  writeText("bad.json", "{\"kind\": \"softmax\",\n \"A\": [[1, 2],]\n}");
  const InputError e = inputErrorOf([&] { readProblem(file("bad.json").string()); });
  EXPECT_EQ(e.where().file, file("bad.json").string());
  EXPECT_NE(std::string(e.what()).find("malformed JSON"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find("[json.exception"), std::string::npos) << e.what();
}

TEST_F(IoTest, NumberBeyondDoubleIsMalformedWithItsLine) {
  writeText("big.json", "{\"kind\": \"softmax\",\n\n \"b\": [1e999]}");
  const InputError e = inputErrorOf([&] { readProblem(file("big.json").string()); });
  EXPECT_NE(std::string(e.what()).find("'1e999' at line 3, column 8"), std::string::npos) << e.what();
}

TEST_F(IoTest, UnreadableFileIsAnError) {
  EXPECT_NE(std::string(inputErrorOf([&] { readProblem(file("none.json").string()); }).what()).find("cannot read"),
            std::string::npos);
  EXPECT_NE(std::string(inputErrorOf([&] { readProblem(dir_.string()); }).what()).find("directory"),
            std::string::npos);
}

TEST_F(IoTest, MatrixFilesAreRelativeToTheJsonFile) {
  fs::create_directories(file("data"));
  writeNpy(file("data/A.npy"), sample3x2());
  writeText("data/b.csv", "0.2\n0.3\n0.5\n");
  writeText("x.csv", "0.5, -1\n");  // a vector as one row
  writeText("p.json", R"({"kind": "softmax", "A": "data/A.npy", "b": "data/b.csv", "x": "x.csv"})");
  const Problem p = readProblem(file("p.json").string());
  EXPECT_EQ(p.A, sample3x2());
  EXPECT_EQ(p.b, Eigen::Vector3d(0.2, 0.3, 0.5));
  EXPECT_EQ(p.x, Eigen::Vector2d(0.5, -1));
}

TEST_F(IoTest, MatrixFileErrorsNameTheMatrixFile) {
  writeText("A.csv", "1,2\n3,oops\n0,1\n");
  writeText("p.json", R"({"kind": "softmax", "A": "A.csv", "b": [0.2, 0.3, 0.5]})");
  const InputError e = inputErrorOf([&] { readProblem(file("p.json").string()); });
  EXPECT_EQ(e.where().file, (dir_ / "A.csv").string());
  EXPECT_EQ(e.where().field, "A");
  EXPECT_EQ(e.where().row, 1);
  EXPECT_EQ(e.where().column, 1);
  writeText("q.json", R"({"kind": "softmax", "A": [[1]], "b": "b.csv"})");
  writeText("b.csv", "1,2\n3,4\n");
  EXPECT_NE(std::string(inputErrorOf([&] { readProblem(file("q.json").string()); }).what()).find("expected a vector"),
            std::string::npos);
}

TEST_F(IoTest, AttentionPointXIsStackedByColumns) {
  const json j = json::parse(R"({"kind": "attention_normalized",
      "A1": [[1, 0], [0, 1], [1, 1]], "A2": [[0.5, 0], [0, 0.5], [1, -1]],
      "B": [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]],
      "X": [[1, 2], [3, 4]]})");
  const Problem p = problemFromJson(j, dir_, "p.json");
  EXPECT_EQ(p.x, Eigen::Vector4d(1, 3, 2, 4));
  json wrong = j;
  wrong["X"] = {{1, 2, 3, 4}};
  EXPECT_EQ(inputErrorOf([&] { problemFromJson(wrong, dir_, "p.json"); }).where().field, "X");
}

TEST_F(IoTest, InfoPromptNeedsWeights) {
  json j = softmaxJson();
  j["kind"] = "infoprompt";
  EXPECT_EQ(inputErrorOf([&] { problemFromJson(j, dir_, "p.json"); }).where().field, "w");
  j["w"] = {0.1, 0.1, 0.1};
  j["l2"] = 0.5;
  const Problem p = problemFromJson(j, dir_, "p.json");
  EXPECT_EQ(p.w, Eigen::Vector3d::Constant(0.1));
  EXPECT_EQ(p.l2, 0.5);
}

// ---- generate ----------------------------------------------------------------------------

double largestSingularValue(const Eigen::MatrixXd& m) {
  return Eigen::JacobiSVD<Eigen::MatrixXd>(m).singularValues()(0);
}

TEST(Generate, SameSeedGivesBitIdenticalInstances) {
  const GenerateSpec spec{.n = 40, .d = 6, .R = 4, .seed = 7, .noise = 0.01, .w = std::nullopt};
  const Problem a = generateProblem(Kind::InfoPrompt, spec);
  const Problem b = generateProblem(Kind::InfoPrompt, spec);
  EXPECT_EQ(std::memcmp(a.A.data(), b.A.data(), sizeof(double) * a.A.size()), 0);
  EXPECT_EQ(std::memcmp(a.b.data(), b.b.data(), sizeof(double) * a.b.size()), 0);
  GenerateSpec other = spec;
  other.seed = 8;
  EXPECT_NE(generateProblem(Kind::InfoPrompt, other).A, a.A);
}

TEST(Generate, VectorKindHasNormRAndProbabilityTarget) {
  for (const double R : {0.5, 4.0, 16.0}) {
    const Problem p = generateProblem(Kind::Softmax, {.n = 64, .d = 8, .R = R, .seed = 1, .noise = 0, .w = std::nullopt});
    ASSERT_EQ(p.A.rows(), 64);
    ASSERT_EQ(p.A.cols(), 8);
    EXPECT_NEAR(largestSingularValue(p.A), R, 1e-12 * R);
    EXPECT_GE(p.b.minCoeff(), 0.0);
    EXPECT_NEAR(p.b.sum(), 1.0, 1e-14);
    EXPECT_EQ(p.x, Eigen::VectorXd::Zero(8));
  }
}

TEST(Generate, WideMatrixAndNoiseKeepTheContract) {
  const Problem p = generateProblem(Kind::CrossEntropy, {.n = 5, .d = 12, .R = 3, .seed = 2, .noise = 0.5, .w = std::nullopt});
  EXPECT_NEAR(largestSingularValue(p.A), 3.0, 1e-12 * 3);
  EXPECT_GE(p.b.minCoeff(), 0.0);
  EXPECT_NEAR(p.b.sum(), 1.0, 1e-14);
}

TEST(Generate, InfoPromptWeights) {
  const GenerateSpec spec{.n = 10, .d = 3, .R = 4, .seed = 1, .noise = 0, .w = std::nullopt};
  EXPECT_EQ(generateProblem(Kind::InfoPrompt, spec).w, Eigen::VectorXd::Constant(10, kDefaultInfoPromptWeight));
  GenerateSpec weighted = spec;
  weighted.w = 0.02;
  EXPECT_EQ(generateProblem(Kind::InfoPrompt, weighted).w, Eigen::VectorXd::Constant(10, 0.02));
}

TEST(Generate, AttentionKindHasNormsRAndRowStochasticB) {
  const Problem p = generateProblem(Kind::AttentionRescaled, {.n = 7, .d = 3, .R = 2, .seed = 3, .noise = 0, .w = std::nullopt});
  EXPECT_NEAR(largestSingularValue(p.A1), 2.0, 2e-12);
  EXPECT_NEAR(largestSingularValue(p.A2), 2.0, 2e-12);
  ASSERT_EQ(p.B.rows(), 7);
  ASSERT_EQ(p.B.cols(), 7);
  EXPECT_GE(p.B.minCoeff(), 0.0);
  for (Eigen::Index i = 0; i < 7; ++i) EXPECT_NEAR(p.B.row(i).sum(), 1.0, 1e-14);
  EXPECT_EQ(p.x, Eigen::VectorXd::Zero(9));
}

TEST(Generate, BadSpecsNameTheirField) {
  const GenerateSpec good{.n = 4, .d = 2, .R = 1, .seed = 0, .noise = 0, .w = std::nullopt};
  auto fieldOf = [&](GenerateSpec s) { return inputErrorOf([&] { generateProblem(Kind::Softmax, s); }).where().field; };
  GenerateSpec s = good;
  s.R = 0;
  EXPECT_EQ(fieldOf(s), "generate.R");
  s = good;
  s.R = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(fieldOf(s), "generate.R");
  s = good;
  s.n = 0;
  EXPECT_EQ(fieldOf(s), "generate.n");
  s = good;
  s.noise = -1;
  EXPECT_EQ(fieldOf(s), "generate.noise");
}

TEST_F(IoTest, GenerateFromJsonKeepsXAndL2) {
  const json j = json::parse(R"({"kind": "infoprompt", "generate": {"n": 16, "d": 4, "R": 4, "seed": 5, "w": 0.3},
                                 "x": [1, 0, 0, 0], "l2": 0.25})");
  const Problem p = problemFromJson(j, dir_, "p.json");
  EXPECT_EQ(p.A, generateProblem(Kind::InfoPrompt, {.n = 16, .d = 4, .R = 4, .seed = 5, .noise = 0, .w = 0.3}).A);
  EXPECT_EQ(p.x, Eigen::Vector4d(1, 0, 0, 0));
  EXPECT_EQ(p.l2, 0.25);
  EXPECT_EQ(p.w, Eigen::VectorXd::Constant(16, 0.3));
}

TEST_F(IoTest, GenerateFromJsonRejectsBadValues) {
  auto errorOf = [&](const char* text) {
    return inputErrorOf([&] { problemFromJson(json::parse(text), dir_, "p.json"); });
  };
  EXPECT_EQ(errorOf(R"({"kind": "softmax", "generate": {"n": 4, "d": 2, "R": -1}})").where().field, "generate.R");
  EXPECT_EQ(errorOf(R"({"kind": "softmax", "generate": {"n": 4.5, "d": 2, "R": 1}})").where().field, "generate.n");
  EXPECT_EQ(errorOf(R"({"kind": "softmax", "generate": {"n": 4, "R": 1}})").where().field, "generate.d");
  EXPECT_EQ(errorOf(R"({"kind": "softmax", "generate": {"n": 4, "d": 2, "R": 1, "seed": -1}})").where().field,
            "generate.seed");
  EXPECT_EQ(errorOf(R"({"kind": "softmax", "generate": {"n": 4, "d": 2, "R": 1}, "A": [[1, 2]]})").where().field, "A");
  EXPECT_EQ(errorOf(R"({"kind": "softmax", "generate": 3})").where().field, "generate");
}

TEST_F(IoTest, HugeGenerateIsRefusedBeforeAllocating) {
  const InputError e = inputErrorOf([&] {
    problemFromJson(json::parse(R"({"kind": "softmax", "generate": {"n": 1000000000, "d": 1000000, "R": 4}})"), dir_,
                    "p.json");
  });
  EXPECT_EQ(e.where().field, "generate");
  EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos) << e.what();
  const InputError attention = inputErrorOf([&] {
    problemFromJson(json::parse(R"({"kind": "attention_normalized", "generate": {"n": 10000000, "d": 2, "R": 4}})"),
                    dir_, "p.json");
  });
  EXPECT_EQ(attention.where().field, "generate");  // the n×n matrix B alone is 800 TB
}

TEST(Memory, PhysicalMemoryIsKnown) {
  EXPECT_GT(physicalMemoryBytes(), 1u << 26);
  EXPECT_NO_THROW(requireMemory(1e6, {}));
  EXPECT_THROW(requireMemory(1e30, {}), InputError);
}

}  // namespace
}  // namespace attnlab
