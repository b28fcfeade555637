// GST identities: Indian state codes, GSTIN validation and the intra- or inter-state decision.
//
// A GSTIN is 15 characters: a 2-digit GST state code, the holder's 10-character PAN
// (5 letters, 4 digits, 1 letter), an entity number (1-9, A-Z), one more alphanumeric character
// (normally 'Z') and a check character computed with the mod-36 algorithm of the GST network.
// Whether a supply is intra- or inter-state decides whether CGST + SGST or IGST is charged; see
// docs/tax.md.
//
// Thread-safety: pure functions over immutable static tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace dms {

// One entry of the GST state code table. Strings have static storage duration.
struct IndianState {
  const char* code;  // two digits, "27"
  const char* name;  // "Maharashtra"
};

// The GST state and union territory codes, ascending by code. Includes the retired codes
// 25 (Daman and Diu) and 28 (Andhra Pradesh before 2014) that old GSTINs still carry, 97 (Other
// Territory), 99 (Centre Jurisdiction) and 96 (Foreign Country, a place of supply only: no
// GSTIN carries it).
const IndianState* indian_states(std::size_t* count) noexcept;

// The entry for a two-digit code ("07"), or nullptr.
const IndianState* find_state_by_code(std::string_view code) noexcept;
// The entry for a state's name, ignoring case, surrounding spaces and '&' versus "and"; also
// knows common older names ("Orissa", "Pondicherry", "NCT of Delhi"). nullptr when unknown.
const IndianState* find_state_by_name(std::string_view name) noexcept;

// The mod-36 check character of the first 14 characters of a GSTIN, or '\0' when one of them is
// not a digit or an upper-case letter. REQUIRES: first14.size() == 14.
char gstin_check_character(std::string_view first14) noexcept;

// Validates a GSTIN and returns its state's table entry. Error(kValidation) naming `field` with
// the first problem found: length, state code, PAN pattern, entity number, check character.
// Upper case only: callers normalise input before validating.
const IndianState& validate_gstin(std::string_view gstin, std::string_view field = "gstin");
// The same test without the exception.
bool is_valid_gstin(std::string_view gstin) noexcept;

enum class SupplyType : uint8_t {
  kIntraState,  // CGST + SGST (the supplier's state is the place of supply)
  kInterState,  // IGST
};

// "intra_state" / "inter_state".
const char* supply_type_name(SupplyType supply) noexcept;

// Intra- or inter-state. `supplier_state` is the selling location's state code. The place of
// supply is the state of `customer_gstin` when one is given (and it must be valid), else
// `customer_state` (a code or a name) when given; with neither the sale is intra-state. Empty
// strings count as not given. Error(kValidation) on field "supplierState", "customerGstin" or
// "customerState" for an unknown state or an invalid GSTIN.
SupplyType determine_supply(std::string_view supplier_state,
                            std::optional<std::string_view> customer_gstin,
                            std::optional<std::string_view> customer_state);

}  // namespace dms
