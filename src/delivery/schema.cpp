// Delivery's tables: the dispatcher's columns of outbound_messages (migration 130 created the
// outbox) and the attachments of a message. Versions 430-439.
#include "storage/store.hpp"

namespace dms::delivery {
namespace {

// status: QUEUED, SENDING, SENT, DEAD (src/delivery/workflows.hpp). next_attempt_at: when a
// QUEUED message is due. lease_owner / lease_expires_at: the dispatcher that claimed a SENDING
// message and until when. message_id: the e-mail's Message-ID token, fixed at enqueue so every
// retry carries the same one. Rows sent before this version are SENT.
const storage::MigrationRegistration kDeliveryColumns({430, "outbound message delivery", R"SQL(
ALTER TABLE outbound_messages ADD COLUMN status TEXT NOT NULL DEFAULT 'QUEUED';
ALTER TABLE outbound_messages ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbound_messages ADD COLUMN lease_owner TEXT;
ALTER TABLE outbound_messages ADD COLUMN lease_expires_at BIGINT;
ALTER TABLE outbound_messages ADD COLUMN message_id TEXT;
ALTER TABLE outbound_messages ADD COLUMN dead_at BIGINT;
UPDATE outbound_messages SET status = 'SENT' WHERE sent_at IS NOT NULL;
UPDATE outbound_messages SET message_id = 'outbox-' || CAST(id AS TEXT) WHERE message_id IS NULL;
CREATE INDEX idx_outbound_messages_due ON outbound_messages(status, next_attempt_at, id);
CREATE INDEX idx_outbound_messages_lease ON outbound_messages(status, lease_expires_at)
)SQL"});

// content: the file's bytes in base64 (storage values are text), as the MIME part carries them.
const storage::MigrationRegistration kAttachments({431, "outbound message attachments", R"SQL(
CREATE TABLE outbound_message_attachments (
  id {{ID}},
  message_id BIGINT NOT NULL REFERENCES outbound_messages(id),
  position BIGINT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_base64 TEXT NOT NULL,
  size_bytes BIGINT NOT NULL
);
CREATE INDEX idx_outbound_message_attachments ON outbound_message_attachments(message_id, position)
)SQL"});

}  // namespace
}  // namespace dms::delivery
