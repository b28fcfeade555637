// messages.*: the administrator's view of the outbox and the dispatcher (docs/settings.md).
// Bodies are never shown: a message's body may carry a temporary password or a reset code.
#include <memory>

#include "audit/audit.hpp"
#include "delivery/dispatcher.hpp"
#include "delivery/workflows.hpp"
#include "dms/error.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"

namespace dms::delivery {
namespace {

constexpr const char* kEntity = "outbound message";

const storage::ListSpec& message_list() {
  static const storage::ListSpec spec = [] {
    using storage::FieldType;
    constexpr unsigned kFilterSort = storage::kFilter | storage::kSort;
    storage::ListSpec s;
    s.from = "outbound_messages m";
    s.default_sort = "-createdAt";
    s.field("id", "CAST(m.id AS TEXT)", FieldType::kText, kFilterSort)
        .field("channel", "m.channel", FieldType::kText, kFilterSort)
        .field("recipient", "m.recipient", FieldType::kText, kFilterSort | storage::kSearch)
        .field("subject", "m.subject", FieldType::kText, storage::kSearch)
        .field("purpose", "m.purpose", FieldType::kText, kFilterSort)
        .field("userId", "m.user_id", FieldType::kText, storage::kFilter | storage::kNullable)
        .field("sensitive", "m.sensitive", FieldType::kBool, storage::kFilter)
        .field("status", "m.status", FieldType::kText, kFilterSort)
        .field("attempts", "m.attempts", FieldType::kInt, kFilterSort)
        .field("nextAttemptAt", "m.next_attempt_at", FieldType::kTimestamp, kFilterSort)
        .field("lastError", "m.last_error", FieldType::kText, storage::kNullable)
        .field("messageId", "m.message_id", FieldType::kText, storage::kFilter | storage::kNullable)
        .field("attachmentCount",
               "(SELECT COUNT(*) FROM outbound_message_attachments a WHERE a.message_id = m.id)",
               FieldType::kInt, 0)
        .field("createdAt", "m.created_at", FieldType::kTimestamp, kFilterSort)
        .field("sentAt", "m.sent_at", FieldType::kTimestamp, kFilterSort | storage::kNullable)
        .field("deadAt", "m.dead_at", FieldType::kTimestamp, kFilterSort | storage::kNullable);
    return s;
  }();
  return spec;
}

// The outbox belongs to the whole organisation: users confined to one center do not see it.
void require_central(const Context& ctx, const char* permission) {
  ctx.require(permission);
  if (service::tenant_scope(ctx)) throw Error::Forbidden(std::string(permission) + " (central)");
}

Json list_messages(Env& env, const Context& ctx, const Json& req) {
  require_central(ctx, "messages:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, message_list(), req);
  });
}

Json deliver_batch(Env& env, const Context& ctx, const Json&) {
  require_central(ctx, "messages:deliver");
  auto dispatcher = Dispatcher::from_settings(*env.store, *env.clock, env.settings.delivery);
  return batch_json(dispatcher->run_batch());
}

Json retry_message(Env& env, const Context& ctx, const Json& req) {
  require_central(ctx, "messages:retry");
  const std::string id = request::Fields(req).str("id", 1, 40);
  int64_t number = 0;
  for (char c : id) {
    if (c < '0' || c > '9' || number > 1000000000000000) throw Error::NotFound(kEntity, id);
    number = number * 10 + (c - '0');
  }
  return env.store->write([&](storage::Transaction& tx) {
    const auto row = tx.query_one(
        std::string("SELECT status, sensitive, body FROM outbound_messages WHERE id = ?") +
            tx.for_update(),
        {number});
    if (!row) throw Error::NotFound(kEntity, id);
    const MessageStatus from = kMessageFlow.parse(row->str("status"));
    kMessageFlow.require(from, MessageStatus::kQueued);
    if (row->flag("sensitive") && row->str("body").empty()) {
      throw Error::BusinessRule(ErrorCode::kMessageBodyErased,
                                "message " + id +
                                    " carried a secret that was erased when it died: issue a new "
                                    "password or code instead");
    }
    service::StatusChange change{"outbound_messages", "outbound_message", id};
    change.touch_updated_at = false;
    change.action = "RETRY";
    change.set("attempts", int64_t{0})
        .set("next_attempt_at", ctx.now().unix_micros())
        .set("dead_at", storage::null_value());
    change.event = {"outbound_message.retried", {{"messageId", id}}, ""};
    service::transition(tx, ctx, kMessageFlow, from, MessageStatus::kQueued, std::move(change));
    return service::render_entity(tx, message_list(), id, kEntity);
  });
}

const service::MethodRegistration kList("messages.List", list_messages, message_list);
const service::MethodRegistration kDeliverBatch("messages.DeliverBatch", deliver_batch);
const service::MethodRegistration kRetry("messages.Retry", retry_message);

}  // namespace
}  // namespace dms::delivery
