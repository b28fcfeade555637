// run_batch(): the thread's joined transaction (storage/batch.hpp).
#include "storage/batch.hpp"

#include "dms/error.hpp"

namespace dms::storage {
namespace {

struct Joined {
  const Store* store = nullptr;
  Transaction* tx = nullptr;
};
thread_local Joined joined;

// Sets the thread's joined transaction for one attempt of the batch body, clears it on exit.
class JoinScope {
 public:
  JoinScope(const Store* store, Transaction* tx) { joined = {store, tx}; }
  ~JoinScope() { joined = {}; }
  JoinScope(const JoinScope&) = delete;
  JoinScope& operator=(const JoinScope&) = delete;
};

}  // namespace

void run_batch(Store& store, const std::function<void(Transaction&)>& fn) {
  if (joined.store != nullptr) throw Error::Internal("run_batch: a batch is already running");
  store.write([&](Transaction& tx) {
    JoinScope scope(&store, &tx);
    fn(tx);
  });
}

namespace detail {
Transaction* batch_transaction(const Store* store) {
  return joined.store == store ? joined.tx : nullptr;
}
}  // namespace detail

}  // namespace dms::storage
