// Scheduling priority of the compute workers: below the UI thread's, so that on a machine
// with as many busy workers as cores (2 in CI) a frame is never queued behind a grid row.
#pragma once

namespace attnlab::gui {

// Lowers the calling thread's priority (Linux: nice +19, the lowest, for this thread only;
// under llvmpipe the rasteriser's threads compete with the workers for the same cores, and
// +19 measured p99 frame times 1.1–1.3× lower than +10). Best effort: where the system
// refuses, the thread keeps its priority.
void lowerCurrentThreadPriority();

}  // namespace attnlab::gui
