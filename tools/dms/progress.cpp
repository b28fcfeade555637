#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace dms::cli {

std::string with_commas(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

Progress::Progress(std::string label, int64_t total, std::string unit, Style style)
    : label_(std::move(label)), total_(total), unit_(std::move(unit)) {
  if (style == Style::kAuto) style = isatty(STDERR_FILENO) ? Style::kBar : Style::kLines;
  bar_ = style == Style::kBar;
  quiet_ = style == Style::kQuiet;
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

Progress::~Progress() {
  if (!finished_ && bar_ && !quiet_) std::fputc('\n', stderr);  // leave the bar's line
}

double Progress::rate() const {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
}

void Progress::update(int64_t done) {
  done_ = done;
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const auto interval = bar_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(1000);
  if (now - last_draw_ < interval) return;
  if (!bar_ && total_ > 0 && done_ >= total_) return;  // finish() prints the last line
  last_draw_ = now;
  draw(false);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!quiet_) draw(true);
}

void Progress::draw(bool final) {
  const double r = rate();
  const int percent = total_ > 0 ? static_cast<int>(done_ * 100 / (total_ > 0 ? total_ : 1)) : -1;
  if (bar_) {
    constexpr int kWidth = 30;
    std::string bar(kWidth, '.');
    if (total_ > 0) {
      const int64_t filled = done_ >= total_ ? kWidth : done_ * kWidth / total_;
      for (int64_t i = 0; i < filled; ++i) bar[static_cast<size_t>(i)] = '#';
    }
    std::string line = "\r" + label_ + " [" + bar + "] " + with_commas(done_);
    if (total_ > 0) line += "/" + with_commas(total_) + " " + std::to_string(percent) + "%";
    line += "  " + with_commas(static_cast<int64_t>(r)) + " " + unit_ + "/s";
    if (total_ > 0 && r > 0 && done_ < total_) {
      line += "  eta " +
              std::to_string(static_cast<int64_t>(static_cast<double>(total_ - done_) / r) + 1) +
              "s";
    }
    line += "\033[K";  // clear what a longer previous line left
    if (final) line += "\n";
    std::fputs(line.c_str(), stderr);
  } else {
    std::string line = label_ + ": " + std::to_string(done_);
    if (total_ > 0) line += "/" + std::to_string(total_);
    line += " " + unit_;
    if (percent >= 0) line += " (" + std::to_string(percent) + "%)";
    line += ", " + std::to_string(static_cast<int64_t>(r)) + " " + unit_ + "/s";
    if (final) line += ", done";
    line += "\n";
    std::fputs(line.c_str(), stderr);
  }
  std::fflush(stderr);
}

}  // namespace dms::cli
