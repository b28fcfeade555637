#include "dms/gst.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <string>

#include "dms/error.hpp"

namespace dms {
namespace {

// Ascending by code (find_state_by_code relies on it).
constexpr IndianState kStates[] = {
    {"01", "Jammu and Kashmir"},
    {"02", "Himachal Pradesh"},
    {"03", "Punjab"},
    {"04", "Chandigarh"},
    {"05", "Uttarakhand"},
    {"06", "Haryana"},
    {"07", "Delhi"},
    {"08", "Rajasthan"},
    {"09", "Uttar Pradesh"},
    {"10", "Bihar"},
    {"11", "Sikkim"},
    {"12", "Arunachal Pradesh"},
    {"13", "Nagaland"},
    {"14", "Manipur"},
    {"15", "Mizoram"},
    {"16", "Tripura"},
    {"17", "Meghalaya"},
    {"18", "Assam"},
    {"19", "West Bengal"},
    {"20", "Jharkhand"},
    {"21", "Odisha"},
    {"22", "Chhattisgarh"},
    {"23", "Madhya Pradesh"},
    {"24", "Gujarat"},
    {"25", "Daman and Diu (before 2020)"},
    {"26", "Dadra and Nagar Haveli and Daman and Diu"},
    {"27", "Maharashtra"},
    {"28", "Andhra Pradesh (before 2014)"},
    {"29", "Karnataka"},
    {"30", "Goa"},
    {"31", "Lakshadweep"},
    {"32", "Kerala"},
    {"33", "Tamil Nadu"},
    {"34", "Puducherry"},
    {"35", "Andaman and Nicobar Islands"},
    {"36", "Telangana"},
    {"37", "Andhra Pradesh"},
    {"38", "Ladakh"},
    {"96", "Foreign Country"},
    {"97", "Other Territory"},
    {"99", "Centre Jurisdiction"},
};

constexpr const char* kForeignCountry = "96";

// Names people write that differ from the table's, already normalised (see normalise_name).
struct StateAlias {
  const char* name;
  const char* code;
};
constexpr StateAlias kAliases[] = {
    {"orissa", "21"},
    {"pondicherry", "34"},
    {"nct of delhi", "07"},
    {"national capital territory of delhi", "07"},
    {"uttaranchal", "05"},
    {"daman and diu", "26"},
    {"dadra and nagar haveli", "26"},
    {"andaman and nicobar", "35"},
    {"foreign", "96"},
};

constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

// 0-35 for a digit or an upper-case letter, -1 otherwise.
int base36_value(char c) {
  if (is_digit(c)) return c - '0';
  if (is_upper(c)) return c - 'A' + 10;
  return -1;
}

// Lower case, single spaces, no surrounding spaces or dots, "&" spelt "and".
std::string normalise_name(std::string_view name) {
  std::string out;
  bool pending_space = false;
  auto append_word_char = [&](char c) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
  };
  for (char c : name) {
    if (c == ' ' || c == '\t' || c == '.') {
      pending_space = true;
    } else if (c == '&') {
      pending_space = true;
      for (char a : {'a', 'n', 'd'}) append_word_char(a);
      pending_space = true;
    } else {
      append_word_char(is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  return out;
}

Error gstin_error(std::string_view field, std::string_view gstin, const char* why) {
  const std::string f(field);
  return Error::Validation(
      f, f + ": '" + std::string(gstin.substr(0, 20)) + "' is not a valid GSTIN (" + why + ")");
}

bool is_retired(const IndianState& state) {
  return std::strchr(state.name, '(') != nullptr;
}

}  // namespace

const IndianState* indian_states(std::size_t* count) noexcept {
  if (count != nullptr) *count = std::size(kStates);
  return kStates;
}

const IndianState* find_state_by_code(std::string_view code) noexcept {
  if (code.size() != 2) return nullptr;
  auto it = std::lower_bound(std::begin(kStates), std::end(kStates), code,
                             [](const IndianState& s, std::string_view c) { return s.code < c; });
  if (it == std::end(kStates) || it->code != code) return nullptr;
  return it;
}

const IndianState* find_state_by_name(std::string_view name) noexcept {
  try {
    const std::string wanted = normalise_name(name);
    for (const auto& alias : kAliases) {
      if (wanted == alias.name) return find_state_by_code(alias.code);
    }
    for (const auto& state : kStates) {
      if (!is_retired(state) && wanted == normalise_name(state.name)) return &state;
    }
  } catch (...) {  // std::bad_alloc: report "unknown" rather than terminate
  }
  return nullptr;
}

char gstin_check_character(std::string_view first14) noexcept {
  if (first14.size() < 14) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 14; ++i) {
    const int value = base36_value(first14[i]);
    if (value < 0) return '\0';
    const int product = value * (i % 2 == 0 ? 1 : 2);
    sum += product / 36 + product % 36;
  }
  return kAlphabet[(36 - sum % 36) % 36];
}

const IndianState& validate_gstin(std::string_view gstin, std::string_view field) {
  if (gstin.size() != 15) throw gstin_error(field, gstin, "it must be 15 characters");
  const IndianState* state = find_state_by_code(gstin.substr(0, 2));
  if (state == nullptr || std::strcmp(state->code, kForeignCountry) == 0) {
    throw gstin_error(field, gstin, "unknown state code");
  }
  const std::string_view pan = gstin.substr(2, 10);
  for (size_t i = 0; i < pan.size(); ++i) {
    const bool letter_expected = i < 5 || i == 9;
    if (letter_expected ? !is_upper(pan[i]) : !is_digit(pan[i])) {
      throw gstin_error(field, gstin,
                        "characters 3-12 must be a PAN: 5 letters, 4 digits, 1 letter");
    }
  }
  const char entity = gstin[12];
  if (!(is_upper(entity) || (is_digit(entity) && entity != '0'))) {
    throw gstin_error(field, gstin, "character 13 must be 1-9 or A-Z");
  }
  if (base36_value(gstin[13]) < 0)
    throw gstin_error(field, gstin, "character 14 must be 0-9 or A-Z");
  if (gstin_check_character(gstin) != gstin[14]) {
    throw gstin_error(field, gstin, "wrong check character");
  }
  return *state;
}

bool is_valid_gstin(std::string_view gstin) noexcept {
  try {
    validate_gstin(gstin);
    return true;
  } catch (...) {
    return false;
  }
}

const char* supply_type_name(SupplyType supply) noexcept {
  switch (supply) {
    case SupplyType::kIntraState:
      return "intra_state";
    case SupplyType::kInterState:
      return "inter_state";
  }
  return "unknown";
}

SupplyType determine_supply(std::string_view supplier_state,
                            std::optional<std::string_view> customer_gstin,
                            std::optional<std::string_view> customer_state) {
  const IndianState* supplier = find_state_by_code(supplier_state);
  if (supplier == nullptr || std::strcmp(supplier->code, kForeignCountry) == 0) {
    throw Error::Validation("supplierState", "supplierState: '" +
                                                 std::string(supplier_state.substr(0, 20)) +
                                                 "' is not a GST state code");
  }
  const IndianState* place = nullptr;
  if (customer_gstin && !customer_gstin->empty()) {
    place = &validate_gstin(*customer_gstin, "customerGstin");
  } else if (customer_state && !customer_state->empty()) {
    place = find_state_by_code(*customer_state);
    if (place == nullptr) place = find_state_by_name(*customer_state);
    if (place == nullptr) {
      throw Error::Validation("customerState", "customerState: '" +
                                                   std::string(customer_state->substr(0, 40)) +
                                                   "' is not an Indian state code or name");
    }
  }
  if (place == nullptr || place == supplier) return SupplyType::kIntraState;
  return SupplyType::kInterState;
}

}  // namespace dms
