// Move-only owners of OpenGL names (textures, framebuffers, buffers, vertex arrays), so a
// renderer's members free their GPU objects in its destructor and never twice.
// All of them must be created, used and destroyed on the UI thread, with the context current.
#pragma once
#include <epoxy/gl.h>

#include <cstdint>
#include <utility>

namespace attnlab::gui {

// One GL name with its delete function; Gen/Delete are the glGen*/glDelete* pair.
template <void (*Gen)(GLsizei, GLuint*), void (*Delete)(GLsizei, const GLuint*)>
class GlName {
 public:
  GlName() = default;
  ~GlName() { reset(); }
  GlName(const GlName&) = delete;
  GlName& operator=(const GlName&) = delete;
  GlName(GlName&& other) noexcept : name_(std::exchange(other.name_, 0)) {}
  GlName& operator=(GlName&& other) noexcept {
    if (this != &other) {
      reset();
      name_ = std::exchange(other.name_, 0);
    }
    return *this;
  }

  // Creates the object on first use; later calls return the same name.
  GLuint get() {
    if (name_ == 0) Gen(1, &name_);
    return name_;
  }
  GLuint name() const { return name_; }
  explicit operator bool() const { return name_ != 0; }
  void reset() {
    if (name_ != 0) Delete(1, &name_);
    name_ = 0;
  }

 private:
  GLuint name_ = 0;
};

// epoxy's entry points are function-pointer variables, not functions, so they cannot be
// template arguments directly: these thin forwarders can.
namespace gl_detail {
inline void genTextures(GLsizei n, GLuint* p) { glGenTextures(n, p); }
inline void deleteTextures(GLsizei n, const GLuint* p) { glDeleteTextures(n, p); }
inline void genFramebuffers(GLsizei n, GLuint* p) { glGenFramebuffers(n, p); }
inline void deleteFramebuffers(GLsizei n, const GLuint* p) { glDeleteFramebuffers(n, p); }
inline void genRenderbuffers(GLsizei n, GLuint* p) { glGenRenderbuffers(n, p); }
inline void deleteRenderbuffers(GLsizei n, const GLuint* p) { glDeleteRenderbuffers(n, p); }
inline void genBuffers(GLsizei n, GLuint* p) { glGenBuffers(n, p); }
inline void deleteBuffers(GLsizei n, const GLuint* p) { glDeleteBuffers(n, p); }
inline void genVertexArrays(GLsizei n, GLuint* p) { glGenVertexArrays(n, p); }
inline void deleteVertexArrays(GLsizei n, const GLuint* p) { glDeleteVertexArrays(n, p); }
}  // namespace gl_detail

using GlTexture = GlName<gl_detail::genTextures, gl_detail::deleteTextures>;
using GlFramebuffer = GlName<gl_detail::genFramebuffers, gl_detail::deleteFramebuffers>;
using GlRenderbuffer = GlName<gl_detail::genRenderbuffers, gl_detail::deleteRenderbuffers>;
using GlBuffer = GlName<gl_detail::genBuffers, gl_detail::deleteBuffers>;
using GlVertexArray = GlName<gl_detail::genVertexArrays, gl_detail::deleteVertexArrays>;

// A landscape grid as a single-channel float texture (texel (i, j) = value at (s_i, t_j)),
// sampled bilinearly between grid points and clamped at the edges: what the heatmap and the
// 3-D surface both read, so both interpolate the same way.
inline void uploadGridTexture(GLuint texture, int cols, int rows, const float* values) {
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, cols, rows, 0, GL_RED, GL_FLOAT, values);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, 0);
}

// A GL texture name as Dear ImGui's texture handle (the OpenGL3 backend's convention: it
// binds (GLuint)(intptr_t)handle). On 64-bit platforms the upper 32 bits may carry a content
// generation, which the backend ignores and damage tracking compares.
inline void* toImTextureId(GLuint texture, std::uint32_t generation = 0) {
  std::uintptr_t handle = texture;
  if constexpr (sizeof(std::uintptr_t) >= 8) handle |= static_cast<std::uintptr_t>(generation) << 32;
  return reinterpret_cast<void*>(handle);
}

}  // namespace attnlab::gui
