#include "app/gui/png_io.hpp"

#include <png.h>

#include <cstdio>
#include <string>
#include <system_error>

namespace attnlab::gui {

void writePng(const std::filesystem::path& path, const Image& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.rgba.size() != static_cast<std::size_t>(image.width) * image.height * 4)
    throw PngError("cannot write " + path.string() + ": empty or inconsistent image");
  std::vector<std::uint8_t> rgb;
  rgb.reserve(image.rgba.size() / 4 * 3);
  for (std::size_t i = 0; i < image.rgba.size(); i += 4)
    rgb.insert(rgb.end(), {image.rgba[i], image.rgba[i + 1], image.rgba[i + 2]});

  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = PNG_FORMAT_RGB;
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  if (png_image_write_to_file(&png, temporary.c_str(), 0, rgb.data(), 0, nullptr) == 0) {
    const std::string reason = png.message;
    std::remove(temporary.c_str());
    throw PngError("cannot write " + path.string() + ": " + reason);
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    throw PngError("cannot write " + path.string() + ": " + error.message());
  }
}

Image readPng(const std::filesystem::path& path) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&png, path.c_str()) == 0)
    throw PngError("cannot read " + path.string() + ": " + png.message);
  png.format = PNG_FORMAT_RGBA;
  Image image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.rgba.resize(PNG_IMAGE_SIZE(png));
  if (png_image_finish_read(&png, nullptr, image.rgba.data(), 0, nullptr) == 0) {
    const std::string reason = png.message;
    png_image_free(&png);
    throw PngError("cannot read " + path.string() + ": " + reason);
  }
  return image;
}

}  // namespace attnlab::gui
