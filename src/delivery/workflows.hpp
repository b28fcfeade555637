// Delivery's state machine as a table (drawn in docs/workflows.md): an outbound message
// (src/notify/messages.hpp) from the outbox to the SMTP server or SMS gateway. This file is the
// only place its status names are written in src/.
//
// Thread-safety: constant tables.
#pragma once

#include "dms/workflow.hpp"

namespace dms::delivery {

enum class MessageStatus { kQueued, kSending, kSent, kDead };

inline constexpr StateName<MessageStatus> kMessageStates[] = {
    {MessageStatus::kQueued, "QUEUED"},
    {MessageStatus::kSending, "SENDING"},
    {MessageStatus::kSent, "SENT"},
    {MessageStatus::kDead, "DEAD"},
};

// A dispatcher claims a due message (QUEUED -> SENDING, under a lease), sends it outside any
// transaction, then marks it SENT, or QUEUED again with a later next attempt, or DEAD after the
// last try. A lease that expired (its dispatcher died) is claimed again (SENDING -> SENDING): the
// message may go out twice, never zero times. An administrator retries a DEAD message.
inline constexpr Transition<MessageStatus> kMessageMoves[] = {
    {MessageStatus::kQueued, MessageStatus::kSending},
    {MessageStatus::kSending, MessageStatus::kSent},
    {MessageStatus::kSending, MessageStatus::kQueued},
    {MessageStatus::kSending, MessageStatus::kDead},
    {MessageStatus::kSending, MessageStatus::kSending},
    {MessageStatus::kDead, MessageStatus::kQueued},
};

inline constexpr Workflow<MessageStatus> kMessageFlow{"outbound message", kMessageStates,
                                                      kMessageMoves};

}  // namespace dms::delivery
