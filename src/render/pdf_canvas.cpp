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
  cairo_show_page(cr_);
  if (width != width_ || height != height_) {
    cairo_pdf_surface_set_size(surface_, width, height);
    width_ = width;
    height_ = height;
  }
}

void PdfCanvas::finish() {
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

double PdfCanvas::text(double x, double y, double width, std::string_view text, double size,
                       bool bold, Align align, Rgb color) {
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
  set_color(cr_, color);
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, x1, y1);
  cairo_line_to(cr_, x2, y2);
  cairo_stroke(cr_);
}

void PdfCanvas::rect(double x, double y, double w, double h, double line_width, Rgb color) {
  set_color(cr_, color);
  cairo_set_line_width(cr_, line_width);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_stroke(cr_);
}

void PdfCanvas::fill_rect(double x, double y, double w, double h, Rgb color) {
  set_color(cr_, color);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
}

void PdfCanvas::fill_slice(double cx, double cy, double radius, double a1, double a2, Rgb color) {
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
  if (n == 0) return;
  set_color(cr_, color);
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, xs[0], ys[0]);
  for (size_t i = 1; i < n; ++i) cairo_line_to(cr_, xs[i], ys[i]);
  cairo_stroke(cr_);
}

void PdfCanvas::fill_circle(double cx, double cy, double radius, Rgb color) {
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
