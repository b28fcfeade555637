// counterOrders.*: over-the-counter parts sales (seed 000 OTCOrder, seed 004 Orders): a customer
// or a walk-in (name and phone), lines from the center's stock (unit price defaulting to the
// part's selling price, or its MRP on a tax-inclusive order, a discount per line in percent or
// amount) and services, picked up or
// shipped (an address and a shipping charge, taxed as docs/tax.md says), priced by the one
// pricing engine with prices that exclude or include GST (pricesIncludeTax).
//
//   PENDING     availability of each line reported (items[].availableQuantity, inStock)
//   PROCESSING  the parts reserved through the ledger (ALLOCATE rows, reference COUNTER_ORDER);
//               INSUFFICIENT_STOCK and nothing changed when the store cannot give them
//   READY       packed; a PICKUP order is handed over (DELIVERED), a SHIPPING order leaves
//               (SHIPPED, with a tracking number) and is DELIVERED on arrival
//   CANCELLED   from PENDING, PROCESSING or READY: the reservation released
// The parts leave the store for the customer exactly once: at DELIVERED for a pickup, at SHIPPED
// for a shipment (the reservation is consumed by the move). The invoice is made by billing
// (invoices.CreateFromCounterOrder), in the center's one invoice series; the order's payment
// status follows its invoice. Tenant-scoped by service center.
#include "sales/counter_orders.hpp"

#include <algorithm>
#include <string>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "inventory/stock.hpp"
#include "sales/documents.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/records.hpp"
#include "workshop/validation.hpp"

