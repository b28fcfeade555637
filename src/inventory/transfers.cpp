// Parts issues (central warehouse to a service center; seed 002 section 7.4, workflow 2) and
// stock transfers (service center to service center; seed 000 section 4.4). Both have one shape:
//
//   Create    PENDING_APPROVAL  allocate the requested quantities at the source
//   Approve   APPROVED          release them; move approvedQty source -> in-transit
//   Dispatch  DISPATCHED        transport details only
//   Receive   COMPLETED         in-transit -> destination store what arrived, the shortfall
//                               in-transit -> scrap/loss, so in-transit is back to zero
//   Reject    REJECTED          (before approval) release the allocation
//   Cancel    CANCELLED         before dispatch: release, or move in-transit back to the source
//
// Who may act: parts issues are requested by a service center (parts_issues:create or
// inventory:request), approved by an admin, dispatched by the central warehouse and received by
// the center (parts_issues:receive); center users see only the issues to their own center.
// Stock transfers are requested by either center, approved by a manager (stock_transfers:approve,
// or the sc_manager of the giving center), dispatched by the giving center and received by the
// receiving one; center users see only the transfers from or to their own center.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "inventory/catalog.hpp"
#include "inventory/list_specs.hpp"
#include "inventory/numbering.hpp"
#include "inventory/rows.hpp"
#include "inventory/service_util.hpp"
#include "inventory/stock.hpp"
#include "inventory/workflows.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"

