#version 330 core
// The heatmap fills its whole render target: a triangle strip of four corners made from
// gl_VertexID (no vertex buffer). uUvRect picks the visible part of the grid, so a zoomed
// plot is re-rendered at full resolution instead of magnifying a small texture.
//
// uniforms:
//   vec4 uUvRect   (u0, v0, u1, v1): the visible window in grid-extent coordinates, where
//                  (0,0) is the first grid point (s_0, t_0) and (1,1) the last (s_N-1, t_M-1)

uniform vec4 uUvRect;

out vec2 vGrid;  // position in grid-extent coordinates

void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  vGrid = mix(uUvRect.xy, uUvRect.zw, corner);
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
