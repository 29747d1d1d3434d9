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

TEST(Session, OlderSessionsOpenOnTheRegressionLab) {
  const Session s = sessionFromJson({{"version", 1}, {"lab", "regression"}, {"regression", {{"n", 32}}}}, ".");
  EXPECT_EQ(s.lab, LabId::Regression);
  EXPECT_EQ(s.regression.n, 32);
  EXPECT_EQ(s.bounds, BoundsLabParams{});
}

TEST(Session, BadLabOrBoundsFieldsAreNamed) {
  try {
    sessionFromJson({{"lab", "cmi"}}, ".");
    FAIL() << "an unknown lab must be refused";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "lab");
  }
  try {
    sessionFromJson({{"bounds", {{"steps", -1}}}}, ".");
    FAIL() << "a bad bounds field must be refused";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "bounds.steps");
  }
}

}  // namespace
}  // namespace attnlab
