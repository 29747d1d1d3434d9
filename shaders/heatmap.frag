#version 330 core
// A scalar grid coloured through a colormap look-up table, on a linear or log10 scale,
// with anti-aliased isolines at given levels (the figure's contour levels, so the window's
// lines and an exported figure's polylines are the same curves).
// Values are interpolated bilinearly between grid points before scaling, like the surface.
//
// uniforms:
//   sampler2D uGrid          R32F, texel (i, j) = value at (s_i, t_j)
//   sampler2D uColormap      256×1 RGBA8 look-up table, low values on the left
//   vec2      uGridSize      (N, M) grid points along s and t
//   int       uLogScale      1: colour by log10(value) (values ≤ 0 take the lowest colour)
//   vec2      uRange         (lo, hi) of the scaled value mapped to the ends of the colormap
//   float     uLevels[32]    isoline levels in scaled units (log10 of the level on a log scale)
//   int       uLevelCount    how many of uLevels are used (0: no isolines)
//   float     uContourWidth  isoline width in pixels
//   vec4      uContourColor  isoline colour (alpha = strength)
//   vec4      uNoDataColor   colour of non-finite values (overflowed losses)

uniform sampler2D uGrid;
uniform sampler2D uColormap;
uniform vec2 uGridSize;
uniform int uLogScale;
uniform vec2 uRange;
uniform float uLevels[32];
uniform int uLevelCount;
uniform float uContourWidth;
uniform vec4 uContourColor;
uniform vec4 uNoDataColor;

in vec2 vGrid;
out vec4 fragColor;

// Grid-extent coordinates put grid point i at the centre of texel i.
vec2 texelCoordinates(vec2 grid) {
  return (vec2(0.5) + grid * (uGridSize - vec2(1.0))) / uGridSize;
}

float scaled(float value) {
  if (uLogScale == 1) return value > 0.0 ? log(value) / log(10.0) : uRange.x;
  return value;
}

vec3 colormap(float t) {
  float x = clamp(t, 0.0, 1.0) * (255.0 / 256.0) + 0.5 / 256.0;
  return texture(uColormap, vec2(x, 0.5)).rgb;
}

// 1 on an isoline, fading to 0 over one pixel on either side of its width. The distance
// to a level in pixels is the value difference over the value's change per pixel.
float isoline(float v) {
  float perPixel = max(fwidth(v), 1e-30);
  float pixels = 1e30;
  for (int k = 0; k < uLevelCount; ++k) pixels = min(pixels, abs(v - uLevels[k]) / perPixel);
  return 1.0 - smoothstep(0.5 * uContourWidth - 0.5, 0.5 * uContourWidth + 0.5, pixels);
}

void main() {
  // Outside the grid's extent (a plot zoomed out beyond it): let the plot show through.
  if (any(lessThan(vGrid, vec2(0.0))) || any(greaterThan(vGrid, vec2(1.0)))) {
    fragColor = vec4(0.0);
    return;
  }
  float value = texture(uGrid, texelCoordinates(vGrid)).r;
  if (isnan(value) || isinf(value)) {
    fragColor = uNoDataColor;
    return;
  }
  float v = scaled(value);
  float t = (v - uRange.x) / max(uRange.y - uRange.x, 1e-30);
  vec3 color = colormap(t);
  color = mix(color, uContourColor.rgb, uContourColor.a * isoline(v));
  fragColor = vec4(color, 1.0);
}
