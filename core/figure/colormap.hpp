// Colormaps chosen by name: viridis, cividis and magma (perceptually uniform, readable in
// grey and with colour-vision deficiencies; van der Walt & Smith, and Nuñez et al. for
// cividis) for magnitudes such as a loss, and a blue–white–red diverging map (ColorBrewer's
// RdBu, reversed so negative is blue) for signed values such as a gradient component.
// One table per map serves the window's shader (via a 256×1 texture), the CPU heatmap and
// every export, so a value has one colour everywhere.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/figure/theme.hpp"

namespace attnlab {

enum class Colormap { Viridis, Cividis, Magma, BlueWhiteRed };
inline constexpr std::array<Colormap, 4> kAllColormaps = {Colormap::Viridis, Colormap::Cividis, Colormap::Magma,
                                                          Colormap::BlueWhiteRed};
inline constexpr int kColormapSize = 256;
using Rgb8 = std::array<std::uint8_t, 3>;

// The colour at t ∈ [0, 1] (clamped), interpolated linearly between the 256 entries exactly
// as a linearly filtered look-up texture sampled at texel centres does. NaN gives the
// no-data grey.
Rgba sample(Colormap map, double t);
// The 256 entries, low values first.
const std::array<Rgb8, kColormapSize>& colormapTable(Colormap map);

std::string_view colormapName(Colormap map);  // "viridis", "cividis", "magma", "blue-white-red"
// Case-insensitive; also accepts "diverging" and "rdbu_r" for the diverging map.
std::optional<Colormap> colormapFromName(std::string_view name);
// True for maps whose middle is neutral: centre them on zero.
bool isDiverging(Colormap map);

inline constexpr Rgba kNoDataColor{0.55f, 0.55f, 0.55f, 1.0f};

}  // namespace attnlab
