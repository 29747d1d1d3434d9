// 001 Fig. 5 as plain figures (the unseen-symbols lab; core/templates/copy_task):
//   "copy_task"        the unseen tokens' test loss per gradient step, one colour per
//                      embedding width, dashed without b and solid with b (the title says
//                      so: one legend entry per colour); chance (log V) as a grey line.
//   "copy_task_width"  the final test loss against the embedding width, without and with b:
//                      without, it climbs to log V as the width grows (Thm 4.1); with, it
//                      stays near 0 (Thm 4.2).
#pragma once
#include "core/figure/figure.hpp"
#include "core/templates/copy_task.hpp"

namespace attnlab {

Figure copyTaskFigure(const CopyTaskSweep& sweep, Theme theme);
Figure copyTaskWidthFigure(const CopyTaskSweep& sweep, Theme theme);

}  // namespace attnlab
