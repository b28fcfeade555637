// What quotations need of counter orders: creating one inside the caller's transaction (a
// quotation accepted as a counter order), and what billing needs: the order an invoice is made
// from, and the order's payment status following its invoice.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dms/context.hpp"
#include "sales/documents.hpp"
#include "sales/workflows.hpp"
#include "storage/store.hpp"

namespace dms::sales {

struct OrderDraft {
  std::string center_id;
  Party party;
  std::optional<std::string> quotation_id;
  std::string delivery_method;  // "PICKUP" | "SHIPPING"
  std::optional<std::string> shipping_address;
  Money shipping_charge;
  bool prices_include_tax = false;
  Money document_discount;
  std::optional<std::string> notes;
  std::vector<SalesLine> lines;  // without the shipping line, which this adds
};

// Prices and stores a PENDING order (audited, with its event); returns its id. VALIDATION for a
// shipping order without an address, BUSINESS_RULE for a vehicle line.
std::string insert_counter_order(storage::Transaction& tx, const Context& ctx,
                                 const OrderDraft& draft);

// The order's document as Get shows it.
Json counter_order_document(storage::Transaction& tx, const std::string& id);

// The order an invoice is made from, locked: NOT_FOUND naming `field` unless visible to the
// actor; BUSINESS_RULE unless it is past PENDING, not cancelled and without a live invoice.
storage::Row order_for_invoice(storage::Transaction& tx, const Context& ctx, const std::string& id,
                               std::string_view field);
// Links the order to its invoice (or unlinks it: nullopt, when the invoice is cancelled).
void link_invoice(storage::Transaction& tx, const std::string& order_id,
                  const std::optional<std::string>& invoice_id);
// Moves the order's payment status to follow its invoice's (audited, with its event); nothing
// when it is already there.
void follow_invoice_payment(storage::Transaction& tx, const Context& ctx,
                            const std::string& order_id, OrderPaymentStatus to);

}  // namespace dms::sales