namespace dms::inventory {
namespace {

using request::Fields;
using storage::Row;
using storage::Transaction;
using storage::Value;

enum class Kind : uint8_t { kPartsIssue, kStockTransfer };

struct KindInfo {
  const char* db_kind;                  // inv_transfers.kind and the ledger's reference_type
  const storage::NumberSeries* series;  // document numbers
  const char* entity;                   // audit entity and event prefix
  const char* number_field;             // "issueNumber" / "transferNumber"
  const Workflow<TransferStatus>* flow;
  TxnType out_type;  // the move out of the source
};

const KindInfo& info(Kind kind) {
  static const KindInfo kIssue{"PARTS_ISSUE", &series::kPartsIssue, "parts_issue",
                               "issueNumber", &kPartsIssueFlow,     TxnType::kIssue};
  static const KindInfo kTransfer{"STOCK_TRANSFER", &series::kStockTransfer, "stock_transfer",
                                  "transferNumber", &kStockTransferFlow,     TxnType::kTransfer};
  return kind == Kind::kPartsIssue ? kIssue : kTransfer;
}

// ---- Loading -----------------------------------------------------------------------------------

struct Item {
  std::string id;
  std::string part_id;
  Quantity requested;
  std::optional<Quantity> approved;
  Money unit_cost;
};

struct TransferDoc {
  Kind kind = Kind::kPartsIssue;
  std::string id;
  std::string number;
  TransferStatus status = TransferStatus::kPendingApproval;
  std::string from_location, to_location;
  std::optional<std::string> from_center, to_center;
  std::vector<Item> items;
};

enum class Party : uint8_t { kEither, kSource, kDestination };

// NOT_FOUND for a center user who is not the named party of the document.
void require_party(const Context& ctx, const TransferDoc& doc, Party party) {
  const auto scope = service::tenant_scope(ctx);
  if (!scope) return;
  const bool source = doc.from_center && *doc.from_center == *scope;
  const bool destination = doc.to_center && *doc.to_center == *scope;
  const bool ok = party == Party::kSource        ? source
                  : party == Party::kDestination ? destination
                                                 : source || destination;
  if (!ok) throw Error::NotFound(info(doc.kind).entity, doc.id);
}

TransferDoc load_doc(Transaction& tx, Kind kind, const std::string& id, bool lock) {
  auto row = tx.query_one(
      std::string("SELECT id, number, status, from_location_id, to_location_id, "
                  "from_service_center_id, to_service_center_id FROM inv_transfers WHERE id = ? "
                  "AND kind = ?") +
          (lock ? tx.for_update() : ""),
      {id, std::string(info(kind).db_kind)});
  if (!row) throw Error::NotFound(info(kind).entity, id);
  TransferDoc doc;
  doc.kind = kind;
  doc.id = row->str("id");
  doc.number = row->str("number");
  doc.status = info(kind).flow->parse(row->str("status"));
  doc.from_location = row->str("from_location_id");
  doc.to_location = row->str("to_location_id");
  doc.from_center = row->opt_str("from_service_center_id");
  doc.to_center = row->opt_str("to_service_center_id");
  for (const auto& item : tx.query("SELECT id, part_id, requested_qty, approved_qty, unit_cost "
                                   "FROM inv_transfer_items WHERE transfer_id = ? ORDER BY line_no",
                                   {id})) {
    doc.items.push_back({item.str("id"), item.str("part_id"), quantity_of(item, "requested_qty"),
                         opt_quantity(item, "approved_qty"),
                         Money::from_minor(item.opt_i64("unit_cost").value_or(0))});
  }
  return doc;
}

const storage::ListSpec& spec_of(Kind kind) {
  return kind == Kind::kPartsIssue ? parts_issue_spec() : stock_transfer_spec();
}

// The document with its items, from its description (parts_issue_spec, stock_transfer_spec).
Json doc_json(Transaction& tx, Kind kind, const std::string& id) {
  return service::render_entity(tx, spec_of(kind), id, info(kind).entity);
}

// ---- Shared steps ------------------------------------------------------------------------------

AllocationRequest allocation_of(const TransferDoc& doc, const Item& item, Quantity quantity,
                                const char* reason) {
  AllocationRequest a;
  a.part_id = item.part_id;
  a.location_id = doc.from_location;
  a.quantity = quantity;
  a.reference_type = info(doc.kind).db_kind;
  a.reference_id = doc.id;
  a.reference_number = doc.number;
  a.reference_line_id = item.id;
  a.reason = reason;
  return a;
}

MoveRequest move_of(const TransferDoc& doc, const Item& item, Quantity quantity, TxnType type,
                    std::string reason, std::string notes = {}) {
  MoveRequest m;
  m.part_id = item.part_id;
  m.quantity = quantity;
  m.type = type;
  m.reason = std::move(reason);
  m.reference_type = info(doc.kind).db_kind;
  m.reference_id = doc.id;
  m.reference_number = doc.number;
  m.reference_line_id = item.id;
  m.notes = std::move(notes);
  m.unit_cost = item.unit_cost;
  return m;
}

void release_all(Transaction& tx, const Context& ctx, const TransferDoc& doc, const char* reason) {
  std::vector<AllocationRequest> releases;
  for (const auto& item : doc.items)
    releases.push_back(allocation_of(doc, item, item.requested, reason));
  release_lines(tx, ctx, releases, location_by_id(tx, doc.from_location));
}

// The items of a new document, many rows per statement.
void insert_items(Transaction& tx, const TransferDoc& doc,
                  const std::map<std::string, PartSummary>& parts) {
  constexpr size_t kRowsPerStatement = 100;
  for (size_t start = 0; start < doc.items.size(); start += kRowsPerStatement) {
    const size_t end = std::min(doc.items.size(), start + kRowsPerStatement);
    std::string sql =
        "INSERT INTO inv_transfer_items (id, transfer_id, line_no, part_id, part_name, "
        "part_number, requested_qty) VALUES ";
    std::vector<Value> values;
    for (size_t i = start; i < end; ++i) {
      const Item& item = doc.items[i];
      const PartSummary& part = parts.at(item.part_id);
      sql += i == start ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)";
      values.insert(values.end(), {item.id, doc.id, static_cast<int64_t>(i + 1), part.id, part.name,
                                   part.part_number, item.requested.units()});
    }
    tx.exec(sql, values);
  }
}

// The document's move to `to`: the columns that come with it (`columns`), the audit row `event`
// with `details` and the event "<entity>.<event>" to `audience`.
void move_doc(Transaction& tx, const Context& ctx, const TransferDoc& doc, TransferStatus to,
              const char* event, const char* audience, Json details,
              std::vector<std::pair<std::string, Value>> columns) {
  service::StatusChange change{"inv_transfers", info(doc.kind).entity, doc.id};
  change.service_center_id = doc.to_center;
  change.columns = std::move(columns);
  change.action = event;
  details["status"] = info(doc.kind).flow->name(to);
  change.audit_new = details;
  Json payload = details;
  payload["id"] = doc.id;
  payload[info(doc.kind).number_field] = doc.number;
  payload["toServiceCenterId"] = doc.to_center ? Json(*doc.to_center) : Json();
  std::string type = std::string(info(doc.kind).entity) + "." + event;
  for (char& c : type) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  change.event = {type, payload, audience};
  service::transition(tx, ctx, *info(doc.kind).flow, doc.status, to, std::move(change));
}

// The audit action (and event suffix) of a move: the target state's name; a receipt is RECEIVED.
const char* action_of(const TransferDoc& doc, TransferStatus to) {
  return info(doc.kind).flow->name(to);
}

// ---- Create ------------------------------------------------------------------------------------

struct RequestedItem {
  std::string part_id;
  Quantity quantity;
};

std::vector<RequestedItem> read_requested(const Fields& f) {
  const Json& items = f.array("items", kMaxLines);
  std::vector<RequestedItem> out;
  for (size_t i = 0; i < items.size(); ++i) {
    const Fields item = f.element("items", i);
    RequestedItem r;
    r.part_id = item.has("centralInventoryPartId") ? item.str("centralInventoryPartId", 1, 100)
                                                   : item.str("partId", 1, 100);
    r.quantity =
        item.has("requestedQty") ? item.quantity("requestedQty") : item.quantity("quantity");
    if (r.quantity.units() <= 0) {
      throw Error::Validation(item.path("requestedQty"),
                              item.path("requestedQty") + " must be positive");
    }
    out.push_back(std::move(r));
  }
  return out;
}

struct Endpoints {
  Location from;
  Location to;
};

Endpoints issue_endpoints(Transaction& tx, const Context& ctx, const Fields& f) {
  const std::string center = f.str("toServiceCenterId", 1, 100);
  service::require_visible(ctx, center, "service center", center);
  Location from = central_location(tx);
  if (auto id = f.opt_str("fromLocationId", 100)) {
    from = location_by_id(tx, *id);
    if (from.kind != LocationKind::kWarehouse) {
      throw Error::Validation("fromLocationId", "parts are issued from a central warehouse");
    }
  }
  return {from, store_location_of(tx, center)};
}

Endpoints transfer_endpoints(Transaction& tx, const Context& ctx, const Fields& f) {
  const std::string from_center = f.str("fromServiceCenterId", 1, 100);
  const std::string to_center = f.str("toServiceCenterId", 1, 100);
  if (from_center == to_center) {
    throw Error::Validation("toServiceCenterId", "a transfer needs two different service centers");
  }
  // A transfer is raised at the center that gives the stock (docs/security.md, "Stock
  // transfers"): a confined user names only their own center as the source, so nobody reserves,
  // or learns the figures of, another center's store.
  if (const auto scope = service::tenant_scope(ctx); scope && *scope != from_center) {
    throw Error::NotFound("service center", from_center);
  }
  return {store_location_of(tx, from_center), store_location_of(tx, to_center)};
}

void require_create(const Context& ctx, Kind kind) {
  if (kind == Kind::kPartsIssue) {
    require_any(ctx, {"parts_issues:create", "inventory:request"});
  } else {
    require_any(ctx, {"stock_transfers:create", "inventory:request", "inventory:transfer"});
  }
}

Json create_doc(Env& env, const Context& ctx, const Json& request, Kind kind) {
  require_create(ctx, kind);
  const Fields f(request);
  const std::vector<RequestedItem> requested = read_requested(f);
  const std::string priority =
      f.opt_one_of("priority", {"HIGH", "MEDIUM", "LOW"}).value_or("MEDIUM");
  const auto notes = f.opt_str("notes", kLongText);
  return env.store->write([&](Transaction& tx) {
    const Endpoints ends =
        kind == Kind::kPartsIssue ? issue_endpoints(tx, ctx, f) : transfer_endpoints(tx, ctx, f);
    TransferDoc doc;
    doc.kind = kind;
    doc.id = storage::new_id();
    doc.number = next_document_number(tx, ctx, *info(kind).series);
    doc.from_location = ends.from.id;
    doc.to_location = ends.to.id;
    doc.from_center = ends.from.service_center_id;
    doc.to_center = ends.to.service_center_id;
    const int64_t now = ctx.now().unix_micros();
    tx.exec(
        "INSERT INTO inv_transfers (id, kind, number, from_location_id, to_location_id, "
        "from_service_center_id, to_service_center_id, status, priority, notes, requested_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {doc.id, std::string(info(kind).db_kind), doc.number, doc.from_location, doc.to_location,
         text_or_null(doc.from_center), text_or_null(doc.to_center),
         std::string(info(kind).flow->name(TransferStatus::kPendingApproval)), priority,
         text_or_null(notes), text_or_null(ctx.user_id), now, now});
    std::vector<std::string> part_ids;
    for (const auto& r : requested) part_ids.push_back(r.part_id);
    const auto parts = load_parts(tx, part_ids, "items");
    for (const auto& r : requested) {
      doc.items.push_back({storage::new_id(), r.part_id, r.quantity, std::nullopt, Money()});
    }
    insert_items(tx, doc, parts);
    std::vector<AllocationRequest> reservations;
    reservations.reserve(doc.items.size());
    for (const auto& item : doc.items) {
      reservations.push_back(
          allocation_of(doc, item, item.requested, "Reserved for transfer request"));
    }
    allocate_lines(tx, ctx, reservations, ends.from);
    Json result = doc_json(tx, kind, doc.id);
    audit::record(tx, ctx, "CREATE", info(kind).entity, doc.id, Json::object(), result,
                  doc.to_center);
    Json payload = {{"id", doc.id},
                    {info(kind).number_field, doc.number},
                    {"status", info(kind).flow->name(TransferStatus::kPendingApproval)},
                    {"priority", priority},
                    {"toServiceCenterId", doc.to_center ? Json(*doc.to_center) : Json()}};
    events::emit(tx, ctx, std::string(info(kind).entity) + ".requested", payload, doc.to_center,
                 kind == Kind::kPartsIssue ? "admin" : "sc_manager");
    return result;
  });
}

