// PartTeam (core/jobs/part_team.hpp): every part once per call (whoever claims it), part k on
// thread k mod size when the helpers are there, the first exception rethrown after all parts,
// helpers that sleep and wake again, callers from several threads taking turns. These run under
// ThreadSanitizer in CI.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/jobs/part_team.hpp"

namespace attnlab {
namespace {

using Index = PartTeam::Index;

TEST(PartTeam, RunsEveryPartOncePerCall) {
  PartTeam team(2);
  for (Index parts : {1, 2, 3, 7, 64}) {
    std::vector<std::atomic<int>> seen(static_cast<std::size_t>(parts));
    for (int call = 0; call < 50; ++call) team.run(parts, [&](Index k) { ++seen[static_cast<std::size_t>(k)]; });
    for (Index k = 0; k < parts; ++k) EXPECT_EQ(seen[static_cast<std::size_t>(k)].load(), 50) << parts << " parts";
  }
}

// What keeps a part's rows in one core's cache: part k is meant for thread k mod size(), the
// caller being thread 0. Here the caller's part waits until the others have started, so none can
// be taken over by the caller: each runs on its own helper, the same one every call.
TEST(PartTeam, RunsEachPartOnItsThreadWhenTheHelpersAreThere) {
  PartTeam team(3);
  ASSERT_EQ(team.size(), 3u);
  std::mutex mutex;
  std::map<Index, std::thread::id> owner;
  bool consistent = true;
  for (int call = 0; call < 20; ++call) {
    std::atomic<int> started{0};
    team.run(3, [&](Index k) {
      if (k > 0) ++started;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (k == 0 && started.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
      std::lock_guard lock(mutex);
      const auto [it, fresh] = owner.emplace(k, std::this_thread::get_id());
      if (!fresh && it->second != std::this_thread::get_id()) consistent = false;
    });
    ASSERT_EQ(started.load(), 2);
  }
  EXPECT_TRUE(consistent);
  EXPECT_EQ(owner.at(0), std::this_thread::get_id());
  EXPECT_NE(owner.at(1), owner.at(2));
  EXPECT_NE(owner.at(1), std::this_thread::get_id());
  EXPECT_NE(owner.at(2), std::this_thread::get_id());
}

// threadStart runs once on each thread of the team, the caller's included, before that thread
// runs any part.
TEST(PartTeam, RunsThreadStartOnEveryThreadBeforeItsParts) {
  static thread_local bool started = false;
  std::mutex mutex;
  std::map<std::thread::id, int> starts;
  PartTeam team(3, [&] {
    started = true;
    std::lock_guard lock(mutex);
    ++starts[std::this_thread::get_id()];
  });
  std::atomic<int> unprepared{0};
  for (int call = 0; call < 20; ++call)
    team.run(9, [&](Index) {
      if (!started) ++unprepared;
    });
  EXPECT_EQ(unprepared.load(), 0);
  // A helper the system has not scheduled yet may still be on its way in.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    std::lock_guard lock(mutex);
    if (starts.size() == 3u || std::chrono::steady_clock::now() > deadline) break;
  }
  std::lock_guard lock(mutex);
  EXPECT_EQ(starts.size(), 3u);
  EXPECT_EQ(starts.count(std::this_thread::get_id()), 1u);
  for (const auto& [id, count] : starts) EXPECT_EQ(count, 1);
}

// More parts than a batch of claims: every part still once, in any number of calls.
TEST(PartTeam, RunsMorePartsThanOneBatch) {
  PartTeam team(2);
  std::vector<std::atomic<int>> seen(100);
  for (int call = 0; call < 20; ++call) team.run(100, [&](Index k) { ++seen[static_cast<std::size_t>(k)]; });
  for (const auto& s : seen) EXPECT_EQ(s.load(), 20);
}

// The results a part writes are visible to the caller when run() returns.
TEST(PartTeam, PublishesThePartsWrites) {
  PartTeam team(2);
  std::vector<long> sums(8);
  for (long call = 1; call <= 200; ++call) {
    team.run(8, [&](Index k) { sums[static_cast<std::size_t>(k)] = call * (k + 1); });
    for (Index k = 0; k < 8; ++k) ASSERT_EQ(sums[static_cast<std::size_t>(k)], call * (k + 1));
  }
}

TEST(PartTeam, RethrowsTheFirstExceptionAfterEveryPart) {
  PartTeam team(2);
  std::atomic<int> finished{0};
  EXPECT_THROW(team.run(6,
                        [&](Index k) {
                          if (k == 3) throw std::runtime_error("part 3");
                          ++finished;
                        }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 5);
  std::atomic<int> again{0};
  team.run(4, [&](Index) { ++again; });  // the team still works
  EXPECT_EQ(again.load(), 4);
}

// After kSpinMicroseconds idle the helpers sleep; the next call must wake them.
TEST(PartTeam, WakesSleepingHelpers) {
  PartTeam team(2);
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::microseconds(3 * PartTeam::kSpinMicroseconds));
    std::atomic<int> ran{0};
    team.run(2, [&](Index) { ++ran; });
    EXPECT_EQ(ran.load(), 2);
  }
}

TEST(PartTeam, CallersFromSeveralThreadsTakeTurns) {
  PartTeam team(2);
  std::atomic<long> total{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      for (int call = 0; call < 100; ++call) team.run(3, [&](Index k) { total += k + 1; });
    });
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(total.load(), 4L * 100L * 6L);
}

TEST(PartTeam, AloneOrWithoutATeamRunsThePartsInOrder) {
  std::vector<Index> order;
  PartTeam alone(1);
  EXPECT_EQ(alone.size(), 1u);
  alone.run(3, [&](Index k) { order.push_back(k); });
  runParts(nullptr, 3, [&](Index k) { order.push_back(k); });
  EXPECT_EQ(order, (std::vector<Index>{0, 1, 2, 0, 1, 2}));
  PartTeam team(2);
  team.run(0, [&](Index) { ADD_FAILURE() << "no part to run"; });
}

TEST(PartTeam, DestroysCleanlyWhileHelpersSpinOrSleep) {
  for (int wait : {0, 3 * PartTeam::kSpinMicroseconds}) {
    PartTeam team(3);
    team.run(3, [](Index) {});
    std::this_thread::sleep_for(std::chrono::microseconds(wait));
  }
  PartTeam unused(2);  // never called
}

}  // namespace
}  // namespace attnlab
