// Private to the inventory services: the list-query specs (storage/list_query.hpp) of the
// inventory's listable entities, and the few conversions the generic engine leaves to us.
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
// Relations: supplier, items.
const storage::ListSpec& purchase_order_spec();
// The caller adds "t.kind = ?". Relations: items, fromServiceCenter, toServiceCenter.
const storage::ListSpec& parts_issue_spec();
const storage::ListSpec& stock_transfer_spec();

// The engine has no percent type: rates are listed as integers of ten-thousandths. This turns
// every "gstRate" in the rows (nested relations too) into its decimal string ("18").
void show_rates(Json& rows);

// Seed 002 also passes some filters as plain parameters (?status=PENDING_APPROVAL,
// ?toServiceCenterId=...): these become equality filters when the spec has the field.
void adopt_plain_filters(storage::ListQuery& query, const storage::ListSpec& spec);

}  // namespace dms::inventory