// ---- Approve / Reject / Cancel -----------------------------------------------------------------

// Parts issues: parts_issues:approve (by default admin only, as seed 002's workflow 2 has it).
// Stock transfers: stock_transfers:approve, or stock_transfers:approve_outgoing (by default the
// service-center manager) for a transfer out of the actor's own center's store.
void require_approver(const Context& ctx, const TransferDoc& doc) {
  if (doc.kind == Kind::kPartsIssue) {
    ctx.require("parts_issues:approve");
    return;
  }
  if (ctx.has_permission("stock_transfers:approve")) {
    ctx.require("stock_transfers:approve");
    return;
  }
  require_party(ctx, doc, Party::kEither);
  ctx.require("stock_transfers:approve_outgoing");
  if (!doc.from_center || ctx.service_center_id != doc.from_center) {
    throw Error(ErrorCode::kForbidden,
                "a stock transfer is approved at the service center that gives the stock");
  }
}

// approvedQty per item: what the request lists, the requested quantity for the others.
std::map<std::string, Quantity> read_approved(const Fields& f, const TransferDoc& doc) {
  std::map<std::string, Quantity> approved;
  for (const auto& item : doc.items) approved[item.id] = item.requested;
  if (!f.has("approvedItems")) return approved;
  const Json& lines = f.array("approvedItems", kMaxLines);
  for (size_t i = 0; i < lines.size(); ++i) {
    const Fields line = f.element("approvedItems", i);
    const std::string item_id = line.str("itemId", 1, 100);
    const auto it = std::find_if(doc.items.begin(), doc.items.end(),
                                 [&](const Item& item) { return item.id == item_id; });
    if (it == doc.items.end()) {
      throw Error(ErrorCode::kNotFound, "item " + item_id + " is not on this document",
                  line.path("itemId"));
    }
    const Quantity qty = line.quantity("approvedQty");
    if (qty.is_negative() || qty > it->requested) {
      throw Error::Validation(line.path("approvedQty"),
                              line.path("approvedQty") + " must be between 0 and the requested " +
                                  it->requested.to_string());
    }
    approved[item_id] = qty;
  }
  return approved;
}

