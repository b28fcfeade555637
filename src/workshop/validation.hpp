// Pure validation of workshop records: phone numbers, e-mail, pincode, vehicle registration and
// VIN, and the auto-detection of what a customer search query is (seed 002 section 4).
//
// Each check_* throws Error(kValidation) naming the field it was given; each is_* is the same
// test without the exception. Hand-written scanners rather than std::regex: the patterns are
// tiny and this keeps bulk imports fast.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "workshop/common.hpp"  // trim, lower

namespace dms::workshop {

// ^\+91[6-9]\d{9}$ (seed 002).
bool is_indian_mobile(std::string_view phone);
void check_indian_mobile(std::string_view phone, std::string_view field);

// local@domain.tld: no spaces, one '@', a dot in the domain, no empty labels; at most 254 chars.
bool is_email(std::string_view email);
void check_email(std::string_view email, std::string_view field);

// Six digits, not starting with 0.
bool is_pincode(std::string_view pincode);
void check_pincode(std::string_view pincode, std::string_view field);

// ^[A-Z]{2}\d{2}[A-Z]{1,2}\d{4}$ (seed 002), on the normalised text.
bool is_registration(std::string_view registration);
void check_registration(std::string_view registration, std::string_view field);

// 6 to 17 letters and digits (seed 002's example "VIN123456789" is shorter than an ISO 3779
// VIN's 17), on the normalised text.
bool is_vin(std::string_view vin);
void check_vin(std::string_view vin, std::string_view field);

// "HH:MM" on a 24-hour clock.
bool is_time_of_day(std::string_view text);
void check_time_of_day(std::string_view text, std::string_view field);

// Upper case with spaces and dashes removed: "mh 01-ab 1234" -> "MH01AB1234".
std::string normalize_vehicle_identifier(std::string_view text);

// What a customer search looks for.
enum class SearchKind { kPhone, kEmail, kRegistration, kVin, kName };
const char* search_kind_name(SearchKind kind);
// "auto", "phone", "email", "name", "vin", "registration"; VALIDATION on field "type" otherwise.
// "auto" detects from the query (see detect_search_kind).
SearchKind parse_search_kind(std::string_view type, std::string_view query);

// Seed 002's auto-detection, in this order: "+91..." or ten digits -> phone; contains '@' ->
// email; a registration number -> registration; one word of 8 to 17 letters and digits with at
// least one of each -> VIN; anything else (names have 2+ letters) -> name.
SearchKind detect_search_kind(std::string_view query);

// The last ten digits of a phone query ("98765 43210", "+919876543210" -> "9876543210"), or
// the digits found when fewer.
std::string phone_digits(std::string_view query);

}  // namespace dms::workshop
