// Progress of a long command on stderr: on a terminal a bar redrawn in place with counts and
// rate ("[#####.....]  4,000/10,000  40%  8,120/s  eta 1s"); otherwise plain lines, at most one a
// second plus the last ("import customers: 4000/10000 rows (40%), 8120 rows/s"). Quiet mode
// (--json or --quiet) prints nothing.
//
// Thread-safety: a Progress is used by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dms::cli {

class Progress {
 public:
  enum class Style { kAuto, kBar, kLines, kQuiet };
  // `total` 0: unknown (no percentage). `unit`: "rows", "pages".
  Progress(std::string label, int64_t total, std::string unit, Style style);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(int64_t done);
  void set_total(int64_t total) { total_ = total; }
  // Draws the final state and ends the bar's line.
  void finish();
  double rate() const;  // units per second since the start

 private:
  void draw(bool final);
  std::string label_;
  int64_t total_;
  std::string unit_;
  bool bar_ = false;
  bool quiet_ = false;
  bool finished_ = false;
  int64_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// 10000 -> "10,000"
std::string with_commas(int64_t n);

}  // namespace dms::cli
