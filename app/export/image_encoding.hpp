// Bytes out of Cairo: surfaces written into strings (so a file is written in one go by
// core/io/atomic_file), a PNG of an RgbaImage, and base64 for embedding one in SVG.
#pragma once
#include <cairo.h>

#include <string>
#include <string_view>

#include "app/export/painter.hpp"

namespace attnlab::exporting {

// A cairo_write_func_t appending to the std::string passed as closure.
cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length);

// An ARGB32 surface holding `image` (premultiplied, as Cairo wants); the caller destroys
// it, and checks cairo_surface_status.
cairo_surface_t* imageSurface(const RgbaImage& image);

// The PNG encoding of `image`.
std::string encodePng(const RgbaImage& image);

std::string base64(std::string_view bytes);

}  // namespace attnlab::exporting
