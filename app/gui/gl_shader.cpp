#include "app/gui/gl_shader.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "app/gui/embedded_shaders.hpp"

namespace attnlab::gui {
namespace {

std::string shaderLog(GLuint shader) {
  GLint length = 0;
  glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
  std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
  glGetShaderInfoLog(shader, static_cast<GLsizei>(log.size()), nullptr, log.data());
  return log.data();
}

std::string programLog(GLuint program) {
  GLint length = 0;
  glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
  std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
  glGetProgramInfoLog(program, static_cast<GLsizei>(log.size()), nullptr, log.data());
  return log.data();
}

GLuint compile(GLenum stage, ShaderSource source) {
  const GLuint shader = glCreateShader(stage);
  const char* text = source.text.data();
  const GLint length = static_cast<GLint>(source.text.size());
  glShaderSource(shader, 1, &text, &length);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    std::string log = shaderLog(shader);
    glDeleteShader(shader);
    throw ShaderError("cannot compile shaders/" + std::string(source.file) + ":\n" + log);
  }
  return shader;
}

}  // namespace

ShaderProgram::ShaderProgram(ShaderSource vertex, ShaderSource fragment) {
  const GLuint vs = compile(GL_VERTEX_SHADER, vertex);
  GLuint fs = 0;
  try {
    fs = compile(GL_FRAGMENT_SHADER, fragment);
  } catch (...) {
    glDeleteShader(vs);
    throw;
  }
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glLinkProgram(program_);
  // The program keeps the compiled stages; the shader objects themselves can go.
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = GL_FALSE;
  glGetProgramiv(program_, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    std::string log = programLog(program_);
    glDeleteProgram(program_);
    program_ = 0;
    throw ShaderError("cannot link shaders/" + std::string(vertex.file) + " with shaders/" +
                      std::string(fragment.file) + ":\n" + log);
  }
}

ShaderProgram::~ShaderProgram() {
  if (program_ != 0) glDeleteProgram(program_);
}

ShaderProgram::ShaderProgram(ShaderProgram&& other) noexcept
    : program_(std::exchange(other.program_, 0)), locations_(std::move(other.locations_)) {}

ShaderProgram& ShaderProgram::operator=(ShaderProgram&& other) noexcept {
  if (this != &other) {
    if (program_ != 0) glDeleteProgram(program_);
    program_ = std::exchange(other.program_, 0);
    locations_ = std::move(other.locations_);
  }
  return *this;
}

GLint ShaderProgram::uniform(const char* name) {
  auto it = locations_.find(name);
  if (it == locations_.end()) it = locations_.emplace(name, glGetUniformLocation(program_, name)).first;
  return it->second;
}

ShaderSource embeddedShader(std::string_view file) {
  for (const auto& shader : shaders::kEmbeddedShaders)
    if (shader.file == file) return {shader.file, shader.text};
  throw ShaderError("no embedded shader named shaders/" + std::string(file));
}

}  // namespace attnlab::gui
