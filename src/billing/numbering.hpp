// Document number series of billing's documents, from storage's gapless allocator
// (storage/document_numbers.hpp), numbered through service::allocate_number with the
// service center's code:
//
//   tax invoice  {scCode}/{FY}/{SEQ5}   per center and Indian financial year (seed 002)
//   credit note  {scCode}/{FY}/C{SEQ4}  per center and Indian financial year
//
// Both are at most 16 characters (CGST Rules, rule 46(b)), so a center that invoices needs a code
// of at most 5 characters (identity accepts up to 20): a longer one is VALIDATION on
// "numberFormat" at finalize, before the counter moves, and the transaction rolls back.
//
// Thread-safety: constants.
#pragma once

#include "storage/document_numbers.hpp"

namespace dms::billing::series {

// SC01/2425/00001: consecutive per center and financial year (April-March); a center issues at
// most 99,999 invoices a year before the number no longer fits.
inline constexpr storage::NumberSeries kInvoice{"invoice", "{scCode}/{FY}/{SEQ5}", "{scCode}/{FY}",
                                                16};
// SC01/2425/C0001: credit notes, a series of their own with the invoices' scope.
inline constexpr storage::NumberSeries kCreditNote{"credit_note", "{scCode}/{FY}/C{SEQ4}",
                                                   "{scCode}/{FY}", 16};

}  // namespace dms::billing::series