namespace dms::sales {

using workshop::actor;
using workshop::micros;
using workshop::opt_trimmed;
using workshop::paise;
using workshop::text;

namespace {

constexpr const char* kReference = "COUNTER_ORDER";

storage::Row load_order(storage::Transaction& tx, const Context& ctx, const std::string& id,
                        bool lock, std::string_view field = "id") {
  return workshop::load_in_center(tx, ctx, "sales_counter_orders", "counter order", id, lock,
                                  field);
}

CounterOrderStatus status_of(const storage::Row& o) {
  return kCounterOrderFlow.parse(o.str("status"));
}

// The shipping line: the charge at the rate of the order's principal supply (the highest rate
// among its lines), SAC 996812 (docs/tax.md).
SalesLine shipping_line(const std::vector<SalesLine>& lines, Money charge) {
  SalesLine line;
  line.item_type = kItemShipping;
  line.input.type = LineType::kService;
  line.input.description = "Shipping";
  line.input.hsn_sac = kShippingSac;
  line.input.quantity = Quantity::from_int(1);
  line.input.unit_price = charge;
  for (const SalesLine& l : lines)
    line.input.gst_rate = std::max(line.input.gst_rate, l.input.gst_rate);
  return line;
}

}  // namespace

Json counter_order_document(storage::Transaction& tx, const std::string& id) {
  return service::render_entity(tx, counter_order_spec(), id, "counter order");
}

std::string insert_counter_order(storage::Transaction& tx, const Context& ctx,
                                 const OrderDraft& d) {
  const workshop::ServiceCenterInfo center = workshop::load_service_center(tx, d.center_id);
  std::vector<SalesLine> lines;
  for (const SalesLine& l : d.lines) {
    if (l.item_type == kItemVehicle) {
      throw Error::BusinessRule(
          ErrorCode::kCounterOrderNoVehicles,
          "a counter order sells parts and services, not vehicles ('" + l.input.description + "')");
    }
    if (l.item_type != kItemShipping) lines.push_back(l);
  }
  const bool shipping = d.delivery_method == "SHIPPING";
  if (shipping && !d.shipping_address) {
    throw Error::Validation("shippingAddress", "shippingAddress is required for a SHIPPING order");
  }
  if (!shipping && d.shipping_charge.is_positive()) {
    throw Error::Validation("shippingCharge", "only a SHIPPING order carries a shippingCharge");
  }
  if (d.shipping_charge.is_negative()) {
    throw Error::Validation("shippingCharge", "shippingCharge must not be negative");
  }
  if (shipping && d.shipping_charge.is_positive()) {
    lines.push_back(shipping_line(lines, d.shipping_charge));
  }
  const SupplyType supply = supply_for(center, d.party);
  const PricedDocument priced = price_lines(lines, DocumentType::kCounterOrder, supply,
                                            d.prices_include_tax, d.document_discount);
  const Timestamp now = ctx.now();
  const std::string id = storage::new_id();
  const std::string number = next_number(tx, series::kCounterOrder, center, now.business_date());
  tx.exec(
      "INSERT INTO sales_counter_orders (id, order_number, service_center_id, customer_id, "
      "customer_name, customer_phone, quotation_id, delivery_method, shipping_address, "
      "shipping_charge, supply_type, prices_include_tax, status, payment_status, notes, "
      "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?)",
      {id, number, d.center_id, text(d.party.customer_id), d.party.name, text(d.party.phone),
       text(d.quotation_id), d.delivery_method, text(d.shipping_address), d.shipping_charge.minor(),
       supply_type_name(supply), static_cast<int64_t>(d.prices_include_tax),
       std::string(kCounterOrderFlow.name(CounterOrderStatus::kPending)),
       std::string(kOrderPaymentFlow.name(OrderPaymentStatus::kPending)), text(d.notes), actor(ctx),
       micros(now), micros(now)});
  write_lines(tx, "sales_counter_orders", id, lines, priced);
  const Json doc = counter_order_document(tx, id);
  audit::record(tx, ctx, "CREATE", "counter_order", id, Json(), doc, d.center_id);
  events::emit(tx, ctx, "counter_order.created",
               {{"counterOrderId", id}, {"orderNumber", number}, {"grandTotal", doc["grandTotal"]}},
               d.center_id, "inventory_manager");
  return id;
}

storage::Row order_for_invoice(storage::Transaction& tx, const Context& ctx, const std::string& id,
                               std::string_view field) {
  storage::Row order = load_order(tx, ctx, id, true, field);
  const CounterOrderStatus s = status_of(order);
  if (s == CounterOrderStatus::kPending || s == CounterOrderStatus::kCancelled) {
    throw Error::BusinessRule(ErrorCode::kCounterOrderNotReserved,
                              "counter order " + order.str("order_number") + " is " +
                                  order.str("status") +
                                  ": an order is invoiced once its stock is reserved");
  }
  if (!order.is_null("invoice_id")) {
    throw Error::BusinessRule(
        ErrorCode::kCounterOrderInvoiced,
        "counter order " + order.str("order_number") + " already has an invoice");
  }
  return order;
}

void link_invoice(storage::Transaction& tx, const std::string& order_id,
                  const std::optional<std::string>& invoice_id) {
  tx.exec("UPDATE sales_counter_orders SET invoice_id = ? WHERE id = ?",
          {text(invoice_id), order_id});
}

void follow_invoice_payment(storage::Transaction& tx, const Context& ctx,
                            const std::string& order_id, OrderPaymentStatus to) {
  const auto order = tx.query_one("SELECT * FROM sales_counter_orders WHERE id = ?", {order_id});
  if (!order) return;
  const OrderPaymentStatus from = kOrderPaymentFlow.parse(order->str("payment_status"));
  if (from == to) return;
  service::StatusChange change{"sales_counter_orders", "counter_order", order_id};
  change.column = "payment_status";
  change.audit_field = "paymentStatus";
  change.service_center_id = order->str("service_center_id");
  change.event = {"counter_order.payment_status_changed",
                  {{"counterOrderId", order_id},
                   {"orderNumber", order->str("order_number")},
                   {"paymentStatus", kOrderPaymentFlow.name(to)}},
                  ""};
  service::transition(tx, ctx, kOrderPaymentFlow, from, to, std::move(change));
}

namespace {

Json create_order(Env& env, const Context& ctx, const Json& req) {
  ctx.require("counter_orders:create");
  request::Fields f(req);
  OrderDraft d;
  d.center_id = workshop::center_for_new_record(ctx, f);
  const auto customer_id = f.opt_str("customerId", 100);
  if (!customer_id) {
    d.party.name = workshop::trim(f.str("customerName", 2, 100));
    d.party.phone = opt_trimmed(f, "customerPhone", 20);
    if (!d.party.phone)
      throw Error::Validation("customerPhone", "customerPhone is required for a walk-in");
    workshop::check_indian_mobile(*d.party.phone, "customerPhone");
  }
  const std::vector<ItemRequest> items = read_items(f, true);
  d.delivery_method = f.opt_one_of("deliveryMethod", {"PICKUP", "SHIPPING"}).value_or("PICKUP");
  d.shipping_address = opt_trimmed(f, "shippingAddress", 500);
  d.shipping_charge = f.opt_money("shippingCharge").value_or(Money());
  d.prices_include_tax = f.boolean("pricesIncludeTax", false);
  d.document_discount = f.opt_money("documentDiscount").value_or(Money());
  d.notes = opt_trimmed(f, "notes", 2000);
  return env.store->write([&](storage::Transaction& tx) {
    if (customer_id) {
      d.party = party_of_customer_row(workshop::load_customer(tx, *customer_id, "customerId"));
    }
    d.lines = resolve_items(tx, items, d.prices_include_tax);
    return counter_order_document(tx, insert_counter_order(tx, ctx, d));
  });
}

// The reservation requests of the order's part lines.
std::vector<inventory::AllocationRequest> reservations(storage::Transaction& tx,
                                                       const storage::Row& order,
                                                       const char* reason) {
  std::vector<inventory::AllocationRequest> out;
  for (const auto& line : tx.query(
           "SELECT id, part_id, quantity FROM sales_lines WHERE document_id = ? AND part_id IS "
           "NOT NULL ORDER BY line_no",
           {order.str("id")})) {
    inventory::AllocationRequest r;
    r.part_id = line.str("part_id");
    r.quantity = rows::quantity_or_zero(line, "quantity");
    r.reference_type = kReference;
    r.reference_id = order.str("id");
    r.reference_number = order.str("order_number");
    r.reason = reason;
    r.reference_line_id = line.str("id");
    out.push_back(std::move(r));
  }
  return out;
}

// The order's parts leave the store for the customer, consuming their reservation.
void hand_over_parts(storage::Transaction& tx, const Context& ctx, const storage::Row& order) {
  const inventory::Location store =
      inventory::store_location_of(tx, order.str("service_center_id"));
  const inventory::Location customer =
      inventory::virtual_location(tx, inventory::LocationKind::kCustomer);
  for (const auto& r : reservations(tx, order, "Counter sale")) {
    inventory::MoveRequest move;
    move.part_id = r.part_id;
    move.quantity = r.quantity;
    move.type = inventory::TxnType::kIssue;
    move.reason = "Counter sale";
    move.reference_type = kReference;
    move.reference_id = r.reference_id;
    move.reference_number = r.reference_number;
    move.reference_line_id = r.reference_line_id;
    move.consume_allocation = true;
    inventory::move_stock(tx, ctx, move, store, customer);
  }
}

struct OrderMove {
  CounterOrderStatus to;
  const char* permission;
  const char* event;
  std::vector<std::pair<std::string, storage::Value>> columns;
};

Json move_order(Env& env, const Context& ctx, const std::string& id, OrderMove m,
                const std::function<void(storage::Transaction&, const storage::Row&,
                                         CounterOrderStatus)>& before) {
  ctx.require(m.permission);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row order = load_order(tx, ctx, id, true);
    const CounterOrderStatus from = status_of(order);
    kCounterOrderFlow.require(from, m.to);  // before any stock moves
    if (before) before(tx, order, from);
    service::StatusChange change{"sales_counter_orders", "counter_order", id};
    change.service_center_id = order.str("service_center_id");
    change.columns = std::move(m.columns);
    change.event = {m.event,
                    {{"counterOrderId", id},
                     {"orderNumber", order.str("order_number")},
                     {"status", kCounterOrderFlow.name(m.to)}},
                    ""};
    service::transition(tx, ctx, kCounterOrderFlow, from, m.to, std::move(change));
    return counter_order_document(tx, id);
  });
}