Json approve_doc(Env& env, const Context& ctx, const Json& request, Kind kind) {
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const auto notes = f.opt_str("notes", kLongText);
  return env.store->write([&](Transaction& tx) {
    TransferDoc doc = load_doc(tx, kind, id, true);
    require_party(ctx, doc, Party::kEither);  // another center's document: NOT_FOUND
    require_approver(ctx, doc);
    info(kind).flow->require(doc.status, TransferStatus::kApproved);
    const auto approved = read_approved(f, doc);
    const bool any = std::any_of(approved.begin(), approved.end(),
                                 [](const auto& a) { return a.second.units() > 0; });
    if (!any)
      throw Error::Validation("approvedItems", "nothing approved: reject the request instead");
    release_all(tx, ctx, doc, "Approved: reservation released");
    const Location from = location_by_id(tx, doc.from_location);
    const Location transit = virtual_location(tx, LocationKind::kInTransit);
    for (auto& item : doc.items) {
      const Quantity qty = approved.at(item.id);
      item.unit_cost = balance_of(tx, item.part_id, from.id).average_cost;
      tx.exec("UPDATE inv_transfer_items SET approved_qty = ?, unit_cost = ? WHERE id = ?",
              {qty.units(), item.unit_cost.minor(), item.id});
      if (qty.units() > 0) {
        move_stock(tx, ctx, move_of(doc, item, qty, info(kind).out_type, "Approved for transfer"),
                   from, transit);
      }
    }
    move_doc(tx, ctx, doc, TransferStatus::kApproved, action_of(doc, TransferStatus::kApproved),
             "sc_manager", {{"approvedBy", ctx.user_id}},
             {{"approved_by", text_or_null(ctx.user_id.empty() ? ctx.user_name : ctx.user_id)},
              {"approved_at", ctx.now().unix_micros()},
              {"approval_notes", text_or_null(notes)}});
    return doc_json(tx, kind, id);
  });
}

