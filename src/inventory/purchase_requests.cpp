// Purchase requests (issue 13, item 5; seed 000 section 6.2): the low-stock scan (job kind
// low_stock_scan) raises one OPEN request per part and location whose stock position (available
// plus what open purchase orders still bring) is at or below its low-stock threshold (the larger
// of min level and reorder point); stock is judged on available (on hand minus allocated), as
// inventory.LowStock does. The suggested quantity fills the position up to the max
// level, or, without one, up to twice the threshold (at least one unit). A re-scan adds nothing
// for a part and location that already has an open request (inv_purchase_requests.open_key is
// UNIQUE while OPEN). A central inventory manager converts one or several open requests of one
// location into a DRAFT purchase order for a supplier (purchaseRequests.Convert, the purchase
// orders' own creation code), or rejects them with a reason (purchaseRequests.Reject).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "inventory/catalog.hpp"
#include "inventory/ledger.hpp"
#include "inventory/list_specs.hpp"
#include "inventory/numbering.hpp"
#include "inventory/purchase_orders.hpp"
#include "inventory/service_util.hpp"
#include "inventory/stock.hpp"
#include "inventory/workflows.hpp"
#include "jobs/jobs.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"

namespace dms::inventory {

using namespace rows;  // NOLINT(google-build-using-namespace)
namespace {

using request::Fields;
using storage::FieldType;
using storage::ListSpec;
using storage::Row;
using storage::Transaction;
using storage::Value;

const storage::MigrationRegistration kTables({452, "inventory: purchase requests", R"SQL(
CREATE TABLE inv_purchase_requests (
  id TEXT PRIMARY KEY,
  request_number TEXT NOT NULL UNIQUE,
  part_id TEXT NOT NULL REFERENCES inv_parts(id),
  location_id TEXT NOT NULL REFERENCES inv_locations(id),
  service_center_id TEXT,
  status TEXT NOT NULL,
  open_key TEXT UNIQUE,
  suggested_qty BIGINT NOT NULL,
  on_hand_at_scan BIGINT NOT NULL,
  on_order_at_scan BIGINT NOT NULL,
  threshold BIGINT NOT NULL,
  max_level BIGINT,
  reason TEXT NOT NULL,
  created_by TEXT,
  purchase_order_id TEXT REFERENCES inv_purchase_orders(id),
  converted_by TEXT,
  converted_at BIGINT,
  rejected_by TEXT,
  rejected_at BIGINT,
  rejection_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_inv_purchase_requests_status ON inv_purchase_requests(status, location_id);
)SQL"});

// Seed 002 gives purchasing to the central inventory manager; a store's inventory manager sees
// the requests of their own store.
const storage::MigrationRegistration kGrants({453, "inventory: purchase request permissions", R"SQL(
INSERT INTO role_permissions (role, permission) VALUES
  ('central_inventory_manager', 'purchase_requests:read'),
  ('central_inventory_manager', 'purchase_requests:convert'),
  ('central_inventory_manager', 'purchase_requests:reject'),
  ('inventory_manager', 'purchase_requests:read');
)SQL"});

const ListSpec& purchase_request_spec() {
  static const ListSpec spec = [] {
    constexpr unsigned kFs = storage::kFilter | storage::kSort;
    constexpr unsigned kFsn = kFs | storage::kNullable;
    ListSpec s;
    s.from =
        "inv_purchase_requests r JOIN inv_parts p ON p.id = r.part_id "
        "JOIN inv_locations l ON l.id = r.location_id";
    s.default_sort = "-createdAt";
    s.tenant_column("r.service_center_id");
    s.field("id", "r.id", FieldType::kText)
        .field("requestNumber", "r.request_number", FieldType::kText, kFs | storage::kSearch)
        .field("partId", "r.part_id", FieldType::kText)
        .field("partNumber", "p.part_number", FieldType::kText, kFs | storage::kSearch)
        .field("partName", "p.name", FieldType::kText, kFs | storage::kSearch)
        .field("locationId", "r.location_id", FieldType::kText)
        .field("locationCode", "l.code", FieldType::kText, kFs)
        .field("serviceCenterId", "r.service_center_id", FieldType::kText,
               storage::kFilter | storage::kNullable)
        .field("status", "r.status", FieldType::kText, kFs)
        .field("suggestedQuantity", "r.suggested_qty", FieldType::kQuantity, kFs)
        .field("onHandAtScan", "r.on_hand_at_scan", FieldType::kQuantity, 0)
        .field("onOrderAtScan", "r.on_order_at_scan", FieldType::kQuantity, 0)
        .field("threshold", "r.threshold", FieldType::kQuantity, 0)
        .field("maxLevel", "r.max_level", FieldType::kQuantity, storage::kNullable)
        .field("reason", "r.reason", FieldType::kText, 0)
        .field("createdBy", "r.created_by", FieldType::kText, storage::kNullable)
        .field("purchaseOrderId", "r.purchase_order_id", FieldType::kText,
               storage::kFilter | storage::kNullable)
        .field("convertedBy", "r.converted_by", FieldType::kText, storage::kNullable)
        .field("convertedAt", "r.converted_at", FieldType::kTimestamp, kFsn)
        .field("rejectedBy", "r.rejected_by", FieldType::kText, storage::kNullable)
        .field("rejectedAt", "r.rejected_at", FieldType::kTimestamp, kFsn)
        .field("rejectionReason", "r.rejection_reason", FieldType::kText, storage::kNullable)
        .field("createdAt", "r.created_at", FieldType::kTimestamp, kFs)
        .field("updatedAt", "r.updated_at", FieldType::kTimestamp, kFs);
    return s;
  }();
  return spec;
}

Json request_json(Transaction& tx, const std::string& id) {
  return service::render_entity(tx, purchase_request_spec(), id, "purchase request");
}

// ---- The scan ----------------------------------------------------------------------------------

// What open purchase orders still bring to `location_id` of each part: ordered minus received.
std::map<std::string, Quantity> on_order_at(Transaction& tx, const std::string& location_id) {
  std::vector<Value> params =
      service::names_of(kPoFlow, {PoStatus::kDraft, PoStatus::kPendingApproval, PoStatus::kApproved,
                                  PoStatus::kOrdered, PoStatus::kPartiallyReceived});
  params.emplace_back(location_id);
  std::map<std::string, Quantity> out;
  for (const Row& row :
       tx.query("SELECT i.part_id, CAST(SUM(i.quantity - i.received_qty) AS BIGINT) AS pending "
                "FROM inv_purchase_order_items i JOIN inv_purchase_orders po ON po.id = "
                "i.purchase_order_id WHERE po.status IN (" +
                    service::placeholders(5) + ") AND po.location_id = ? GROUP BY i.part_id",
                params)) {
    out[row.str("part_id")] = Quantity::from_units(row.i64("pending"));
  }
  return out;
}

void check_scan_config(const Json& config) {
  if (!config.contains("locationIds")) return;
  const Json& ids = config["locationIds"];
  if (!ids.is_array())
    throw Error::Validation("config.locationIds", "locationIds must be an array");
  for (const Json& id : ids) {
    if (!id.is_string() || id.get<std::string>().empty()) {
      throw Error::Validation("config.locationIds", "locationIds must be location ids");
    }
  }
}

Json scan_low_stock(Transaction& tx, const jobs::JobRun& run) {
  const Context& ctx = *run.ctx;
  check_scan_config(run.config);
  std::set<std::string> only;
  if (run.config.contains("locationIds")) {
    for (const Json& id : run.config["locationIds"]) only.insert(id.get<std::string>());
  }
  const storage::Rows candidates = tx.query(
      "SELECT b.part_id, b.location_id, b.on_hand, b.allocated, b.min_level, b.max_level, "
      "b.reorder_point, "
      "l.kind, l.code, l.service_center_id, p.part_number FROM inv_balances b "
      "JOIN inv_locations l ON l.id = b.location_id JOIN inv_parts p ON p.id = b.part_id "
      "WHERE l.kind IN (?, ?) AND l.is_active = 1 AND p.is_active = 1 AND "
      "(b.min_level IS NOT NULL OR b.reorder_point IS NOT NULL) ORDER BY l.code, p.part_number",
      {std::string(location_kind_name(LocationKind::kWarehouse)),
       std::string(location_kind_name(LocationKind::kStore))});
  std::map<std::string, std::map<std::string, Quantity>> on_order;  // by location
  int64_t created = 0, already_open = 0;
  Json created_ids = Json::array();
  for (const Row& b : candidates) {
    const std::string location_id = b.str("location_id");
    if (!only.empty() && only.count(location_id) == 0) continue;
    StockLevels levels{opt_quantity(b, "min_level"), opt_quantity(b, "max_level"),
                       opt_quantity(b, "reorder_point")};
    const auto threshold = low_stock_threshold(levels);
    if (!threshold) continue;
    if (on_order.count(location_id) == 0) on_order[location_id] = on_order_at(tx, location_id);
    const auto pending = on_order[location_id].find(b.str("part_id"));
    const Quantity incoming = pending == on_order[location_id].end() ? Quantity() : pending->second;
    const Quantity on_hand = quantity_of(b, "on_hand");
    const Quantity available = on_hand - quantity_of(b, "allocated");
    const Quantity position = available + incoming;
    if (position > *threshold) continue;
    const std::string part_id = b.str("part_id");
    const std::string open_key = part_id + "|" + location_id;
    if (tx.query_one("SELECT 1 FROM inv_purchase_requests WHERE open_key = ?", {open_key})) {
      ++already_open;
      continue;
    }
    const Quantity target = levels.max_level ? *levels.max_level : *threshold + *threshold;
    Quantity suggested = target - position;
    if (suggested < Quantity::from_units(1000)) suggested = Quantity::from_units(1000);
    const std::string reason = "available " + available.to_string() +
                               (incoming.units() > 0 ? " + on order " + incoming.to_string() : "") +
                               " at or below the low-stock threshold " + threshold->to_string() +
                               " at " + b.str("code");
    const std::string id = storage::new_id();
    const std::string number = next_document_number(tx, ctx, series::kPurchaseRequest);
    const int64_t now = ctx.now().unix_micros();
    tx.exec(
        "INSERT INTO inv_purchase_requests (id, request_number, part_id, location_id, "
        "service_center_id, status, open_key, suggested_qty, on_hand_at_scan, on_order_at_scan, "
        "threshold, max_level, reason, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, number, part_id, location_id, text(b.opt_str("service_center_id")),
         std::string(kPurchaseRequestFlow.name(PurchaseRequestStatus::kOpen)), open_key,
         suggested.units(), on_hand.units(), incoming.units(), threshold->units(),
         thousandths(levels.max_level), reason, std::string("job:" + run.name), now, now});
    const Json doc = request_json(tx, id);
    audit::record(tx, ctx, "CREATE", "purchase_request", id, Json::object(), doc,
                  b.opt_str("service_center_id"));
    events::emit(tx, ctx, "purchase_request.created",
                 {{"purchaseRequestId", id},
                  {"requestNumber", number},
                  {"partId", part_id},
                  {"locationId", location_id},
                  {"suggestedQuantity", suggested.to_string()}},
                 b.opt_str("service_center_id"), "central_inventory_manager");
    ++created;
    created_ids.push_back(id);
  }
  return {{"created", created}, {"alreadyOpen", already_open}, {"purchaseRequestIds", created_ids}};
}

const jobs::JobRegistration kScan("low_stock_scan", scan_low_stock, check_scan_config);

// ---- Decisions ---------------------------------------------------------------------------------

std::vector<std::string> read_ids(const Fields& f) {
  const Json& ids = f.array("ids", 500);
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string path = "ids[" + std::to_string(i) + "]";
    if (!ids[i].is_string() || ids[i].get<std::string>().empty() ||
        ids[i].get<std::string>().size() > 100) {
      throw Error::Validation(path, path + " must be a purchase request id");
    }
    if (!seen.insert(ids[i].get<std::string>()).second) {
      throw Error::Validation(path,
                              "purchase request " + ids[i].get<std::string>() + " is listed twice");
    }
    out.push_back(ids[i].get<std::string>());
  }
  return out;
}

struct OpenRequest {
  std::string id;
  std::string number;
  std::string part_id;
  std::string location_id;
  std::optional<std::string> service_center_id;
  PurchaseRequestStatus status = PurchaseRequestStatus::kOpen;
  Quantity suggested;
};

OpenRequest load_request(Transaction& tx, const Context& ctx, const std::string& id) {
  const auto row = tx.query_one(
      std::string("SELECT * FROM inv_purchase_requests WHERE id = ?") + tx.for_update(), {id});
  if (!row) throw Error::NotFound("purchase request", id);
  OpenRequest r{row->str("id"),
                row->str("request_number"),
                row->str("part_id"),
                row->str("location_id"),
                row->opt_str("service_center_id"),
                kPurchaseRequestFlow.parse(row->str("status")),
                quantity_of(*row, "suggested_qty")};
  service::require_visible(ctx, r.service_center_id, "purchase request", id);
  return r;
}

void move_request(Transaction& tx, const Context& ctx, const OpenRequest& r,
                  PurchaseRequestStatus to, const char* action, const char* event,
                  std::vector<std::pair<std::string, Value>> columns, Json payload) {
  service::StatusChange change{"inv_purchase_requests", "purchase_request", r.id};
  change.service_center_id = r.service_center_id;
  change.action = action;
  change.columns = std::move(columns);
  change.columns.emplace_back("open_key", Value());
  payload["purchaseRequestId"] = r.id;
  payload["requestNumber"] = r.number;
  payload["status"] = kPurchaseRequestFlow.name(to);
  change.audit_new = payload;
  change.event = {event, payload, "central_inventory_manager"};
  service::transition(tx, ctx, kPurchaseRequestFlow, r.status, to, std::move(change));
}

Json reject_requests(Env& env, const Context& ctx, const Json& req) {
  ctx.require("purchase_requests:reject");
  const Fields f(req);
  const std::vector<std::string> ids = read_ids(f);
  const std::string reason = trim(f.str("reason", 1, kLongText));
  if (reason.empty()) throw Error::Validation("reason", "reason must not be blank");
  return env.store->write([&](Transaction& tx) {
    Json out = Json::array();
    for (const std::string& id : ids) {
      const OpenRequest r = load_request(tx, ctx, id);
      move_request(tx, ctx, r, PurchaseRequestStatus::kRejected, "REJECT",
                   "purchase_request.rejected",
                   {{"rejected_by", actor(ctx)},
                    {"rejected_at", micros(ctx.now())},
                    {"rejection_reason", reason}},
                   {{"reason", reason}});
      out.push_back(request_json(tx, id));
    }
    return Json{{"data", out}};
  });
}

Json convert_requests(Env& env, const Context& ctx, const Json& req) {
  ctx.require("purchase_requests:convert");
  ctx.require("purchase_orders:create");
  const Fields f(req);
  const std::vector<std::string> ids = read_ids(f);
  const std::string supplier_id = f.str("supplierId", 1, 100);
  std::optional<std::string> expected;
  if (auto d = f.opt_date("expectedDeliveryDate")) expected = d->to_string();
  const auto notes = f.opt_str("notes", kLongText);
  // Per-request overrides of the quantity and unit price, by purchaseRequestId.
  std::map<std::string, std::pair<std::optional<Quantity>, std::optional<Money>>> overrides;
  if (f.has("items")) {
    const Json& items = f.array("items", 500);
    for (size_t i = 0; i < items.size(); ++i) {
      const Fields item = f.element("items", i);
      const std::string id = item.str("purchaseRequestId", 1, 100);
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
        throw Error::Validation(item.path("purchaseRequestId"),
                                "purchase request " + id + " is not among ids");
      }
      const auto quantity = item.opt_quantity("quantity");
      if (quantity && quantity->units() <= 0) {
        throw Error::Validation(item.path("quantity"), item.path("quantity") + " must be positive");
      }
      const auto price = item.opt_money("unitPrice");
      if (price && price->is_negative()) {
        throw Error::Validation(item.path("unitPrice"),
                                item.path("unitPrice") + " must not be negative");
      }
      if (!overrides.emplace(id, std::make_pair(quantity, price)).second) {
        throw Error::Validation(item.path("purchaseRequestId"),
                                "purchase request " + id + " is listed twice in items");
      }
    }
  }
  return env.store->write([&](Transaction& tx) {
    std::vector<OpenRequest> requests;
    for (const std::string& id : ids) {
      requests.push_back(load_request(tx, ctx, id));
      kPurchaseRequestFlow.require(requests.back().status, PurchaseRequestStatus::kConverted);
      if (requests.back().location_id != requests.front().location_id) {
        throw Error(ErrorCode::kPurchaseRequestLocationsDiffer,
                    "purchase requests " + requests.front().number + " and " +
                        requests.back().number +
                        " are for different locations: one purchase order "
                        "receives at one location",
                    "ids");
      }
    }
    PurchaseOrderDraft draft;
    draft.supplier_id = supplier_id;
    draft.location_id = requests.front().location_id;
    draft.expected_delivery_date = expected;
    std::string numbers;
    for (const OpenRequest& r : requests) numbers += (numbers.empty() ? "" : ", ") + r.number;
    draft.notes = notes ? *notes : "From purchase requests " + numbers;
    for (const OpenRequest& r : requests) {
      const auto it = overrides.find(r.id);
      PurchaseOrderItemInput item;
      item.part_id = r.part_id;
      item.quantity = it != overrides.end() && it->second.first ? *it->second.first : r.suggested;
      item.unit_price = it != overrides.end() && it->second.second
                            ? *it->second.second
                            : load_part(tx, r.part_id, "ids").cost_price;
      draft.items.push_back(std::move(item));
    }
    const Json po = create_purchase_order(tx, ctx, draft);
    const std::string po_id = po["id"];
    Json out = Json::array();
    for (const OpenRequest& r : requests) {
      move_request(tx, ctx, r, PurchaseRequestStatus::kConverted, "CONVERT",
                   "purchase_request.converted",
                   {{"purchase_order_id", po_id},
                    {"converted_by", actor(ctx)},
                    {"converted_at", micros(ctx.now())}},
                   {{"purchaseOrderId", po_id}, {"poNumber", po["poNumber"]}});
      out.push_back(request_json(tx, r.id));
    }
    return Json{{"purchaseOrder",
                 service::render_entity(tx, purchase_order_spec(), po_id, "purchase order")},
                {"data", out}};
  });
}

// ---- Reads -------------------------------------------------------------------------------------

Json get_request(Env& env, const Context& ctx, const Json& req) {
  ctx.require("purchase_requests:read");
  const std::string id = Fields(req).str("id", 1, 100);
  return env.store->read([&](Transaction& tx) {
    const auto row =
        tx.query_one("SELECT service_center_id FROM inv_purchase_requests WHERE id = ?", {id});
    if (!row) throw Error::NotFound("purchase request", id);
    service::require_visible(ctx, row->opt_str("service_center_id"), "purchase request", id);
    return service::get_entity(env, tx, purchase_request_spec(), id, "purchase request", req);
  });
}

Json list_requests(Env& env, const Context& ctx, const Json& req) {
  ctx.require("purchase_requests:read");
  return env.store->read([&](Transaction& tx) {
    return service::list_entity(env, ctx, tx, purchase_request_spec(), req);
  });
}

const service::MethodRegistration kList("purchaseRequests.List", list_requests,
                                        purchase_request_spec);
const service::MethodRegistration kGet("purchaseRequests.Get", get_request);
const service::MethodRegistration kReject("purchaseRequests.Reject", reject_requests);
const service::MethodRegistration kConvert("purchaseRequests.Convert", convert_requests);

}  // namespace
}  // namespace dms::inventory
