// What quotations and counter orders share: their document numbers, their priced lines (one
// table, sales_lines, read and written here), the party they are for and the GST decision, and
// their entity descriptions (the one source of Get, List and the records mutations return).
//
// Numbers (gapless, per service center and calendar year, docs/workflows.md):
//   lead           LEAD-{scCode}-{YYYY}-{SEQ4}
//   quotation      QT-{scCode}-{YYYY}-{SEQ4}
//   counter order  CO-{scCode}-{YYYY}-{SEQ4}
//
// Thread-safety: free functions over the caller's transaction; the specs are constant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/pricing.hpp"
#include "service/request.hpp"
#include "storage/document_numbers.hpp"
#include "storage/list_query.hpp"
#include "storage/store.hpp"
#include "workshop/common.hpp"

namespace dms::sales {

namespace series {
inline constexpr storage::NumberSeries kLead{"lead", "LEAD-{scCode}-{YYYY}-{SEQ4}",
                                             "{scCode}/{YYYY}", 0};
inline constexpr storage::NumberSeries kQuotation{"quotation", "QT-{scCode}-{YYYY}-{SEQ4}",
                                                  "{scCode}/{YYYY}", 0};
inline constexpr storage::NumberSeries kCounterOrder{"counter_order", "CO-{scCode}-{YYYY}-{SEQ4}",
                                                     "{scCode}/{YYYY}", 0};
}  // namespace series

// Item types of a sales line: a service, a catalog part, a vehicle, and (counter orders only)
// the shipping charge.
inline constexpr const char* kItemService = "service";
inline constexpr const char* kItemSparePart = "spare_part";
inline constexpr const char* kItemVehicle = "vehicle";
inline constexpr const char* kItemShipping = "shipping";

// The SAC of a shipping line: courier services (docs/tax.md).
inline constexpr const char* kShippingSac = "996812";

// One line as requested, before the catalog fills in what it omits.
struct ItemRequest {
  std::string item_type;
  std::optional<std::string> part_id;
  std::optional<std::string> description;
  std::optional<std::string> hsn_sac;
  Quantity quantity;
  std::optional<Money> unit_price;
  std::optional<Percent> gst_rate;
  std::optional<Percent> discount_percent;
  std::optional<Money> discount_amount;
};

// A line ready for the pricing engine.
struct SalesLine {
  std::string item_type;
  std::optional<std::string> part_id;
  LineInput input;
};

// items[] of a request. `parts_only`: counter orders sell parts and services, never vehicles.
std::vector<ItemRequest> read_items(const request::Fields& f, bool counter_order);
// Fills each line from the catalog (a spare part's description, HSN, GST rate and price, each
// unless given). The price of a part line is its MRP when `prices_include_tax` and the part has
// one, else its selling price (docs/tax.md). NOT_FOUND naming items[i].partId; VALIDATION for a
// line without what an invoice needs.
std::vector<SalesLine> resolve_items(storage::Transaction& tx,
                                     const std::vector<ItemRequest>& items,
                                     bool prices_include_tax);

// The stored lines of a document, as engine input.
std::vector<SalesLine> stored_lines(storage::Transaction& tx, const std::string& document_id);

struct Party {
  std::optional<std::string> customer_id;
  std::string name;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> gstin;
  std::optional<std::string> state_text;
};
// A stored customer as a party.
Party party_of_customer_row(const storage::Row& customer);

// Intra- or inter-state: the center's GST state against the party's (billing's rule).
SupplyType supply_for(const workshop::ServiceCenterInfo& center, const Party& party);

PricedDocument price_lines(const std::vector<SalesLine>& lines, DocumentType type,
                           SupplyType supply, bool prices_include_tax, Money document_discount);

// Replaces the document's lines and writes its totals in `table` (sales_quotations or
// sales_counter_orders).
void write_lines(storage::Transaction& tx, const std::string& table, const std::string& document_id,
                 const std::vector<SalesLine>& lines, const PricedDocument& priced);

// The next number of `s` at `center` for `date`.
std::string next_number(storage::Transaction& tx, const storage::NumberSeries& s,
                        const workshop::ServiceCenterInfo& center, Date date);

// Entity descriptions.
const storage::ListSpec& sales_line_spec();
const storage::ListSpec& lead_spec();
const storage::ListSpec& lead_note_spec();
const storage::ListSpec& quotation_spec();
const storage::ListSpec& counter_order_spec();

}  // namespace dms::sales