Json reject_doc(Env& env, const Context& ctx, const Json& request, Kind kind) {
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const std::string reason = f.str("reason", 1, kLongText);
  return env.store->write([&](Transaction& tx) {
    const TransferDoc doc = load_doc(tx, kind, id, true);
    require_party(ctx, doc, Party::kEither);  // another center's document: NOT_FOUND
    require_approver(ctx, doc);
    info(kind).flow->require(doc.status, TransferStatus::kRejected);
    release_all(tx, ctx, doc, "Rejected: reservation released");
    move_doc(tx, ctx, doc, TransferStatus::kRejected, action_of(doc, TransferStatus::kRejected),
             "sc_manager", {{"reason", reason}},
             {{"rejected_by", text_or_null(ctx.user_id)},
              {"rejected_at", ctx.now().unix_micros()},
              {"rejection_reason", reason}});
    return doc_json(tx, kind, id);
  });
}

void require_cancel(const Context& ctx, const TransferDoc& doc) {
  if (doc.kind == Kind::kPartsIssue) {
    require_any(ctx, {"parts_issues:cancel", "inventory:request"});
  } else {
    require_any(ctx, {"stock_transfers:cancel", "inventory:request", "inventory:transfer"});
  }
  require_party(ctx, doc, doc.kind == Kind::kPartsIssue ? Party::kDestination : Party::kEither);
}

