#version 330 core
// The surface's colour: the colormap at the value under each fragment (sampled from the
// grid, so colours stay as sharp as the heatmap's however coarse the mesh), isolines at
// the figure's levels, and a soft two-sided headlight so the shape reads from any side.
//
// uniforms:
//   sampler2D uGrid, vec2 uGridSize, int uLogScale, vec2 uRange   as in surface.vert
//   sampler2D uColormap     256×1 RGBA8 look-up table
//   float     uLevels[32]   isoline levels in scaled units; int uLevelCount of them
//   float     uContourWidth isoline width in pixels
//   vec4      uContourColor isoline colour (alpha = strength)

uniform sampler2D uGrid;
uniform sampler2D uColormap;
uniform vec2 uGridSize;
uniform int uLogScale;
uniform vec2 uRange;
uniform float uLevels[32];
uniform int uLevelCount;
uniform float uContourWidth;
uniform vec4 uContourColor;

in vec2 vGrid;
in vec3 vNormal;
in vec3 vPosition;
out vec4 fragColor;

vec2 texelCoordinates(vec2 grid) {
  return (vec2(0.5) + clamp(grid, 0.0, 1.0) * (uGridSize - vec2(1.0))) / uGridSize;
}

float scaled(float value) {
  if (isnan(value) || isinf(value)) return uRange.y;
  if (uLogScale == 1) return value > 0.0 ? log(value) / log(10.0) : uRange.x;
  return value;
}

vec3 colormap(float t) {
  float x = clamp(t, 0.0, 1.0) * (255.0 / 256.0) + 0.5 / 256.0;
  return texture(uColormap, vec2(x, 0.5)).rgb;
}

float isoline(float v) {
  float perPixel = max(fwidth(v), 1e-30);
  float pixels = 1e30;
  for (int k = 0; k < uLevelCount; ++k) pixels = min(pixels, abs(v - uLevels[k]) / perPixel);
  return 1.0 - smoothstep(0.5 * uContourWidth - 0.5, 0.5 * uContourWidth + 0.5, pixels);
}

void main() {
  float v = scaled(texture(uGrid, texelCoordinates(vGrid)).r);
  vec3 base = colormap((v - uRange.x) / max(uRange.y - uRange.x, 1e-30));
  base = mix(base, uContourColor.rgb, uContourColor.a * isoline(v));

  vec3 n = normalize(vNormal);
  vec3 toEye = normalize(-vPosition);
  if (dot(n, toEye) < 0.0) n = -n;  // two-sided: the underside is lit too
  vec3 light = normalize(vec3(-0.35, 0.55, 0.75));
  float diffuse = max(dot(n, light), 0.0);
  float specular = pow(max(dot(reflect(-light, n), toEye), 0.0), 40.0);
  vec3 color = base * (0.42 + 0.58 * diffuse) + vec3(0.12 * specular);
  fragColor = vec4(color, 1.0);
}
