#include "inventory/arrivals.hpp"

#include <vector>

namespace dms::inventory {
namespace {

std::vector<ArrivalListener>& listeners() {
  static std::vector<ArrivalListener> all;
  return all;
}

}  // namespace

ArrivalListenerRegistration::ArrivalListenerRegistration(ArrivalListener listener) {
  listeners().push_back(listener);
}

void announce_arrival(storage::Transaction& tx, const Context& ctx, const StockArrival& arrival) {
  for (ArrivalListener listener : listeners()) listener(tx, ctx, arrival);
}

}  // namespace dms::inventory