Json cancel_doc(Env& env, const Context& ctx, const Json& request, Kind kind) {
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const auto reason = f.opt_str("reason", kLongText);
  return env.store->write([&](Transaction& tx) {
    const TransferDoc doc = load_doc(tx, kind, id, true);
    require_party(ctx, doc, Party::kEither);  // another center's document: NOT_FOUND
    require_cancel(ctx, doc);
    info(kind).flow->require(doc.status, TransferStatus::kCancelled);
    if (doc.status == TransferStatus::kPendingApproval) {
      release_all(tx, ctx, doc, "Cancelled: reservation released");
    } else {  // APPROVED: the approved quantities go back from in-transit to the source
      const Location from = location_by_id(tx, doc.from_location);
      const Location transit = virtual_location(tx, LocationKind::kInTransit);
      for (const auto& item : doc.items) {
        if (item.approved && item.approved->units() > 0) {
          move_stock(
              tx, ctx,
              move_of(doc, item, *item.approved, TxnType::kReturn, "Cancelled before dispatch"),
              transit, from);
        }
      }
    }
    move_doc(tx, ctx, doc, TransferStatus::kCancelled, action_of(doc, TransferStatus::kCancelled),
             "sc_manager", {{"reason", json_of(reason)}},
             {{"cancelled_by", text_or_null(ctx.user_id)},
              {"cancelled_at", ctx.now().unix_micros()},
              {"cancellation_reason", text_or_null(reason)}});
    return doc_json(tx, kind, id);
  });
}

// ---- Dispatch / Receive ------------------------------------------------------------------------

Json dispatch_doc(Env& env, const Context& ctx, const Json& request, Kind kind) {
  if (kind == Kind::kPartsIssue) {
    ctx.require("parts_issues:dispatch");
  } else {
    require_any(ctx, {"stock_transfers:dispatch", "inventory:transfer"});
  }
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const std::string date =
      f.opt_date("dispatchedDate").value_or(ctx.now().business_date()).to_string();
  std::optional<std::string> transport;
  if (f.has("transportDetails")) transport = f.raw("transportDetails").dump();
  if (f.has("transportDetails") && !f.raw("transportDetails").is_object()) {
    throw Error::Validation("transportDetails", "transportDetails must be an object");
  }
  const auto tracking = f.opt_str("trackingNumber", 100);
  std::optional<std::string> arrival;
  if (auto d = f.opt_date("estimatedArrival")) arrival = d->to_string();
  return env.store->write([&](Transaction& tx) {
    const TransferDoc doc = load_doc(tx, kind, id, true);
    require_party(ctx, doc, Party::kSource);
    move_doc(tx, ctx, doc, TransferStatus::kDispatched, action_of(doc, TransferStatus::kDispatched),
             "sc_manager",
             {{"dispatchedDate", date},
              {"trackingNumber", json_of(tracking)},
              {"estimatedArrival", json_of(arrival)}},
             {{"dispatched_by", text_or_null(ctx.user_id)},
              {"dispatched_date", date},
              {"transport_details", text_or_null(transport)},
              {"tracking_number", text_or_null(tracking)},
              {"estimated_arrival", text_or_null(arrival)}});
    return doc_json(tx, kind, id);
  });
}

