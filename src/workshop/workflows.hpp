// The workshop's state machines as tables: job cards (and their payment status), service lines
// (status and customer approval), vehicles, service requests, appointments and parts requests.
// These files (*/workflows.hpp) are the only place status names are written in src/: code names
// a status as kXFlow.name(XStatus::kY) and changes it only through service::transition()
// (src/service/transition.hpp). Every status change in src/workshop/ goes through one of these
// flows' require(), so a move that is not in a table is INVALID_STATUS_TRANSITION naming both
// states. docs/workflows.md draws each table; tests/unit/test_workshop_workflows.cpp walks every
// pair of states.
//
// Thread-safety: constant tables.
#pragma once

#include "dms/workflow.hpp"

namespace dms::workshop {

// ---- Job card (seed 002 section 6 plus seed 000 section 4.6) ---------------------------------

enum class JobCardStatus {
  kCreated,
  kAssigned,
  kInProgress,
  kPartsPending,
  kWaitingCustomerApproval,
  kCompleted,
  kInvoiced,
  kDelivered,
  kCancelled,
};

inline constexpr StateName<JobCardStatus> kJobCardStates[] = {
    {JobCardStatus::kCreated, "CREATED"},
    {JobCardStatus::kAssigned, "ASSIGNED"},
    {JobCardStatus::kInProgress, "IN_PROGRESS"},
    {JobCardStatus::kPartsPending, "PARTS_PENDING"},
    {JobCardStatus::kWaitingCustomerApproval, "WAITING_CUSTOMER_APPROVAL"},
    {JobCardStatus::kCompleted, "COMPLETED"},
    {JobCardStatus::kInvoiced, "INVOICED"},
    {JobCardStatus::kDelivered, "DELIVERED"},
    {JobCardStatus::kCancelled, "CANCELLED"},
};

// Seed 002's list first, then the moves issue 7 adds.
inline constexpr Transition<JobCardStatus> kJobCardMoves[] = {
    {JobCardStatus::kCreated, JobCardStatus::kAssigned},
    {JobCardStatus::kAssigned, JobCardStatus::kInProgress},
    {JobCardStatus::kInProgress, JobCardStatus::kPartsPending},
    {JobCardStatus::kInProgress, JobCardStatus::kCompleted},
    {JobCardStatus::kPartsPending, JobCardStatus::kInProgress},
    {JobCardStatus::kCompleted, JobCardStatus::kInvoiced},
    {JobCardStatus::kInProgress, JobCardStatus::kWaitingCustomerApproval},
    {JobCardStatus::kWaitingCustomerApproval, JobCardStatus::kInProgress},
    {JobCardStatus::kInvoiced, JobCardStatus::kDelivered},
    {JobCardStatus::kCreated, JobCardStatus::kCancelled},
    {JobCardStatus::kAssigned, JobCardStatus::kCancelled},
    {JobCardStatus::kInProgress, JobCardStatus::kCancelled},
    {JobCardStatus::kPartsPending, JobCardStatus::kCancelled},
    {JobCardStatus::kWaitingCustomerApproval, JobCardStatus::kCancelled},
};

inline constexpr Workflow<JobCardStatus> kJobCardFlow{"job card", kJobCardStates, kJobCardMoves};

// The states in which a job card holds its vehicle (ACTIVE_JOB_CARD) and counts toward an
// engineer's workload.
inline bool job_card_is_open(JobCardStatus s) {
  return s != JobCardStatus::kDelivered && s != JobCardStatus::kCancelled;
}
// Work not yet finished: assigned and in the workshop.
inline bool job_card_is_in_work(JobCardStatus s) {
  return s == JobCardStatus::kAssigned || s == JobCardStatus::kInProgress ||
         s == JobCardStatus::kPartsPending || s == JobCardStatus::kWaitingCustomerApproval;
}

// ---- Service request (seed 000 sections 3.1.4 and 4.8) ---------------------------------------

enum class ServiceRequestStatus {
  kPending,
  kApproved,
  kRejected,
  kScheduled,
  kInProgress,
  kCompleted,
  kCancelled,
};

inline constexpr StateName<ServiceRequestStatus> kServiceRequestStates[] = {
    {ServiceRequestStatus::kPending, "PENDING"},
    {ServiceRequestStatus::kApproved, "APPROVED"},
    {ServiceRequestStatus::kRejected, "REJECTED"},
    {ServiceRequestStatus::kScheduled, "SCHEDULED"},
    {ServiceRequestStatus::kInProgress, "IN_PROGRESS"},
    {ServiceRequestStatus::kCompleted, "COMPLETED"},
    {ServiceRequestStatus::kCancelled, "CANCELLED"},
};

inline constexpr Transition<ServiceRequestStatus> kServiceRequestMoves[] = {
    {ServiceRequestStatus::kPending, ServiceRequestStatus::kApproved},
    {ServiceRequestStatus::kPending, ServiceRequestStatus::kRejected},
    {ServiceRequestStatus::kApproved, ServiceRequestStatus::kScheduled},
    {ServiceRequestStatus::kScheduled, ServiceRequestStatus::kInProgress},
    {ServiceRequestStatus::kInProgress, ServiceRequestStatus::kCompleted},
    {ServiceRequestStatus::kPending, ServiceRequestStatus::kCancelled},
    {ServiceRequestStatus::kApproved, ServiceRequestStatus::kCancelled},
    {ServiceRequestStatus::kScheduled, ServiceRequestStatus::kCancelled},
    {ServiceRequestStatus::kInProgress, ServiceRequestStatus::kCancelled},
};

inline constexpr Workflow<ServiceRequestStatus> kServiceRequestFlow{
    "service request", kServiceRequestStates, kServiceRequestMoves};

// ---- Appointment ------------------------------------------------------------------------------

enum class AppointmentStatus {
  kScheduled,
  kConfirmed,
  kArrived,
  kConverted,
  kNoShow,
  kCancelled,
};

inline constexpr StateName<AppointmentStatus> kAppointmentStates[] = {
    {AppointmentStatus::kScheduled, "SCHEDULED"}, {AppointmentStatus::kConfirmed, "CONFIRMED"},
    {AppointmentStatus::kArrived, "ARRIVED"},     {AppointmentStatus::kConverted, "CONVERTED"},
    {AppointmentStatus::kNoShow, "NO_SHOW"},      {AppointmentStatus::kCancelled, "CANCELLED"},
};

// A customer may arrive without confirming first; only an arrived customer's appointment is
// converted into a job card.
inline constexpr Transition<AppointmentStatus> kAppointmentMoves[] = {
    {AppointmentStatus::kScheduled, AppointmentStatus::kConfirmed},
    {AppointmentStatus::kScheduled, AppointmentStatus::kArrived},
    {AppointmentStatus::kConfirmed, AppointmentStatus::kArrived},
    {AppointmentStatus::kArrived, AppointmentStatus::kConverted},
    {AppointmentStatus::kScheduled, AppointmentStatus::kNoShow},
    {AppointmentStatus::kConfirmed, AppointmentStatus::kNoShow},
    {AppointmentStatus::kScheduled, AppointmentStatus::kCancelled},
    {AppointmentStatus::kConfirmed, AppointmentStatus::kCancelled},
    {AppointmentStatus::kArrived, AppointmentStatus::kCancelled},
};

inline constexpr Workflow<AppointmentStatus> kAppointmentFlow{"appointment", kAppointmentStates,
                                                              kAppointmentMoves};

// ---- Parts request (seed 002 workflow 3) ------------------------------------------------------

enum class PartsRequestStatus {
  kPending,
  kIssued,
  kPartiallyIssued,
  kRejected,
  kCancelled,
};

inline constexpr StateName<PartsRequestStatus> kPartsRequestStates[] = {
    {PartsRequestStatus::kPending, "PENDING"},
    {PartsRequestStatus::kIssued, "ISSUED"},
    {PartsRequestStatus::kPartiallyIssued, "PARTIALLY_ISSUED"},
    {PartsRequestStatus::kRejected, "REJECTED"},
    {PartsRequestStatus::kCancelled, "CANCELLED"},
};

inline constexpr Transition<PartsRequestStatus> kPartsRequestMoves[] = {
    {PartsRequestStatus::kPending, PartsRequestStatus::kIssued},
    {PartsRequestStatus::kPending, PartsRequestStatus::kPartiallyIssued},
    {PartsRequestStatus::kPending, PartsRequestStatus::kRejected},
    {PartsRequestStatus::kPending, PartsRequestStatus::kCancelled},
};

inline constexpr Workflow<PartsRequestStatus> kPartsRequestFlow{
    "parts request", kPartsRequestStates, kPartsRequestMoves};

// ---- Job card payment status (job_cards.payment_status, driven by billing) -------------------

// Mirrors the job card's invoice: NONE (stored as NULL) until an invoice is finalized, back to
// NONE when a credit note cancels it (the job card may be invoiced again).
enum class JobCardPaymentStatus { kNone, kPending, kPartiallyPaid, kPaid };

inline constexpr StateName<JobCardPaymentStatus> kJobCardPaymentStates[] = {
    {JobCardPaymentStatus::kNone, "NONE"},
    {JobCardPaymentStatus::kPending, "PENDING"},
    {JobCardPaymentStatus::kPartiallyPaid, "PARTIALLY_PAID"},
    {JobCardPaymentStatus::kPaid, "PAID"},
};

inline constexpr Transition<JobCardPaymentStatus> kJobCardPaymentMoves[] = {
    {JobCardPaymentStatus::kNone, JobCardPaymentStatus::kPending},
    {JobCardPaymentStatus::kPending, JobCardPaymentStatus::kPartiallyPaid},
    {JobCardPaymentStatus::kPending, JobCardPaymentStatus::kPaid},
    {JobCardPaymentStatus::kPartiallyPaid, JobCardPaymentStatus::kPaid},
    {JobCardPaymentStatus::kPending, JobCardPaymentStatus::kNone},
    {JobCardPaymentStatus::kPartiallyPaid, JobCardPaymentStatus::kNone},
    {JobCardPaymentStatus::kPaid, JobCardPaymentStatus::kNone},
};

inline constexpr Workflow<JobCardPaymentStatus> kJobCardPaymentFlow{
    "job card payment", kJobCardPaymentStates, kJobCardPaymentMoves};

// ---- Service line status (job_card_services.status) ------------------------------------------

enum class ServiceLineStatus { kPending, kInProgress, kCompleted, kSkipped };

inline constexpr StateName<ServiceLineStatus> kServiceLineStates[] = {
    {ServiceLineStatus::kPending, "PENDING"},
    {ServiceLineStatus::kInProgress, "IN_PROGRESS"},
    {ServiceLineStatus::kCompleted, "COMPLETED"},
    {ServiceLineStatus::kSkipped, "SKIPPED"},
};

// While the job card is open for lines, the engineer may correct a line's status either way; a
// declined line is never COMPLETED (a guard, not a move). Completing the job card completes
// every open billable line.
inline constexpr Transition<ServiceLineStatus> kServiceLineMoves[] = {
    {ServiceLineStatus::kPending, ServiceLineStatus::kInProgress},
    {ServiceLineStatus::kPending, ServiceLineStatus::kCompleted},
    {ServiceLineStatus::kPending, ServiceLineStatus::kSkipped},
    {ServiceLineStatus::kInProgress, ServiceLineStatus::kPending},
    {ServiceLineStatus::kInProgress, ServiceLineStatus::kCompleted},
    {ServiceLineStatus::kInProgress, ServiceLineStatus::kSkipped},
    {ServiceLineStatus::kCompleted, ServiceLineStatus::kPending},
    {ServiceLineStatus::kCompleted, ServiceLineStatus::kInProgress},
    {ServiceLineStatus::kCompleted, ServiceLineStatus::kSkipped},
    {ServiceLineStatus::kSkipped, ServiceLineStatus::kPending},
    {ServiceLineStatus::kSkipped, ServiceLineStatus::kInProgress},
    {ServiceLineStatus::kSkipped, ServiceLineStatus::kCompleted},
};

inline constexpr Workflow<ServiceLineStatus> kServiceLineFlow{"service line", kServiceLineStates,
                                                              kServiceLineMoves};

// Lines still to be worked on.
inline constexpr ServiceLineStatus kOpenServiceLineStates[] = {ServiceLineStatus::kPending,
                                                               ServiceLineStatus::kInProgress};

// ---- Service line approval (job_card_services.approval_status) -------------------------------

// Lines of the original job card need no approval; additional lines wait for the customer.
enum class ServiceLineApproval { kNotRequired, kPending, kApproved, kDeclined };

inline constexpr StateName<ServiceLineApproval> kServiceLineApprovalStates[] = {
    {ServiceLineApproval::kNotRequired, "NOT_REQUIRED"},
    {ServiceLineApproval::kPending, "PENDING"},
    {ServiceLineApproval::kApproved, "APPROVED"},
    {ServiceLineApproval::kDeclined, "DECLINED"},
};

inline constexpr Transition<ServiceLineApproval> kServiceLineApprovalMoves[] = {
    {ServiceLineApproval::kPending, ServiceLineApproval::kApproved},
    {ServiceLineApproval::kPending, ServiceLineApproval::kDeclined},
};

inline constexpr Workflow<ServiceLineApproval> kServiceLineApprovalFlow{
    "service line approval", kServiceLineApprovalStates, kServiceLineApprovalMoves};

// The one rule "approved or not required": a line that may be worked on, completed and invoiced.
inline constexpr ServiceLineApproval kBillableApprovals[] = {ServiceLineApproval::kNotRequired,
                                                             ServiceLineApproval::kApproved};
inline bool approval_is_billable(ServiceLineApproval a) {
  return a == ServiceLineApproval::kNotRequired || a == ServiceLineApproval::kApproved;
}

// ---- Vehicle current status (vehicles.current_status) ----------------------------------------

// A vehicle is held by its open job card (activeJobCardId) from the job card's creation until
// its invoice is PAID (seed 002 workflow 4), or until it is delivered with payment waived or
// cancelled.
enum class VehicleStatus { kAvailable, kActiveJobCard };

inline constexpr StateName<VehicleStatus> kVehicleStates[] = {
    {VehicleStatus::kAvailable, "AVAILABLE"},
    {VehicleStatus::kActiveJobCard, "ACTIVE_JOB_CARD"},
};

inline constexpr Transition<VehicleStatus> kVehicleMoves[] = {
    {VehicleStatus::kAvailable, VehicleStatus::kActiveJobCard},
    {VehicleStatus::kActiveJobCard, VehicleStatus::kAvailable},
};

inline constexpr Workflow<VehicleStatus> kVehicleFlow{"vehicle", kVehicleStates, kVehicleMoves};

}  // namespace dms::workshop
