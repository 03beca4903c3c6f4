#include "bot/qr/progress.hpp"

#include <unistd.h>

namespace lianxin::qr {

progress::progress(std::size_t total, std::string unit, std::FILE* out, int interactive)
    : total_(total),
      unit_(std::move(unit)),
      out_(out),
      interactive_(interactive < 0 ? ::isatty(::fileno(out)) == 1 : interactive != 0),
      start_(clock::now()),
      last_draw_(start_) {}

std::string progress::render() const {
  constexpr std::size_t width = 30;
  const std::size_t filled = total_ == 0 ? width : done_ * width / total_;
  const double secs = seconds();
  const double rate = secs > 0 ? static_cast<double>(done_) / secs : 0.0;
  std::string s = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
  s += std::to_string(done_) + "/" + std::to_string(total_) + " " + unit_ + "  " + std::to_string(static_cast<long long>(rate)) + "/s";
  return s;
}

void progress::draw() {
  if (interactive_) {
    // \033[K clears whatever a longer previous line left behind.
    std::fprintf(out_, "\r%s\033[K", render().c_str());
  } else {
    std::fprintf(out_, "%s\n", render().c_str());
  }
  std::fflush(out_);
  last_draw_ = clock::now();
}

void progress::tick(std::size_t n) {
  done_ += n;
  // Redrawing is the slow part of a fast batch: ten times a second on a terminal is smooth
  // enough, and every five seconds is plenty in a log.
  const auto every = interactive_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  if (clock::now() - last_draw_ >= every) draw();
}

void progress::finish() {
  if (finished_) return;
  finished_ = true;
  draw();
  if (interactive_) std::fputc('\n', out_);
}

}  // namespace lianxin::qr
