#include "render/pdf_canvas.hpp"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <cmath>
#include <string>

#include "dms/error.hpp"

namespace dms::render {
namespace {

void set_color(cairo_t* cr, Rgb c) {
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

int pango_units(double points) {
  return static_cast<int>(std::lround(points * PANGO_SCALE));
}

}  // namespace

PdfCanvas::PdfCanvas(const std::string& path, double width, double height, std::string_view title,
                     std::string_view creation_date)
    : width_(width), height_(height) {
  surface_ = cairo_pdf_surface_create(path.c_str(), width, height);
  if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
    const std::string why = cairo_status_to_string(cairo_surface_status(surface_));
    cairo_surface_destroy(surface_);
    throw Error(ErrorCode::kStorage, "cannot create the PDF file: " + why);
  }
  if (!title.empty()) {
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, std::string(title).c_str());
  }
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "libdms");
  if (!creation_date.empty()) {
    const std::string date(creation_date);
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  }
  cr_ = cairo_create(surface_);
  pango_ = pango_cairo_create_context(cr_);
  pango_cairo_context_set_resolution(pango_, 72.0);  // font sizes in points
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(pango_, options);
  cairo_font_options_destroy(options);
  layout_ = pango_layout_new(pango_);
  font_ = pango_font_description_new();
  pango_font_description_set_family(font_, kFontFamily);
  set_font(9, false);
}

PdfCanvas::~PdfCanvas() {
  for (auto& [key, f] : fast_fonts_) {
    if (f.scaled) cairo_scaled_font_destroy(f.scaled);
    if (f.font) g_object_unref(f.font);
  }
  if (font_) pango_font_description_free(font_);
  if (layout_) g_object_unref(layout_);
  if (pango_) g_object_unref(pango_);
  if (cr_) cairo_destroy(cr_);
  if (surface_) {
    if (!finished_) cairo_surface_finish(surface_);
    cairo_surface_destroy(surface_);
  }
}

void PdfCanvas::next_page(double width, double height) {
  flush();
  cairo_show_page(cr_);
  if (width != width_ || height != height_) {
    cairo_pdf_surface_set_size(surface_, width, height);
    width_ = width;
    height_ = height;
  }
}

void PdfCanvas::finish() {
  flush();
  cairo_show_page(cr_);
  cairo_surface_finish(surface_);
  finished_ = true;
  const cairo_status_t status = cairo_surface_status(surface_);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw Error(ErrorCode::kStorage,
                std::string("cannot write the PDF file: ") + cairo_status_to_string(status));
  }
}

void PdfCanvas::set_font(double size, bool bold) {
  if (size == font_size_ && bold == font_bold_) return;
  pango_font_description_set_absolute_size(font_, size * PANGO_SCALE);
  pango_font_description_set_weight(font_, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout_, font_);
  font_size_ = size;
  font_bold_ = bold;
}

PdfCanvas::FastFont& PdfCanvas::fast_font(double size, bool bold) {
  auto it = fast_fonts_.find({size, bold});
  if (it != fast_fonts_.end()) return it->second;
  FastFont f;
  set_font(size, bold);
  f.font = pango_context_load_font(pango_, font_);
  if (f.font && PANGO_IS_CAIRO_FONT(f.font)) {
    f.scaled = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f.font));
    if (f.scaled) {
      cairo_scaled_font_reference(f.scaled);
      cairo_font_extents_t e;
      cairo_scaled_font_extents(f.scaled, &e);
      f.ascent = e.ascent;
    }
  }
  pango_layout_set_text(layout_, "Ag", 2);
  pango_layout_set_width(layout_, -1);
  f.baseline = static_cast<double>(pango_layout_get_baseline(layout_)) / PANGO_SCALE;
  int lw = 0;
  int lh = 0;
  pango_layout_get_size(layout_, &lw, &lh);
  f.line_height = static_cast<double>(lh) / PANGO_SCALE;
  return fast_fonts_.emplace(std::make_pair(size, bold), f).first->second;
}

