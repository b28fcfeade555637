// Private to the inventory services: the descriptions (storage/list_query.hpp ListSpec) of the
// inventory's entities: each is the source of its list, of its rendered document (Get and the
// records mutations return, through service/entity.hpp) and of its tenant condition.
//
// Thread-safety: the specs are immutable statics; the functions are pure.
#pragma once

#include "dms/json.hpp"
#include "storage/list_query.hpp"

namespace dms::inventory {

// Stock rows of one location joined with their part (seed 002 sections 7.1 and 7.2); the caller
// adds the condition "b.location_id = ?". Relation: supplier.
const storage::ListSpec& part_stock_spec();
// Ledger rows of a part (the caller adds "m.part_id = ?"). previousStock/newStock are the real
// side's figures (the source's when both are real); ALLOCATE and RELEASE rows show allocated.
const storage::ListSpec& move_spec();
const storage::ListSpec& supplier_spec();
// Relations: supplier, items, receipts (all three detail: a Get shows them).
const storage::ListSpec& purchase_order_spec();
// The caller adds "t.kind = ?". Relations: items (detail), fromServiceCenter, toServiceCenter.
const storage::ListSpec& parts_issue_spec();
const storage::ListSpec& stock_transfer_spec();

}  // namespace dms::inventory
