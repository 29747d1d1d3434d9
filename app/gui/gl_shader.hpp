// A linked GLSL program built from two of the embedded sources of shaders/. Compile and
// link failures throw ShaderError carrying the driver's log and the file name, so a broken
// shader says where at start-up instead of drawing nothing.
#pragma once
#include <epoxy/gl.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace attnlab::gui {

class ShaderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One shader stage's source and the file it came from (for error messages).
struct ShaderSource {
  std::string_view file;
  std::string_view text;
};

class ShaderProgram {
 public:
  ShaderProgram() = default;
  ShaderProgram(ShaderSource vertex, ShaderSource fragment);
  ~ShaderProgram();
  ShaderProgram(const ShaderProgram&) = delete;
  ShaderProgram& operator=(const ShaderProgram&) = delete;
  ShaderProgram(ShaderProgram&& other) noexcept;
  ShaderProgram& operator=(ShaderProgram&& other) noexcept;

  void use() const { glUseProgram(program_); }
  GLuint id() const { return program_; }

  // Uniform locations are looked up once and cached; a uniform the compiler optimised
  // away has location -1, which glUniform* ignores — so setting it is harmless.
  GLint uniform(const char* name);
  void set(const char* name, int value) { glUniform1i(uniform(name), value); }
  void set(const char* name, float value) { glUniform1f(uniform(name), value); }
  void set(const char* name, float x, float y) { glUniform2f(uniform(name), x, y); }
  void set(const char* name, float x, float y, float z) { glUniform3f(uniform(name), x, y, z); }
  void set(const char* name, float x, float y, float z, float w) { glUniform4f(uniform(name), x, y, z, w); }
  void setMatrix4(const char* name, const float* columnMajor) {
    glUniformMatrix4fv(uniform(name), 1, GL_FALSE, columnMajor);
  }

 private:
  GLuint program_ = 0;
  std::unordered_map<std::string, GLint> locations_;
};

// Finds an embedded shader by file name ("heatmap.frag"); throws ShaderError if absent.
ShaderSource embeddedShader(std::string_view file);

}  // namespace attnlab::gui
