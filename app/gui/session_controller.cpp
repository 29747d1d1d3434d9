#include "app/gui/session_controller.hpp"

#include <imgui.h>

#include <GLFW/glfw3.h>

#include <cstring>
#include <fstream>

#include "core/errors.hpp"

namespace attnlab::gui {
namespace fs = std::filesystem;
namespace {

constexpr double kAutosaveAfterChange = 2.0;  // seconds of quiet after a change
constexpr double kAutosavePeriod = 60.0;      // and at least this often
constexpr double kShowMessageSeconds = 8.0;

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void copyPath(char* buffer, std::size_t size, const std::string& text) {
  std::strncpy(buffer, text.c_str(), size - 1);
  buffer[size - 1] = '\0';
}

}  // namespace

SessionController::SessionController(SessionHost& host, SessionStore store, std::optional<fs::path> openedFrom,
                                     bool offerRestore)
    : host_(host), store_(std::move(store)), path_(std::move(openedFrom)), unfinished_(store_.unfinishedSession()),
      offerRestore_(offerRestore && unfinished_.has_value()) {
  try {
    lessons_ = embeddedLessons();
  } catch (const InputError& e) {
    note(std::string("a built-in lesson is broken: ") + e.what(), true);
  }
  if (path_) {
    // A lesson opened from the command line shows its text too.
    std::ifstream in(*path_);
    const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    try {
      lesson_ = lessonOf(json, path_->filename().string());
      lessonVisible_ = lesson_.has_value();
    } catch (const InputError&) {
    }
  }
  lastSaved_ = host_.currentSession();
}

// [SECTION] actions

bool SessionController::open(const fs::path& path) {
  try {
    host_.applySession(readSession(path));
    std::ifstream in(path);
    lesson_ = lessonOf(nlohmann::json::parse(in, nullptr, false), path.filename().string());
    lessonVisible_ = lesson_.has_value();
  } catch (const InputError& e) {
    note(e.what(), true);
    return false;
  }
  path_ = path;
  store_.addRecent(path);
  note("opened " + path.string(), false);
  return true;
}

bool SessionController::save(const fs::path& path) {
  try {
    writeSessionFile(path, sessionToJson(host_.currentSession()));
  } catch (const InputError& e) {
    note(e.what(), true);
    return false;
  }
  path_ = path;
  store_.addRecent(path);
  note("saved " + path.string(), false);
  return true;
}

bool SessionController::openLesson(const Lesson& lesson) {
  try {
    host_.applySession(sessionFromJson(lesson.session, fs::current_path()));
  } catch (const InputError& e) {
    note(e.what(), true);
    return false;
  }
  lesson_ = lesson;
  lessonVisible_ = true;
  path_.reset();  // Save asks where: a lesson is not overwritten
  note("lesson: " + lesson.title, false);
  return true;
}

bool SessionController::restoreUnfinished() {
  offerRestore_ = false;
  if (!unfinished_) return false;
  try {
    host_.applySession(sessionFromJson(unfinished_->session, fs::current_path()));
  } catch (const InputError& e) {
    note(std::string("the autosaved session cannot be restored: ") + e.what(), true);
    return false;
  }
  note("restored the session autosaved at " + unfinished_->savedAt, false);
  unfinished_.reset();
  return true;
}

// [SECTION] autosave

void SessionController::tick() {
  // Compared as values every frame; turned into JSON only when saved.
  if (!pendingChange_ && !(host_.currentSession() == lastSaved_)) {
    pendingChange_ = true;
    changedAt_ = std::chrono::steady_clock::now();
  }
  // An unclean run's session stays on disk until the user has answered the offer.
  if (offerRestore_) return;
  const bool settled = pendingChange_ && secondsSince(changedAt_) >= kAutosaveAfterChange;
  if (settled || secondsSince(savedAt_) >= kAutosavePeriod) autosave(false);
}

void SessionController::onExit() {
  if (!offerRestore_) autosave(true);
}

void SessionController::autosave(bool cleanExit) {
  lastSaved_ = host_.currentSession();
  pendingChange_ = false;
  savedAt_ = std::chrono::steady_clock::now();
  if (const auto error = store_.autosave(sessionToJson(lastSaved_), cleanExit); error && !autosaveFailedShown_) {
    note(*error, true);
    autosaveFailedShown_ = true;  // once: a read-only home must not flood the status bar
  }
}

// [SECTION] menus and prompts

void SessionController::drawFileMenuItems() {
  if (ImGui::MenuItem("Open…", "Ctrl+O")) {
    prompt_ = Prompt::Open;
    promptJustOpened_ = true;
    copyPath(pathBuffer_, sizeof pathBuffer_, path_ ? path_->string() : "");
  }
  if (ImGui::BeginMenu("Open recent", !store_.recentFiles().empty())) {
    for (const fs::path& file : store_.recentFiles())
      if (ImGui::MenuItem(file.filename().string().c_str(), file.parent_path().string().c_str())) open(file);
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Save", "Ctrl+S")) {
    if (path_) save(*path_);
    else prompt_ = Prompt::SaveAs, promptJustOpened_ = true, copyPath(pathBuffer_, sizeof pathBuffer_, "session.json");
  }
  if (ImGui::MenuItem("Save as…")) {
    prompt_ = Prompt::SaveAs;
    promptJustOpened_ = true;
    copyPath(pathBuffer_, sizeof pathBuffer_, path_ ? path_->string() : "session.json");
  }
}

void SessionController::drawLessonsMenu() {
  if (!ImGui::BeginMenu("Lessons", !lessons_.empty())) return;
  for (const Lesson& lesson : lessons_)
    if (ImGui::MenuItem(lesson.title.c_str())) openLesson(lesson);
  ImGui::EndMenu();
}

void SessionController::drawModals() {
  // ImGui 1.86 indexes keys by the backend's codes: GLFW's here.
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && prompt_ == Prompt::None && ImGui::IsKeyPressed(GLFW_KEY_O)) {
    prompt_ = Prompt::Open;
    promptJustOpened_ = true;
  }
  if (io.KeyCtrl && prompt_ == Prompt::None && ImGui::IsKeyPressed(GLFW_KEY_S)) {
    if (path_) save(*path_);
    else prompt_ = Prompt::SaveAs, promptJustOpened_ = true;
  }
  if (prompt_ != Prompt::None) {
    const char* title = prompt_ == Prompt::Open ? "Open a session" : "Save the session as";
    if (promptJustOpened_) ImGui::OpenPopup(title);
    promptJustOpened_ = false;
    if (ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
      ImGui::TextUnformatted("File (JSON), absolute or relative to the working directory:");
      ImGui::SetNextItemWidth(520.0f * ImGui::GetIO().FontGlobalScale + 300.0f);
      if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
      const bool entered = ImGui::InputText("##path", pathBuffer_, sizeof pathBuffer_, ImGuiInputTextFlags_EnterReturnsTrue);
      const bool ok = ImGui::Button(prompt_ == Prompt::Open ? "Open" : "Save") || entered;
      ImGui::SameLine();
      const bool cancel = ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
      if (ok && pathBuffer_[0] != '\0') {
        if (prompt_ == Prompt::Open ? open(pathBuffer_) : save(pathBuffer_)) prompt_ = Prompt::None;
      }
      if (const auto m = recentMessage(); m && m->error) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1.0f), "%s", m->text.c_str());
      if (cancel) prompt_ = Prompt::None;
      if (prompt_ == Prompt::None) ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
  }
  if (offerRestore_) {
    ImGui::OpenPopup("Restore the last session?");
    if (ImGui::BeginPopupModal("Restore the last session?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
      ImGui::TextUnformatted("attnlab did not close normally last time.");
      ImGui::Text("Restore the session autosaved at %s?", unfinished_->savedAt.c_str());
      if (ImGui::Button("Restore")) restoreUnfinished();
      ImGui::SameLine();
      if (ImGui::Button("Start afresh")) {
        offerRestore_ = false;
        unfinished_.reset();
      }
      if (!offerRestore_) ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
  }
}

void SessionController::drawLessonBanner() {
  if (!lesson_ || !lessonVisible_) return;
  ImGui::PushID("lesson");
  ImGui::TextUnformatted(lesson_->title.c_str());
  ImGui::SameLine(ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("hide").x);
  if (ImGui::SmallButton("hide")) lessonVisible_ = false;
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", lesson_->text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::Separator();
  ImGui::PopID();
}

std::optional<SessionController::Message> SessionController::recentMessage() const {
  if (message_.text.empty() || secondsSince(messageAt_) > kShowMessageSeconds) return std::nullopt;
  return message_;
}

std::string SessionController::windowTitle() const {
  if (lesson_) return "attnlab — " + lesson_->title;
  if (path_) return "attnlab — " + path_->filename().string();
  return "attnlab";
}

void SessionController::note(std::string text, bool error) {
  message_ = Message{std::move(text), error};
  messageAt_ = std::chrono::steady_clock::now();
}

}  // namespace attnlab::gui