Json process_order(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  return move_order(env, ctx, f.str("id", 1, 100),
                    {CounterOrderStatus::kProcessing,
                     "counter_orders:update",
                     "counter_order.processing",
                     {{"processing_at", micros(ctx.now())}}},
                    [&](storage::Transaction& tx, const storage::Row& order, CounterOrderStatus) {
                      const auto requests = reservations(tx, order, "Counter order reservation");
                      if (requests.empty()) return;
                      inventory::allocate_lines(
                          tx, ctx, requests,
                          inventory::store_location_of(tx, order.str("service_center_id")));
                    });
}

Json ready_order(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  return move_order(env, ctx, f.str("id", 1, 100),
                    {CounterOrderStatus::kReady,
                     "counter_orders:update",
                     "counter_order.ready",
                     {{"ready_at", micros(ctx.now())}}},
                    nullptr);
}

Json ship_order(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  const std::string tracking = workshop::trim(f.str("trackingNumber", 1, 100));
  return move_order(env, ctx, f.str("id", 1, 100),
                    {CounterOrderStatus::kShipped,
                     "counter_orders:update",
                     "counter_order.shipped",
                     {{"shipped_at", micros(ctx.now())}, {"tracking_number", tracking}}},
                    [&](storage::Transaction& tx, const storage::Row& order, CounterOrderStatus) {
                      if (order.str("delivery_method") != "SHIPPING") {
                        throw Error::BusinessRule(
                            ErrorCode::kDeliveryMethodMismatch,
                            "counter order " + order.str("order_number") +
                                " is picked up: only a SHIPPING order is shipped");
                      }
                      hand_over_parts(tx, ctx, order);
                    });
}

