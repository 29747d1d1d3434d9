// The strip along the bottom of the window: the running job (name, stage, progress bar,
// cancel button), the lab's last message (an error stays visible until the next success),
// and the frame time on the right — so a teacher sees at a glance whether the picture is
// final, still refining, or stale because of bad input.
#pragma once
#include <memory>
#include <string>

#include "app/gui/fonts.hpp"
#include "app/gui/theme.hpp"
#include "core/jobs/job.hpp"

namespace attnlab::gui {

struct StatusInfo {
  std::shared_ptr<JobHandle> job;  // the visible lab's running job, or null when idle
  std::string message;             // what the lab last finished, or why it could not
  bool error = false;              // message is an error (shown in the error colour)
};

class StatusBar {
 public:
  // Draws the bar as a viewport side bar (call once per frame, before the main area).
  // Returns true when the user pressed cancel.
  bool draw(const StatusInfo& info, const FontSet& fonts, const UiPalette& palette, double frameMs);
};

}  // namespace attnlab::gui
