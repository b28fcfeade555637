#include "service/rows.hpp"

#include <cctype>

namespace dms::rows {

std::string trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string compact_upper(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::optional<std::string> opt_trimmed(const request::Fields& f, std::string_view name,
                                       size_t max_len) {
  auto v = f.opt_str(name, max_len);
  if (!v) return std::nullopt;
  std::string t = trim(*v);
  if (t.empty()) return std::nullopt;
  return t;
}

Json document_json(const storage::Row& row, std::string_view column) {
  auto v = row.opt_str(column);
  return v ? Json::parse(*v) : Json();
}

void UpdateBuilder::set(std::string_view column, Value value) {
  if (!assignments_.empty()) assignments_ += ", ";
  assignments_.append(column).append(" = ?");
  values_.push_back(std::move(value));
}

int64_t UpdateBuilder::apply(storage::Transaction& tx, std::string_view table,
                             const std::string& id) {
  std::string sql = "UPDATE ";
  sql.append(table).append(" SET ").append(assignments_).append(" WHERE id = ?");
  std::vector<Value> values = values_;
  values.emplace_back(id);
  return tx.exec(sql, values);
}

void append_priced_figures(std::vector<Value>& params, const PricedLine& line) {
  for (const Money& m : {line.gross, line.line_discount, line.net, line.document_discount_share,
                         line.amount, line.taxable, line.cgst, line.sgst, line.igst, line.total}) {
    params.emplace_back(m.minor());
  }
}

LineInput line_input_of(const storage::Row& row) {
  LineInput input;
  input.description = row.str("description");
  input.hsn_sac = row.str("hsn_sac");
  input.quantity = quantity_or_zero(row, "quantity");
  input.unit_price = money_or_zero(row, "unit_price");
  input.gst_rate = Percent::from_units(row.i64("gst_rate"));
  if (auto p = row.opt_i64("discount_percent")) input.discount_percent = Percent::from_units(*p);
  if (auto a = row.opt_i64("discount_amount")) input.discount_amount = Money::from_minor(*a);
  return input;
}

}  // namespace dms::rows
