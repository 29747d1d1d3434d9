#version 330 core
// The landscape as a lit 3-D mesh. The mesh is a fixed lattice over grid-extent
// coordinates [0,1]²; heights come from the same R32F grid texture the heatmap uses, so new
// values cost one texture upload and no new geometry. Normals by central differences of
// the height at the lattice spacing.
//
// uniforms:
//   sampler2D uGrid        R32F, texel (i, j) = value at (s_i, t_j)
//   vec2      uGridSize    (N, M) grid points
//   int       uLogScale    1: heights (and colours) follow log10(value)
//   vec2      uRange       (lo, hi) of the scaled value: heights 0 … uHeight
//   float     uHeight      height of the highest value, in the units of the [-1,1]² floor
//   vec2      uMeshStep    lattice spacing in grid-extent coordinates
//   mat4      uView        world → camera
//   mat4      uProjection  camera → clip

layout(location = 0) in vec2 aGrid;

uniform sampler2D uGrid;
uniform vec2 uGridSize;
uniform int uLogScale;
uniform vec2 uRange;
uniform float uHeight;
uniform vec2 uMeshStep;
uniform mat4 uView;
uniform mat4 uProjection;

out vec2 vGrid;
out vec3 vNormal;    // camera space
out vec3 vPosition;  // camera space

vec2 texelCoordinates(vec2 grid) {
  return (vec2(0.5) + clamp(grid, 0.0, 1.0) * (uGridSize - vec2(1.0))) / uGridSize;
}

float scaled(float value) {
  if (isnan(value) || isinf(value)) return uRange.y;
  if (uLogScale == 1) return value > 0.0 ? log(value) / log(10.0) : uRange.x;
  return value;
}

vec3 world(vec2 grid) {
  float v = scaled(textureLod(uGrid, texelCoordinates(grid), 0.0).r);
  float h = clamp((v - uRange.x) / max(uRange.y - uRange.x, 1e-30), 0.0, 1.0) * uHeight;
  return vec3(grid * 2.0 - 1.0, h);
}

void main() {
  vec3 p = world(aGrid);
  vec3 dx = world(aGrid + vec2(uMeshStep.x, 0.0)) - world(aGrid - vec2(uMeshStep.x, 0.0));
  vec3 dy = world(aGrid + vec2(0.0, uMeshStep.y)) - world(aGrid - vec2(0.0, uMeshStep.y));
  vec3 n = normalize(cross(dx, dy));
  vGrid = aGrid;
  vNormal = mat3(uView) * n;
  vec4 camera = uView * vec4(p, 1.0);
  vPosition = camera.xyz;
  gl_Position = uProjection * camera;
}
