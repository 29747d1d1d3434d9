// Session files with more than one lab (core/labs/session): "lab" picks the tab, "bounds"
// holds the bounds lab's params, and sessions written before the bounds lab still open.
// Pure JSON, no window.
#include <gtest/gtest.h>

#include "core/labs/session.hpp"
#include "core/errors.hpp"

namespace attnlab {
namespace {

TEST(Session, BoundsLabRoundTrips) {
  Session s;
  s.lab = LabId::Bounds;
  s.bounds.shift = Shift::Data;
  s.bounds.update = AttentionUpdate::Random;
  s.bounds.n = 32;
  s.bounds.sweepAxis = SweepAxis::StepSize;
  s.bounds.sweepValues = {0.01, 0.1};
  const Session back = sessionFromJson(sessionToJson(s), ".");
  EXPECT_EQ(back.lab, LabId::Bounds);
  EXPECT_EQ(back.bounds, s.bounds);
  EXPECT_EQ(back.regression, s.regression);
}

// The templates lab's part: every field back as it was, and save → load → save gives the
// same bytes (what the window's autosave writes again after opening it).
TEST(Session, TemplatesLabRoundTripsByteForByte) {
  Session s;
  s.lab = LabId::Templates;
  s.templates.task = TaskKind::Majority;
  s.templates.length = 5;
  s.templates.kernels = {TemplateKernel::Attention, TemplateKernel::Mlp};
  s.templates.trainSizes = {16, 64, 256};
  s.templates.samples = 300;
  s.templates.ridge = 1e-4;
  s.templates.kqIdentity = 1.5;
  s.templates.seed = 9;
  const std::string saved = sessionToJson(s).dump(2);
  const Session back = sessionFromJson(nlohmann::json::parse(saved), ".");
  EXPECT_EQ(back.lab, LabId::Templates);
  EXPECT_EQ(back.templates, s.templates);
  EXPECT_EQ(back.bounds, s.bounds);
  EXPECT_EQ(sessionToJson(back).dump(2), saved);
  EXPECT_EQ(labName(LabId::Templates), "templates");
  EXPECT_EQ(labFromName("templates"), LabId::Templates);
}

TEST(Session, OlderSessionsOpenOnTheRegressionLab) {
  const Session s = sessionFromJson({{"version", 1}, {"lab", "regression"}, {"regression", {{"n", 32}}}}, ".");
  EXPECT_EQ(s.lab, LabId::Regression);
  EXPECT_EQ(s.regression.n, 32);
  EXPECT_EQ(s.bounds, BoundsLabParams{});
  EXPECT_EQ(s.templates, TemplateLabParams{});
}

TEST(Session, BadLabOrBoundsFieldsAreNamed) {
  try {
    sessionFromJson({{"lab", "cmi"}}, ".");
    FAIL() << "an unknown lab must be refused";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "lab");
    EXPECT_NE(std::string(e.what()).find("\"templates\""), std::string::npos) << e.what();
  }
  try {
    sessionFromJson({{"bounds", {{"steps", -1}}}}, ".");
    FAIL() << "a bad bounds field must be refused";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "bounds.steps");
  }
  try {
    sessionFromJson({{"templates", {{"samples", 0}}}}, ".");
    FAIL() << "a bad templates field must be refused";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "templates.samples");
  }
}

}  // namespace
}  // namespace attnlab
