#version 330 core
// Flat-coloured wide lines (see lines.vert).

in vec4 vColor;
out vec4 fragColor;

void main() { fragColor = vColor; }