struct ArrivedItem {
  Quantity received;
  std::string condition;
  std::string notes;
};

std::map<std::string, ArrivedItem> read_arrived(const Fields& f, const TransferDoc& doc) {
  std::map<std::string, ArrivedItem> arrived;
  const Json& lines = f.array("receivedItems", kMaxLines);
  for (size_t i = 0; i < lines.size(); ++i) {
    const Fields line = f.element("receivedItems", i);
    const std::string item_id = line.str("itemId", 1, 100);
    const auto it = std::find_if(doc.items.begin(), doc.items.end(),
                                 [&](const Item& item) { return item.id == item_id; });
    if (it == doc.items.end()) {
      throw Error(ErrorCode::kNotFound, "item " + item_id + " is not on this document",
                  line.path("itemId"));
    }
    ArrivedItem a;
    a.received = line.quantity("receivedQty");
    a.condition = line.opt_one_of("condition", {"GOOD", "DAMAGED", "PARTIAL"}).value_or("GOOD");
    a.notes = line.opt_str("notes", kLongText).value_or("");
    const Quantity sent = it->approved.value_or(Quantity());
    if (a.received.is_negative() || a.received > sent) {
      throw Error::Validation(line.path("receivedQty"), line.path("receivedQty") +
                                                            " must be between 0 and the " +
                                                            sent.to_string() + " dispatched");
    }
    if (!arrived.emplace(item_id, std::move(a)).second) {
      throw Error::Validation(line.path("itemId"), "item " + item_id + " is listed twice");
    }
  }
  for (const auto& item : doc.items) {
    if (item.approved && item.approved->units() > 0 && !arrived.count(item.id)) {
      throw Error::Validation("receivedItems",
                              "item " + item.id + " was dispatched: give its receivedQty");
    }
  }
  return arrived;
}

void receive_item(Transaction& tx, const Context& ctx, const TransferDoc& doc, const Item& item,
                  const ArrivedItem& arrived, const Location& transit, const Location& to,
                  const Location& scrap) {
  const Quantity sent = item.approved.value_or(Quantity());
  const Quantity lost = sent - arrived.received;
  if (arrived.received.units() > 0) {
    move_stock(
        tx, ctx,
        move_of(doc, item, arrived.received, TxnType::kReceive, "Transfer received", arrived.notes),
        transit, to);
  }
  if (lost.units() > 0) {
    const std::string why =
        arrived.notes.empty() ? "Short on receipt (" + arrived.condition + ")" : arrived.notes;
    move_stock(tx, ctx, move_of(doc, item, lost, TxnType::kAdjust, "TRANSIT_LOSS", why), transit,
               scrap);
  }
  tx.exec(
      "UPDATE inv_transfer_items SET received_qty = ?, lost_qty = ?, item_condition = ?, "
      "notes = ? WHERE id = ?",
      {arrived.received.units(), lost.units(), arrived.condition, text_or_null(arrived.notes),
       item.id});
}

Json receive_doc(Env& env, const Context& ctx, const Json& request, Kind kind) {
  if (kind == Kind::kPartsIssue) {
    ctx.require("parts_issues:receive");
  } else {
    require_any(ctx, {"stock_transfers:receive", "inventory:transfer"});
  }
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const std::string date =
      f.opt_date("receivedDate").value_or(ctx.now().business_date()).to_string();
  const auto notes = f.opt_str("notes", kLongText);
  return env.store->write([&](Transaction& tx) {
    const TransferDoc doc = load_doc(tx, kind, id, true);
    require_party(ctx, doc, Party::kDestination);
    info(kind).flow->require(doc.status, TransferStatus::kCompleted);
    const auto arrived = read_arrived(f, doc);
    const Location transit = virtual_location(tx, LocationKind::kInTransit);
    const Location to = location_by_id(tx, doc.to_location);
    const Location scrap = virtual_location(tx, LocationKind::kScrap);
    Quantity lost_total;
    for (const auto& item : doc.items) {
      const auto it = arrived.find(item.id);
      const ArrivedItem none{Quantity(), "GOOD", ""};
      const ArrivedItem& a = it == arrived.end() ? none : it->second;
      receive_item(tx, ctx, doc, item, a, transit, to, scrap);
      lost_total += item.approved.value_or(Quantity()) - a.received;
    }
    move_doc(tx, ctx, doc, TransferStatus::kCompleted, "RECEIVED",
             kind == Kind::kPartsIssue ? "central_inventory_manager" : "sc_manager",
             {{"receivedDate", date}, {"lostQuantity", json_of(lost_total)}},
             {{"received_by", text_or_null(ctx.user_id)},
              {"received_date", date},
              {"receipt_notes", text_or_null(notes)}});
    return doc_json(tx, kind, id);
  });
}

