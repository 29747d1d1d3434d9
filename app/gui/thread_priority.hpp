// Scheduling priority of the compute workers: below the UI thread's, so that on a machine
// with as many busy workers as cores (2 in CI) a frame is never queued behind a grid row.
#pragma once

namespace attnlab::gui {

// Lowers the calling thread's priority (Linux: nice +10 for this thread only). Best effort:
// where the system refuses, the thread keeps its priority.
void lowerCurrentThreadPriority();

}  // namespace attnlab::gui
