#include "billing/invoice_pdf.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "dms/error.hpp"
#include "dms/gst.hpp"
#include "render/pdf_canvas.hpp"
#include "reports/export.hpp"
#include "service/centers.hpp"
#include "service/rows.hpp"

namespace dms::billing {
namespace {

using render::Align;
using render::PdfCanvas;
using render::Rgb;

constexpr double kMargin = 32;
constexpr double kFont = 6.6;
constexpr Rgb kMuted{0.35, 0.35, 0.4};
constexpr Rgb kRule{0.6, 0.62, 0.66};
constexpr Rgb kHeaderFill{0.88, 0.9, 0.94};

const char* const kOnes[] = {"",        "One",     "Two",       "Three",    "Four",
                             "Five",    "Six",     "Seven",     "Eight",    "Nine",
                             "Ten",     "Eleven",  "Twelve",    "Thirteen", "Fourteen",
                             "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
const char* const kTens[] = {"",      "",      "Twenty",  "Thirty", "Forty",
                             "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"};

void append(std::string& out, const std::string& word) {
  if (word.empty()) return;
  if (!out.empty()) out += ' ';
  out += word;
}

// 0-999 in words ("" for 0).
std::string hundreds(uint64_t n) {
  std::string out;
  if (n >= 100) {
    append(out, std::string(kOnes[n / 100]) + " Hundred");
    n %= 100;
  }
  if (n >= 20) {
    append(out, kTens[n / 10]);
    n %= 10;
  }
  if (n > 0) append(out, kOnes[n]);
  return out;
}

// Indian numbering: ... crore, lakh, thousand, hundreds; crores above 99 are themselves
// written in this numbering ("One Thousand Crore").
std::string indian_words(uint64_t n) {
  if (n == 0) return "Zero";
  std::string out;
  const uint64_t crore = n / 10000000;
  n %= 10000000;
  if (crore > 0) append(out, indian_words(crore) + " Crore");
  if (n / 100000 > 0) append(out, hundreds(n / 100000) + " Lakh");
  n %= 100000;
  if (n / 1000 > 0) append(out, hundreds(n / 1000) + " Thousand");
  n %= 1000;
  append(out, hundreds(n));
  return out;
}

std::string percent_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// Figures as printed: grouped the Indian way, the magnitude on a credit note.
std::string figure(int64_t paise, bool credit) {
  return reports::indian_grouped(credit ? -paise : paise, 2);
}

std::string quantity_text(int64_t thousandths, bool credit) {
  std::string s = reports::plain_decimal(credit ? -thousandths : thousandths, 3);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string rate_text(int64_t units) {  // ten-thousandths of a percent
  std::string s = reports::plain_decimal(units, 4);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "%";
}

std::string json_text(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string state_line(const std::string& code) {
  const IndianState* s = find_state_by_code(code);
  return s ? std::string(s->name) + " (" + s->code + ")" : code;
}

struct LineView {
  std::string no, description, hsn, quantity, unit, rate, value, discount, taxable;
  std::string cgst, sgst, igst, tax_rate_half, tax_rate, total;
};

struct Column {
  const char* title;
  double width;  // 0: takes the rest
  Align align;
};

class InvoiceWriter {
 public:
  InvoiceWriter(storage::Transaction& tx, const storage::Row& invoice) : invoice_(invoice) {
    credit_ = invoice.str("document_type") == "CREDIT_NOTE";
    inter_ = invoice.str("supply_type") == supply_type_name(SupplyType::kInterState);
    center_ = service::load_service_center(tx, invoice.str("service_center_id"));
    customer_ = rows::document_json(invoice, "customer_details");
    if (!customer_.is_object()) customer_ = Json::object();
    if (auto original_id = invoice.opt_str("original_invoice_id")) {
      if (auto original = tx.query_one(
              "SELECT invoice_number, invoice_date FROM invoices WHERE id = ?", {*original_id})) {
        original_number_ = original->opt_str("invoice_number").value_or("");
        original_date_ = original->opt_str("invoice_date").value_or("");
      }
    }
    for (const auto& row :
         tx.query("SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY line_no",
                  {invoice.str("id")})) {
      LineView l;
      l.no = std::to_string(row.i64("line_no"));
      l.description = row.str("description");
      l.hsn = row.str("hsn_sac");
      l.quantity = quantity_text(row.i64("quantity"), credit_);
      const std::string type = row.str("line_type");
      l.unit = type == "labour" || type == "service" ? "UNT" : "NOS";
      l.rate = figure(row.i64("unit_price"), false);
      l.value = figure(row.i64("gross"), credit_);
      l.discount = figure(row.i64("line_discount") + row.i64("document_discount_share"), credit_);
      l.taxable = figure(row.i64("taxable"), credit_);
      l.cgst = figure(row.i64("cgst"), credit_);
      l.sgst = figure(row.i64("sgst"), credit_);
      l.igst = figure(row.i64("igst"), credit_);
      l.tax_rate = rate_text(row.i64("gst_rate"));
      l.tax_rate_half = rate_text(row.i64("gst_rate") / 2);
      l.total = figure(row.i64("total"), credit_);
      lines_.push_back(std::move(l));
      rates_[row.i64("gst_rate")].taxable += row.i64("taxable");
      rates_[row.i64("gst_rate")].cgst += row.i64("cgst");
      rates_[row.i64("gst_rate")].sgst += row.i64("sgst");
      rates_[row.i64("gst_rate")].igst += row.i64("igst");
    }
    columns_ = {{"#", 14, Align::kLeft},
                {"Description", 0, Align::kLeft},
                {"HSN/SAC", 38, Align::kLeft},
                {"Qty", 30, Align::kRight},
                {"Unit", 22, Align::kLeft},
                {"Rate", 46, Align::kRight},
                {"Value", 50, Align::kRight},
                {"Discount", 42, Align::kRight},
                {"Taxable value", 52, Align::kRight}};
    if (inter_) {
      columns_.push_back({"IGST", 58, Align::kRight});
    } else {
      columns_.push_back({"CGST", 48, Align::kRight});
      columns_.push_back({"SGST", 48, Align::kRight});
    }
    columns_.push_back({"Total", 54, Align::kRight});
    double fixed = 0;
    for (const Column& c : columns_) fixed += c.width;
    for (Column& c : columns_) {
      if (c.width == 0) c.width = render::kA4Width - 2 * kMargin - fixed;
    }
  }

  std::string title() const { return credit_ ? "CREDIT NOTE" : "TAX INVOICE"; }

  void write(const std::string& path, const std::string& creation_date) {
    PdfCanvas pdf(path, render::kA4Width, render::kA4Height,
                  title() + " " + invoice_.str("invoice_number"), creation_date);
    pdf_ = &pdf;
    draw_ = false;
    run();
    pages_ = page_;
    draw_ = true;
    run();
    pdf.finish();
  }

 private:
  double bottom() const { return render::kA4Height - kMargin - 16; }
  double width() const { return render::kA4Width - 2 * kMargin; }

  void text(double x, double y, double w, const std::string& s, double size, bool bold = false,
            Align align = Align::kLeft, Rgb color = {}) {
    if (draw_) pdf_->text(x, y, w, s, size, bold, align, color);
  }

  void page_frame() {
    ++page_;
    if (draw_ && page_ > 1) pdf_->next_page();
    y_ = kMargin;
    text(kMargin, y_, width(), title(), 13, true, Align::kCenter);
    text(kMargin, y_ + 3, width(), "Original for recipient", 6.5, false, Align::kRight, kMuted);
    y_ += 22;
    const double fy = render::kA4Height - kMargin - 8;
    if (draw_) pdf_->line(kMargin, fy - 3, kMargin + width(), fy - 3, 0.4, kRule);
    text(kMargin, fy, width() * 0.7,
         invoice_.str("invoice_number") + " \u00b7 This is a computer-generated document.", 6,
         false, Align::kLeft, kMuted);
    text(kMargin + width() * 0.7, fy, width() * 0.3,
         "Page " + std::to_string(page_) + " of " + std::to_string(pages_), 6.5, false,
         Align::kRight, kMuted);
  }

  // A block of label: value lines; returns its height.
  double block(double x, double y, double w, const std::string& heading,
               const std::vector<std::pair<std::string, std::string>>& rows) {
    text(x, y, w, heading, 7, true, Align::kLeft, kMuted);
    double h = 11;
    for (const auto& [label, value] : rows) {
      if (value.empty()) continue;
      if (label.empty()) {
        const double ph = pdf_->paragraph_height(w, value, 7.5);
        if (draw_) pdf_->paragraph(x, y + h, w, value, 7.5);
        h += ph + 1;
      } else {
        text(x, y + h, 62, label, 7, false, Align::kLeft, kMuted);
        const double ph = pdf_->paragraph_height(w - 64, value, 7.5, true);
        if (draw_) pdf_->paragraph(x + 64, y + h, w - 64, value, 7.5, true);
        h += std::max(ph, 9.0) + 1;
      }
    }
    return h;
  }

  void parties() {
    const double half = width() / 2 - 6;
    // Supplier (rule 46 (a)).
    std::string address = center_.street;
    const std::string city_line =
        center_.city + (center_.zip_code.empty() ? "" : " " + center_.zip_code);
    if (!city_line.empty() && city_line != " ")
      address += (address.empty() ? "" : ", ") + city_line;
    const std::string supplier_state =
        !center_.state_code.empty() ? center_.state_code : invoice_.str("supplier_state_code");
    address += (address.empty() ? "" : ", ") + state_line(supplier_state);
    text(kMargin, y_, half, center_.name, 11, true);
    double left = 15 + block(kMargin, y_ + 15, half, "SUPPLIER",
                             {{"", address},
                              {"GSTIN", center_.gstin.empty() ? "not registered" : center_.gstin},
                              {"Phone", center_.phone},
                              {"E-mail", center_.email}});
    // Document particulars (rule 46 (b), (c), (l), (p)).
    const std::string pos_code = invoice_.opt_str("place_of_supply").value_or(supplier_state);
    std::vector<std::pair<std::string, std::string>> doc = {
        {credit_ ? "Credit note no." : "Invoice no.", invoice_.str("invoice_number")},
        {credit_ ? "Credit note date" : "Invoice date",
         invoice_.opt_str("invoice_date").value_or("")},
        {"Place of supply", state_line(pos_code)},
        {"Supply", inter_ ? "Inter-state (IGST)" : "Intra-state (CGST + SGST)"},
        {"Reverse charge", "No (tax is not payable on reverse charge)"}};
    if (credit_) {
      doc.push_back(
          {"Against invoice",
           original_number_ + (original_date_.empty() ? "" : " dated " + original_date_)});
    } else if (auto due = invoice_.opt_str("due_date")) {
      doc.push_back({"Due date", *due});
    }
    if (auto irn = invoice_.opt_str("irn")) doc.push_back({"IRN", *irn});
    double right = block(kMargin + half + 12, y_, half, credit_ ? "CREDIT NOTE" : "INVOICE", doc);
    y_ += std::max(left, right) + 6;
    if (draw_) pdf_->line(kMargin, y_, kMargin + width(), y_, 0.4, kRule);
    y_ += 6;
    // Recipient (rule 46 (d)).
    std::string raddress = json_text(customer_, "address");
    for (const char* key : {"cityState", "pincode"}) {
      const std::string part = json_text(customer_, key);
      if (!part.empty()) raddress += (raddress.empty() ? "" : ", ") + part;
    }
    const std::string gstin = json_text(customer_, "gstin");
    std::vector<std::pair<std::string, std::string>> rec = {{"Name", json_text(customer_, "name")},
                                                            {"Address", raddress}};
    if (!gstin.empty()) {
      rec.push_back({"GSTIN", gstin});
    } else {
      rec.push_back({"GSTIN", "Unregistered"});
    }
    rec.push_back({"State", state_line(pos_code)});
    rec.push_back({"Phone", json_text(customer_, "phone")});
    double h = block(kMargin, y_, half, "RECIPIENT (BILL TO)", rec);
    y_ += h + 8;
  }

  void header_row() {
    const double h = 13;
    if (draw_) pdf_->fill_rect(kMargin, y_, width(), h, kHeaderFill);
    double x = kMargin;
    for (const Column& c : columns_) {
      text(x + 2, y_ + 3, c.width - 4, c.title, kFont, true, c.align);
      x += c.width;
    }
    y_ += h;
  }

  double row_height(const LineView& l) {
    const double desc = pdf_->paragraph_height(columns_[1].width - 4, l.description, kFont);
    return std::max(desc, 16.0) + 3;
  }

  void line_row(const LineView& l, double h) {
    double x = kMargin;
    auto cell = [&](size_t i, const std::string& s, const std::string& below = "") {
      const Column& c = columns_[i];
      text(x + 2, y_ + 1.5, c.width - 4, s, kFont, false, c.align);
      if (!below.empty()) text(x + 2, y_ + 9, c.width - 4, below, 5.8, false, c.align, kMuted);
      x += c.width;
    };
    cell(0, l.no);
    if (draw_) pdf_->paragraph(x + 2, y_ + 1.5, columns_[1].width - 4, l.description, kFont);
    x += columns_[1].width;
    cell(2, l.hsn);
    cell(3, l.quantity);
    cell(4, l.unit);
    cell(5, l.rate);
    cell(6, l.value);
    cell(7, l.discount);
    cell(8, l.taxable);
    if (inter_) {
      cell(9, l.igst, "@ " + l.tax_rate);
    } else {
      cell(9, l.cgst, "@ " + l.tax_rate_half);
      cell(10, l.sgst, "@ " + l.tax_rate_half);
    }
    cell(columns_.size() - 1, l.total);
    y_ += h;
    if (draw_) pdf_->line(kMargin, y_, kMargin + width(), y_, 0.25, kRule);
  }

  static constexpr double kClosingHeight = 250;

  void closing() {
    const double top = y_ + 6;
    // Tax summary by rate (left) and totals (right).
    const double left_w = width() * 0.52;
    double ly = top;
    text(kMargin, ly, left_w, "Tax summary by rate", 7, true, Align::kLeft, kMuted);
    ly += 11;
    const std::vector<std::string> heads =
        inter_ ? std::vector<std::string>{"Rate", "Taxable value", "IGST"}
               : std::vector<std::string>{"Rate", "Taxable value", "CGST", "SGST"};
    const double cw = left_w / static_cast<double>(heads.size());
    for (size_t i = 0; i < heads.size(); ++i) {
      text(kMargin + cw * static_cast<double>(i), ly, cw - 4, heads[i], kFont, true,
           i ? Align::kRight : Align::kLeft);
    }
    ly += 10;
    for (const auto& [rate, sums] : rates_) {
      std::vector<std::string> cells = {rate_text(rate), figure(sums.taxable, credit_)};
      if (inter_) {
        cells.push_back(figure(sums.igst, credit_));
      } else {
        cells.push_back(figure(sums.cgst, credit_));
        cells.push_back(figure(sums.sgst, credit_));
      }
      for (size_t i = 0; i < cells.size(); ++i) {
        text(kMargin + cw * static_cast<double>(i), ly, cw - 4, cells[i], kFont, false,
             i ? Align::kRight : Align::kLeft);
      }
      ly += 9;
    }
    const double rx = kMargin + width() * 0.58;
    const double rw = width() * 0.42;
    double ry = top;
    auto total_line = [&](const std::string& label, int64_t paise, bool bold = false) {
      text(rx, ry, rw * 0.6, label, bold ? 8.5 : 7.2, bold);
      text(rx + rw * 0.6, ry, rw * 0.4, (bold ? "\u20b9 " : "") + figure(paise, credit_),
           bold ? 8.5 : 7.2, bold, Align::kRight);
      ry += bold ? 13 : 10;
    };
    total_line("Total value", invoice_.i64("gross"));
    total_line("Discount", invoice_.i64("line_discount") + invoice_.i64("document_discount"));
    total_line("Taxable value", invoice_.i64("taxable"));
    if (inter_) {
      total_line("IGST", invoice_.i64("igst"));
    } else {
      total_line("CGST", invoice_.i64("cgst"));
      total_line("SGST", invoice_.i64("sgst"));
    }
    total_line("Total", invoice_.i64("total"));
    total_line("Round-off", invoice_.i64("round_off"));
    if (draw_) pdf_->line(rx, ry, rx + rw, ry, 0.6);
    ry += 3;
    total_line(credit_ ? "Credit note total" : "Grand total", invoice_.i64("grand_total"), true);
    y_ = std::max(ly, ry) + 6;
    // In words.
    const int64_t grand = invoice_.i64("grand_total");
    const std::string words = "Amount in words: " + amount_in_words(Money::from_minor(grand));
    const double wh = pdf_->paragraph_height(width(), words, 7.5, true);
    if (draw_) pdf_->paragraph(kMargin, y_, width(), words, 7.5, true);
    y_ += wh + 4;
    text(kMargin, y_, width(), "Tax payable on reverse charge: No", 7, false, Align::kLeft, kMuted);
    y_ += 14;
    if (draw_) pdf_->line(kMargin, y_, kMargin + width(), y_, 0.4, kRule);
    y_ += 8;
    // QR code (left) and signature (right).
    const double qr = 92;
    std::string qr_data;
    std::string caption;
    if (auto signed_qr = invoice_.opt_str("irn_signed_qr")) {
      qr_data = *signed_qr;
      caption = "e-Invoice: signed QR code of the IRP";
    } else if (!credit_ && !center_.upi_id.empty()) {
      const int64_t due = grand - invoice_.i64("paid_amount");
      if (due > 0) {
        qr_data = upi_payment_link(center_.upi_id, center_.name, Money::from_minor(due),
                                   invoice_.str("invoice_number"));
        caption = "Scan to pay \u20b9 " + figure(due, false) + " by UPI to " + center_.upi_id;
      }
    }
    if (!qr_data.empty()) {
      if (draw_) render::draw_qr(*pdf_, kMargin, y_, qr, qr_data);
      text(kMargin + qr + 6, y_ + 4, width() * 0.4, caption, 7, false);
    }
    const double sx = kMargin + width() * 0.6;
    text(sx, y_, width() * 0.4, "For " + center_.name, 8, true, Align::kRight);
    if (draw_) pdf_->line(sx + 40, y_ + 58, kMargin + width(), y_ + 58, 0.5);
    text(sx, y_ + 61, width() * 0.4, "Authorised Signatory", 7.5, false, Align::kRight);
    y_ += qr + 6;
  }

  void run() {
    page_ = 0;
    page_frame();
    parties();
    header_row();
    for (const LineView& l : lines_) {
      const double h = row_height(l);
      if (y_ + h > bottom()) {
        page_frame();
        text(kMargin, y_, width(), "Lines (continued)", 7, true, Align::kLeft, kMuted);
        y_ += 11;
        header_row();
      }
      line_row(l, h);
    }
    if (y_ + kClosingHeight > bottom()) page_frame();
    closing();
  }

  struct RateSums {
    int64_t taxable = 0, cgst = 0, sgst = 0, igst = 0;
  };

  const storage::Row& invoice_;
  bool credit_ = false;
  bool inter_ = false;
  service::ServiceCenterInfo center_;
  Json customer_;
  std::string original_number_, original_date_;
  std::vector<LineView> lines_;
  std::map<int64_t, RateSums> rates_;
  std::vector<Column> columns_;
  PdfCanvas* pdf_ = nullptr;
  bool draw_ = false;
  int page_ = 0;
  int pages_ = 0;
  double y_ = 0;
};

std::string file_safe(const std::string& number) {
  std::string out;
  for (char c : number) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    out += ok ? c : '-';
  }
  return out;
}

}  // namespace

std::string amount_in_words(Money amount) {
  const int64_t minor = amount.minor();
  const uint64_t magnitude =
      minor < 0 ? static_cast<uint64_t>(-(minor + 1)) + 1 : static_cast<uint64_t>(minor);
  const uint64_t rupees = magnitude / 100;
  const uint64_t paise = magnitude % 100;
  std::string words = "Rupees " + indian_words(rupees);
  if (paise > 0) words += " and " + hundreds(paise) + " Paise";
  return words + " Only";
}

std::string upi_payment_link(const std::string& payee, const std::string& payee_name, Money amount,
                             const std::string& note) {
  return "upi://pay?pa=" + percent_escape(payee) + "&pn=" + percent_escape(payee_name) +
         "&am=" + amount.to_string() + "&cu=INR&tn=" + percent_escape(note);
}

InvoicePdf render_invoice_pdf(storage::Transaction& tx, const storage::Row& invoice) {
  const auto number = invoice.opt_str("invoice_number");
  if (!number) {
    throw Error::BusinessRule(ErrorCode::kInvoiceHasNoNumber,
                              "invoice " + invoice.str("id") + " is " + invoice.str("status") +
                                  ": a document without a number has no tax invoice PDF");
  }
  const bool credit = invoice.str("document_type") == "CREDIT_NOTE";
  InvoicePdf out;
  out.filename = std::string(credit ? "credit-note-" : "invoice-") + file_safe(*number) + ".pdf";
  const auto finalized = invoice.opt_i64("finalized_at");
  const int64_t at = finalized ? *finalized : invoice.i64("created_at");
  const std::string creation =
      Timestamp::from_unix_micros(at - ((at % 1000000) + 1000000) % 1000000).to_string();
  const std::string path = reports::temporary_path(".pdf");
  struct Remove {
    const std::string& p;
    ~Remove() { std::remove(p.c_str()); }
  } remove{path};
  InvoiceWriter(tx, invoice).write(path, creation);
  out.content = reports::read_whole_file(path);
  return out;
}

}  // namespace dms::billing
