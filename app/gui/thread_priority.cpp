#include "app/gui/thread_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace attnlab::gui {

void lowerCurrentThreadPriority() {
  // On Linux, nice values belong to threads: PRIO_PROCESS with a thread id sets just this one.
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  (void)setpriority(PRIO_PROCESS, tid, 19);
}

}  // namespace attnlab::gui
