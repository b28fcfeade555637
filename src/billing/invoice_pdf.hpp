// The GST tax invoice (and credit note) as a PDF, with every particular CGST Rules, rule 46
// (and rule 53 for credit notes) asks for:
//   (a) the supplier's name, address and GSTIN;
//   (b) a consecutive serial number (the center's series) and (c) the date of issue;
//   (d) the recipient's name, address and GSTIN, or for an unregistered recipient the state;
//   (e) HSN code of goods or SAC of services, (f) the description, (g) quantity and unit (UQC:
//       NOS for parts and goods, UNT for labour and services), (h) the value, (i) the discount and
//       taxable value, (j) the rate and (k) the amount of CGST and SGST, or of IGST (cess: the
//       engine has none, so no cess column), line by line;
//   (l) the place of supply with the state's name and code;
//   (m) whether tax is payable on reverse charge (always "No": libdms has no reverse-charge
//       supplies); and the signature block of the authorised signatory;
//   totals in figures and in words ("Rupees One Lakh Eighteen Thousand and Fifty Paise Only").
// A credit note names the invoice it credits and prints the magnitudes of its (negated) figures.
// A QR code: the IRP's signed QR when the invoice has an IRN, else (when something is due and the
// center has a UPI id) the UPI payment link upi://pay?pa=..&pn=..&am=..&cu=INR&tn=<number>.
//
// The PDF's CreationDate is the finalize time, so the same invoice always gives the same bytes.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <string>

#include "dms/money.hpp"
#include "storage/store.hpp"

namespace dms::billing {

// "Rupees One Lakh Eighteen Thousand and Fifty Paise Only" (Indian numbering: thousand, lakh,
// crore); the magnitude of `amount`.
std::string amount_in_words(Money amount);

// upi://pay?pa=...&pn=...&am=1180.00&cu=INR&tn=SC001%2F2627%2F00001 (RFC 3986 escaping).
std::string upi_payment_link(const std::string& payee, const std::string& payee_name, Money amount,
                             const std::string& note);

struct InvoicePdf {
  std::string filename;  // "invoice-SC001-2627-00001.pdf"
  std::string content;   // the PDF bytes
};

// The PDF of a numbered invoice or credit note (the row of `invoices`). INVOICE_HAS_NO_NUMBER for
// a draft.
InvoicePdf render_invoice_pdf(storage::Transaction& tx, const storage::Row& invoice);

}  // namespace dms::billing