// ---- Reads -------------------------------------------------------------------------------------

void require_read(const Context& ctx, Kind kind) {
  require_any(ctx, {kind == Kind::kPartsIssue ? "parts_issues:read" : "stock_transfers:read",
                    "inventory:read"});
}

Json get_doc(Env& env, const Context& ctx, const Json& request, Kind kind) {
  require_read(ctx, kind);
  const std::string id = Fields(request).str("id", 1, 100);
  return env.store->read([&](Transaction& tx) {
    const TransferDoc doc = load_doc(tx, kind, id, false);
    require_party(ctx, doc, kind == Kind::kPartsIssue ? Party::kDestination : Party::kEither);
    return service::get_entity(env, tx, spec_of(kind), id, info(kind).entity, request);
  });
}

Json list_docs(Env& env, const Context& ctx, const Json& request, Kind kind) {
  require_read(ctx, kind);
  return env.store->read([&](Transaction& tx) {
    return service::list_entity(env, ctx, tx, spec_of(kind), request,
                                {{"t.kind = ?", {std::string(info(kind).db_kind)}}});
  });
}

// One registered function per method name and kind.
template <Json (*Fn)(Env&, const Context&, const Json&, Kind), Kind K>
Json bound(Env& env, const Context& ctx, const Json& request) {
  return Fn(env, ctx, request, K);
}

#define DMS_TRANSFER_METHODS(prefix, kind)                                                      \
  const service::MethodRegistration k##kind##Create(prefix ".Create",                           \
                                                    bound<create_doc, Kind::k##kind>);          \
  const service::MethodRegistration k##kind##Approve(prefix ".Approve",                         \
                                                     bound<approve_doc, Kind::k##kind>);        \
  const service::MethodRegistration k##kind##Reject(prefix ".Reject",                           \
                                                    bound<reject_doc, Kind::k##kind>);          \
  const service::MethodRegistration k##kind##Cancel(prefix ".Cancel",                           \
                                                    bound<cancel_doc, Kind::k##kind>);          \
  const service::MethodRegistration k##kind##Dispatch(prefix ".Dispatch",                       \
                                                      bound<dispatch_doc, Kind::k##kind>);      \
  const service::MethodRegistration k##kind##Receive(prefix ".Receive",                         \
                                                     bound<receive_doc, Kind::k##kind>);        \
  const service::MethodRegistration k##kind##Get(prefix ".Get", bound<get_doc, Kind::k##kind>); \
  const service::MethodRegistration k##kind##List(prefix ".List", bound<list_docs, Kind::k##kind>);

DMS_TRANSFER_METHODS("partsIssues", PartsIssue)
DMS_TRANSFER_METHODS("stockTransfers", StockTransfer)
#undef DMS_TRANSFER_METHODS

const service::ListSpecRegistration kPartsIssueListSpec("partsIssues.List", parts_issue_spec);
const service::ListSpecRegistration kStockTransferListSpec("stockTransfers.List",
                                                           stock_transfer_spec);

}  // namespace
}  // namespace dms::inventory
