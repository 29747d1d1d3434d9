#include "core/labs/orbit_camera.hpp"

#include <algorithm>
#include <cmath>

namespace attnlab {

void OrbitCamera::rotate(float dYaw, float dPitch) {
  yaw = std::fmod(yaw + dYaw, 360.0f);
  pitch = std::clamp(pitch + dPitch, -89.0f, 89.0f);
}

void OrbitCamera::zoom(float factor) { distance = std::clamp(distance * factor, 1.5f, 20.0f); }

}  // namespace attnlab