bool PdfCanvas::fast_text(double x, double y, double width, std::string_view text, double size,
                          bool bold, Align align, Rgb color, double* height) {
  // Only code points below U+0300 (Latin, no combining marks) and a few symbols.
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20) return false;
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t n = 0;
    if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      n = 3;
    } else {
      return false;
    }
    if (i + n > text.size()) return false;
    for (size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    if (!(cp < 0x300 || cp == 0x20B9 || cp == 0x2026 || cp == 0x2013 || cp == 0x2014)) return false;
    i += n;
  }
  FastFont& f = fast_font(size, bold);
  if (!f.scaled) return false;
  const double baseline = y + f.baseline;
  cairo_glyph_t* glyphs = nullptr;
  int count = 0;
  if (cairo_scaled_font_text_to_glyphs(f.scaled, x, baseline, text.data(),
                                       static_cast<int>(text.size()), &glyphs, &count, nullptr,
                                       nullptr, nullptr) != CAIRO_STATUS_SUCCESS) {
    return false;
  }
  for (int i = 0; i < count; ++i) {
    if (glyphs[i].index == 0) {  // not in the font: pango finds a fallback
      cairo_glyph_free(glyphs);
      return false;
    }
  }
  cairo_text_extents_t ext;
  cairo_scaled_font_glyph_extents(f.scaled, glyphs, count, &ext);
  double advance = ext.x_advance;
  if (width > 0 && advance > width && count > 0) {
    // Ellipsize: keep the glyphs that fit with a trailing "…".
    cairo_glyph_t* dots = nullptr;
    int ndots = 0;
    cairo_scaled_font_text_to_glyphs(f.scaled, 0, baseline, "\xe2\x80\xa6", 3, &dots, &ndots,
                                     nullptr, nullptr, nullptr);
    cairo_text_extents_t dext;
    cairo_scaled_font_glyph_extents(f.scaled, dots, ndots, &dext);
    int keep = count;
    while (keep > 0 && glyphs[keep - 1].x - x + dext.x_advance > width) --keep;
    // glyphs[keep - 1] starts within the room; it must also end within it
    while (keep > 0) {
      cairo_text_extents_t kext;
      cairo_scaled_font_glyph_extents(f.scaled, glyphs, keep, &kext);
      if (kext.x_advance + dext.x_advance <= width) break;
      --keep;
    }
    cairo_text_extents_t kext;
    cairo_scaled_font_glyph_extents(f.scaled, glyphs, keep, &kext);
    if (keep < count && ndots == 1) {
      glyphs[keep] = dots[0];
      glyphs[keep].x = x + kext.x_advance;
      count = keep + 1;
    } else {
      count = keep;
    }
    advance = kext.x_advance + dext.x_advance;
    cairo_glyph_free(dots);
  }
  double shift = 0;
  if (width > 0 && align == Align::kRight) shift = width - advance;
  if (width > 0 && align == Align::kCenter) shift = (width - advance) / 2;
  if (shift != 0) {
    for (int i = 0; i < count; ++i) glyphs[i].x += shift;
  }
  if (pending_font_ != f.scaled || pending_color_.r != color.r || pending_color_.g != color.g ||
      pending_color_.b != color.b) {
    flush();
    pending_font_ = f.scaled;
    pending_color_ = color;
  }
  for (int i = 0; i < count; ++i) pending_.push_back({glyphs[i].index, glyphs[i].x, glyphs[i].y});
  cairo_glyph_free(glyphs);
  if (height) *height = f.line_height;
  return true;
}

void PdfCanvas::flush() {
  if (pending_.empty()) return;
  std::vector<cairo_glyph_t> glyphs(pending_.size());
  for (size_t i = 0; i < pending_.size(); ++i) {
    glyphs[i].index = pending_[i].index;
    glyphs[i].x = pending_[i].x;
    glyphs[i].y = pending_[i].y;
  }
  cairo_set_scaled_font(cr_, pending_font_);
  set_color(cr_, pending_color_);
  cairo_show_glyphs(cr_, glyphs.data(), static_cast<int>(glyphs.size()));
  pending_.clear();
}