Json deliver_order(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  return move_order(
      env, ctx, f.str("id", 1, 100),
      {CounterOrderStatus::kDelivered,
       "counter_orders:update",
       "counter_order.delivered",
       {{"delivered_at", micros(ctx.now())}}},
      [&](storage::Transaction& tx, const storage::Row& order, CounterOrderStatus from) {
        if (from == CounterOrderStatus::kShipped) return;  // the parts left at SHIPPED
        if (order.str("delivery_method") == "SHIPPING") {
          throw Error::BusinessRule(ErrorCode::kDeliveryMethodMismatch,
                                    "counter order " + order.str("order_number") +
                                        " is shipped: it is delivered after counterOrders.Ship");
        }
        hand_over_parts(tx, ctx, order);
      });
}

Json cancel_order(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  const std::string reason = workshop::trim(f.str("reason", 1, 1000));
  return move_order(
      env, ctx, f.str("id", 1, 100),
      {CounterOrderStatus::kCancelled,
       "counter_orders:cancel",
       "counter_order.cancelled",
       {{"cancelled_at", micros(ctx.now())}, {"cancel_reason", reason}}},
      [&](storage::Transaction& tx, const storage::Row& order, CounterOrderStatus from) {
        if (!order.is_null("invoice_id")) {
          throw Error::BusinessRule(ErrorCode::kCounterOrderInvoiced,
                                    "counter order " + order.str("order_number") +
                                        " has an invoice: cancel the invoice first "
                                        "(invoices.Cancel or invoices.CreditNote)");
        }
        if (from == CounterOrderStatus::kPending) return;  // nothing reserved yet
        const auto requests = reservations(tx, order, "Counter order cancelled");
        if (requests.empty()) return;
        inventory::release_lines(tx, ctx, requests,
                                 inventory::store_location_of(tx, order.str("service_center_id")));
      });
}

Json get_order(Env& env, const Context& ctx, const Json& req) {
  ctx.require("counter_orders:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_order(tx, ctx, id, false);
    return service::get_entity(env, tx, counter_order_spec(), id, "counter order", req);
  });
}

Json list_orders(Env& env, const Context& ctx, const Json& req) {
  ctx.require("counter_orders:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, counter_order_spec(), req);
  });
}

const service::MethodRegistration kCreate("counterOrders.Create", create_order);
const service::MethodRegistration kProcess("counterOrders.Process", process_order);
const service::MethodRegistration kReady("counterOrders.MarkReady", ready_order);
const service::MethodRegistration kShip("counterOrders.Ship", ship_order);
const service::MethodRegistration kDeliver("counterOrders.Deliver", deliver_order);
const service::MethodRegistration kCancel("counterOrders.Cancel", cancel_order);
const service::MethodRegistration kGet("counterOrders.Get", get_order);
const service::MethodRegistration kList("counterOrders.List", list_orders, counter_order_spec);

}  // namespace
}  // namespace dms::sales
