// A PDF page canvas on cairo and pango: text in Noto Sans (which has the rupee sign U+20B9),
// lines, boxes and filled shapes, in points (1/72 inch) from the top-left corner of the page.
// Used by the report exporter (src/reports/export.cpp) and the GST invoice
// (src/billing/invoice_pdf.cpp).
//
// Reproducible output: with a fixed creation date the same drawing gives the same bytes.
//
// Thread-safety: one canvas per thread; cairo and pango objects are not shared.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// Opaque cairo / pango types (their headers stay in the .cpp).
typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _PangoLayout PangoLayout;
typedef struct _PangoFontDescription PangoFontDescription;
typedef struct _PangoContext PangoContext;
typedef struct _PangoFont PangoFont;
typedef struct _cairo_scaled_font cairo_scaled_font_t;

namespace dms::render {

inline constexpr double kA4Width = 595.276;
inline constexpr double kA4Height = 841.89;
// The font family of every PDF libdms writes (fonts-noto-core).
inline constexpr const char* kFontFamily = "Noto Sans";

enum class Align { kLeft, kCenter, kRight };

struct Rgb {
  double r = 0, g = 0, b = 0;
};

class PdfCanvas {
 public:
  // Creates `path`; `creation_date` (RFC 3339, e.g. "2026-12-01T00:00:00Z") is written as the
  // document's CreationDate when not empty. Throws STORAGE_ERROR when the file cannot be made.
  PdfCanvas(const std::string& path, double width, double height, std::string_view title,
            std::string_view creation_date);
  ~PdfCanvas();
  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;

  double width() const { return width_; }
  double height() const { return height_; }

  // Ends the current page and starts the next one of the given size.
  void next_page(double width, double height);
  void next_page() { next_page(width_, height_); }
  // Writes the file; afterwards nothing may be drawn. Throws STORAGE_ERROR on a write failure.
  void finish();

  // One line of text in a box of `width` at (x, y) (the top of the line), ellipsized to fit;
  // width <= 0: no limit. `size` in points. Returns the height of the line.
  double text(double x, double y, double width, std::string_view text, double size,
              bool bold = false, Align align = Align::kLeft, Rgb color = {});
  // Wrapped text in a box of `width`; returns the height used.
  double paragraph(double x, double y, double width, std::string_view text, double size,
                   bool bold = false, Align align = Align::kLeft);
  // The height `paragraph` would use, drawing nothing.
  double paragraph_height(double width, std::string_view text, double size, bool bold = false);
  // The width of one line of text.
  double text_width(std::string_view text, double size, bool bold = false);
  // The height of one line at `size`.
  double line_height(double size);

  void line(double x1, double y1, double x2, double y2, double width = 0.5, Rgb color = {});
  void rect(double x, double y, double w, double h, double line_width = 0.5, Rgb color = {});
  void fill_rect(double x, double y, double w, double h, Rgb color);
  // A pie slice centred at (cx, cy) from angle a1 to a2 (radians, clockwise from 3 o'clock).
  void fill_slice(double cx, double cy, double radius, double a1, double a2, Rgb color);
  // A polyline through the points (xs[i], ys[i]).
  void polyline(const double* xs, const double* ys, size_t n, double width, Rgb color);
  void fill_circle(double cx, double cy, double radius, Rgb color);

  cairo_t* cairo() {
    flush();
    return cr_;
  }

 private:
  void set_font(double size, bool bold);
  // Shows the glyphs gathered by fast_text (one PDF text object for a row's cells).
  void flush();
  struct FastFont {
    PangoFont* font = nullptr;
    cairo_scaled_font_t* scaled = nullptr;
    double ascent = 0;
    double baseline = 0;  // of a pango line at this size, from its top
    double line_height = 0;
  };
  FastFont& fast_font(double size, bool bold);
  // Latin text without shaping: glyphs straight from the font's character map (fast for the
  // hundred thousand cells of a large report). False when the text needs pango (other scripts,
  // a character the font lacks).
  bool fast_text(double x, double y, double width, std::string_view text, double size, bool bold,
                 Align align, Rgb color, double* height);

  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoContext* pango_ = nullptr;
  PangoLayout* layout_ = nullptr;
  PangoFontDescription* font_ = nullptr;
  double font_size_ = 0;
  bool font_bold_ = false;
  double width_ = kA4Width;
  double height_ = kA4Height;
  bool finished_ = false;
  std::map<std::pair<double, bool>, FastFont> fast_fonts_;
  struct PendingGlyph {
    unsigned long index;
    double x, y;
  };
  std::vector<PendingGlyph> pending_;
  cairo_scaled_font_t* pending_font_ = nullptr;
  Rgb pending_color_;
};

// A QR code of `data` (libqrencode, error correction M) drawn as a square of `size` points with
// its top-left corner at (x, y), quiet zone included. Throws INTERNAL when it cannot be encoded.
void draw_qr(PdfCanvas& canvas, double x, double y, double size, const std::string& data);

}  // namespace dms::render