double PdfCanvas::text(double x, double y, double width, std::string_view text, double size,
                       bool bold, Align align, Rgb color) {
  double fast_height = 0;
  if (fast_text(x, y, width, text, size, bold, align, color, &fast_height)) return fast_height;
  flush();
  set_font(size, bold);
  if (text.find_first_of("\r\n\t") != std::string_view::npos) {  // one line: breaks as spaces
    std::string flat(text);
    for (char& c : flat) {
      if (c == '\r' || c == '\n' || c == '\t') c = ' ';
    }
    pango_layout_set_text(layout_, flat.data(), static_cast<int>(flat.size()));
  } else {
    pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  }
  pango_layout_set_width(layout_, width > 0 ? pango_units(width) : -1);
  pango_layout_set_ellipsize(layout_, width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  pango_layout_set_alignment(layout_, align == Align::kRight    ? PANGO_ALIGN_RIGHT
                                      : align == Align::kCenter ? PANGO_ALIGN_CENTER
                                                                : PANGO_ALIGN_LEFT);
  set_color(cr_, color);
  cairo_move_to(cr_, x, y);
  pango_cairo_show_layout(cr_, layout_);
  int w = 0;
  int h = 0;
  pango_layout_get_size(layout_, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

double PdfCanvas::paragraph(double x, double y, double width, std::string_view text, double size,
                            bool bold, Align align) {
  flush();
  set_font(size, bold);
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  pango_layout_set_width(layout_, pango_units(width));
  pango_layout_set_ellipsize(layout_, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout_, align == Align::kRight    ? PANGO_ALIGN_RIGHT
                                      : align == Align::kCenter ? PANGO_ALIGN_CENTER
                                                                : PANGO_ALIGN_LEFT);
  set_color(cr_, {});
  cairo_move_to(cr_, x, y);
  pango_cairo_show_layout(cr_, layout_);
  int w = 0;
  int h = 0;
  pango_layout_get_size(layout_, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

double PdfCanvas::paragraph_height(double width, std::string_view text, double size, bool bold) {
  set_font(size, bold);
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  pango_layout_set_width(layout_, pango_units(width));
  pango_layout_set_ellipsize(layout_, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
  int w = 0;
  int h = 0;
  pango_layout_get_size(layout_, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

double PdfCanvas::text_width(std::string_view text, double size, bool bold) {
  set_font(size, bold);
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  pango_layout_set_width(layout_, -1);
  pango_layout_set_ellipsize(layout_, PANGO_ELLIPSIZE_NONE);
  int w = 0;
  int h = 0;
  pango_layout_get_size(layout_, &w, &h);
  return static_cast<double>(w) / PANGO_SCALE;
}

double PdfCanvas::line_height(double size) {
  set_font(size, false);
  pango_layout_set_text(layout_, "Ag", 2);
  pango_layout_set_width(layout_, -1);
  int w = 0;
  int h = 0;
  pango_layout_get_size(layout_, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

void PdfCanvas::line(double x1, double y1, double x2, double y2, double width, Rgb color) {
  flush();
  set_color(cr_, color);
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, x1, y1);
  cairo_line_to(cr_, x2, y2);
  cairo_stroke(cr_);
}

void PdfCanvas::rect(double x, double y, double w, double h, double line_width, Rgb color) {
  flush();
  set_color(cr_, color);
  cairo_set_line_width(cr_, line_width);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_stroke(cr_);
}

void PdfCanvas::fill_rect(double x, double y, double w, double h, Rgb color) {
  flush();
  set_color(cr_, color);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
}

void PdfCanvas::fill_slice(double cx, double cy, double radius, double a1, double a2, Rgb color) {
  flush();
  set_color(cr_, color);
  cairo_move_to(cr_, cx, cy);
  cairo_arc(cr_, cx, cy, radius, a1, a2);
  cairo_close_path(cr_);
  cairo_fill_preserve(cr_);
  cairo_set_source_rgb(cr_, 1, 1, 1);
  cairo_set_line_width(cr_, 0.8);
  cairo_stroke(cr_);
}

void PdfCanvas::polyline(const double* xs, const double* ys, size_t n, double width, Rgb color) {
  flush();
  if (n == 0) return;
  set_color(cr_, color);
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, xs[0], ys[0]);
  for (size_t i = 1; i < n; ++i) cairo_line_to(cr_, xs[i], ys[i]);
  cairo_stroke(cr_);
}

void PdfCanvas::fill_circle(double cx, double cy, double radius, Rgb color) {
  flush();
  set_color(cr_, color);
  cairo_new_sub_path(cr_);
  cairo_arc(cr_, cx, cy, radius, 0, 2 * M_PI);
  cairo_fill(cr_);
}

void draw_qr(PdfCanvas& canvas, double x, double y, double size, const std::string& data) {
  QRcode* qr = QRcode_encodeString(data.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) throw Error(ErrorCode::kInternal, "the QR code could not be encoded");
  const int quiet = 2;  // modules of white border on each side
  const int n = qr->width + 2 * quiet;
  const double module = size / n;
  cairo_t* cr = canvas.cairo();
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, size, size);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int row = 0; row < qr->width; ++row) {
    for (int col = 0; col < qr->width; ++col) {
      if (qr->data[row * qr->width + col] & 1) {
        cairo_rectangle(cr, x + (col + quiet) * module, y + (row + quiet) * module, module, module);
      }
    }
  }
  cairo_fill(cr);
  QRcode_free(qr);
}

}  // namespace dms::render
