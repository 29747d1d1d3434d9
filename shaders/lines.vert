#version 330 core
// Wide lines in 3-D (core profile has no glLineWidth above 1): each segment is a quad whose
// corners are pushed sideways in screen space by half the width, so the line keeps its
// pixel width at any distance, and is depth-tested like the surface it lies on.
//
// uniforms:
//   mat4  uViewProjection  world → clip
//   vec2  uViewport        target size in pixels
//   float uWidth           line width in pixels
//   float uDepthBias       pulls the line towards the camera (NDC units), so a line lying
//                          on the surface is not hidden by it
//   vec4  uColorOverride   when alpha ≥ 0, every vertex takes this colour (outlines)

layout(location = 0) in vec3 aPosition;  // this end of the segment
layout(location = 1) in vec3 aOther;     // the other end
layout(location = 2) in float aSide;     // ±1: which edge of the quad
layout(location = 3) in vec4 aColor;

uniform mat4 uViewProjection;
uniform vec2 uViewport;
uniform float uWidth;
uniform float uDepthBias;
uniform vec4 uColorOverride;

out vec4 vColor;

void main() {
  vec4 here = uViewProjection * vec4(aPosition, 1.0);
  vec4 there = uViewProjection * vec4(aOther, 1.0);
  vec2 halfViewport = 0.5 * uViewport;
  vec2 a = here.xy / here.w * halfViewport;
  vec2 b = there.xy / there.w * halfViewport;
  vec2 direction = b - a;
  direction = length(direction) > 1e-6 ? normalize(direction) : vec2(1.0, 0.0);
  vec2 normal = vec2(-direction.y, direction.x);
  here.xy += normal * aSide * 0.5 * uWidth / halfViewport * here.w;
  here.z -= uDepthBias * here.w;
  gl_Position = here;
  vColor = uColorOverride.a >= 0.0 ? uColorOverride : aColor;
}
