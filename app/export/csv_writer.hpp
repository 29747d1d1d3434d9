// The data behind a figure as one CSV table, a row per data point of every series:
//
//   series,type,label,part,x,y,lower,upper,value
//
// `series` is the series' index in the figure and `type` its kind (line, markers, area,
// bars, heatmap, contour). Lines and markers fill x, y; areas x, lower, upper; bars x and
// y (the height); heatmaps x, y and value (every grid point); contours x, y, value (the
// level) and part (which polyline). Cells that do not apply are empty. Numbers are the
// shortest text that reads back as the same double; non-finite ones are "nan", "inf".
#pragma once
#include <string>

#include "core/figure/figure.hpp"

namespace attnlab::exporting {

std::string figureCsv(const Figure& figure);

}  // namespace attnlab::exporting
