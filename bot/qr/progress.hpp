#pragma once
// Progress of a batch job on stderr: a bar redrawn in place on a terminal
// (`[#####.....] 600/1194 posters  412/s`), plain lines every few seconds when stderr is a
// file or a pipe, so CI logs and cron mail stay readable.
#include <chrono>
#include <cstdio>
#include <string>

namespace lianxin::qr {

class progress {
 public:
  using clock = std::chrono::steady_clock;

  // `interactive` defaults to isatty(stderr).
  progress(std::size_t total, std::string unit, std::FILE* out = stderr, int interactive = -1);

  void tick(std::size_t n = 1);
  // Draws the last state and ends the line; idempotent.
  void finish();

  std::size_t done() const { return done_; }
  double seconds() const { return std::chrono::duration<double>(clock::now() - start_).count(); }
  // The bar as text, without the carriage return (exposed for tests).
  std::string render() const;

 private:
  void draw();

  std::size_t total_, done_ = 0;
  std::string unit_;
  std::FILE* out_;
  bool interactive_;
  bool finished_ = false;
  clock::time_point start_, last_draw_;
};

}  // namespace lianxin::qr
