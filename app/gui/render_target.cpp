#include "app/gui/render_target.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace attnlab::gui {
namespace {

void requireComplete(const char* what) {
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  if (status != GL_FRAMEBUFFER_COMPLETE)
    throw std::runtime_error(std::string("incomplete framebuffer (") + what + "), status 0x" +
                             std::to_string(status));
}

}  // namespace

bool RenderTarget::ensure(int width, int height, Format format) {
  width = std::max(width, 1);
  height = std::max(height, 1);
  if (color_ && width == width_ && height == height_ && format == format_) return false;
  width_ = width;
  height_ = height;
  format_ = format;
  allocate();
  return true;
}

void RenderTarget::allocate() {
  ++generation_;
  glBindTexture(GL_TEXTURE_2D, color_.get());
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width_, height_, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  // Drawn at its own pixel size; linear filtering only matters while a resize is pending.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);

  glBindFramebuffer(GL_FRAMEBUFFER, resolveFbo_.get());
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, color_.name(), 0);
  const bool multisampled = format_.samples > 0;
  if (format_.depth && !multisampled) {
    glBindRenderbuffer(GL_RENDERBUFFER, depth_.get());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, width_, height_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth_.name());
  }
  requireComplete("resolve");

  if (multisampled) {
    glBindFramebuffer(GL_FRAMEBUFFER, drawFbo_.get());
    glBindRenderbuffer(GL_RENDERBUFFER, msColor_.get());
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, format_.samples, GL_RGBA8, width_, height_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, msColor_.name());
    if (format_.depth) {
      glBindRenderbuffer(GL_RENDERBUFFER, depth_.get());
      glRenderbufferStorageMultisample(GL_RENDERBUFFER, format_.samples, GL_DEPTH_COMPONENT24, width_,
                                       height_);
      glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth_.name());
    }
    requireComplete("multisampled");
  } else {
    drawFbo_.reset();
    msColor_.reset();
  }
  glBindRenderbuffer(GL_RENDERBUFFER, 0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

void RenderTarget::begin() {
  ++generation_;
  glBindFramebuffer(GL_FRAMEBUFFER, format_.samples > 0 ? drawFbo_.name() : resolveFbo_.name());
  glViewport(0, 0, width_, height_);
}

void RenderTarget::end() {
  if (format_.samples > 0) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, drawFbo_.name());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, resolveFbo_.name());
    glBlitFramebuffer(0, 0, width_, height_, 0, 0, width_, height_, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

std::vector<std::uint8_t> RenderTarget::readPixels() {
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width_) * height_ * 4);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, resolveFbo_.name());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  return pixels;
}

}  // namespace attnlab::gui
