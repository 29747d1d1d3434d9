// The 3-D view's camera as plain data (a session stores it): it orbits the centre of the
// surface's box. The window turns it with the mouse; SurfaceRenderer draws through it.
#pragma once

namespace attnlab {

// Turns about the box's centre; angles in degrees.
struct OrbitCamera {
  float yaw = -50.0f;    // about the vertical axis, 0 looking along +y
  float pitch = 32.0f;   // above the floor, clamped to (−89, 89)
  float distance = 5.4f; // from the centre, in floor half-widths
  bool operator==(const OrbitCamera&) const = default;

  void rotate(float dYaw, float dPitch);
  void zoom(float factor);  // distance ×= factor, within limits
};

}  // namespace attnlab
