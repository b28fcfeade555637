// invoices.Pdf and invoices.Send: the GST tax invoice (or credit note) as a PDF
// (billing/invoice_pdf.hpp), and the PDF queued to the customer by e-mail through the outbox
// (notify::enqueue, purpose "invoice"), delivered after commit by the dispatcher.
#include "audit/audit.hpp"
#include "billing/invoice_pdf.hpp"
#include "billing/invoice_store.hpp"
#include "dms/error.hpp"
#include "notify/messages.hpp"
#include "render/base64.hpp"
#include "reports/export.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "workshop/billing_api.hpp"

namespace dms::billing {
namespace {

Json pdf_response(const InvoicePdf& pdf) {
  return Json{{"filename", pdf.filename},
              {"contentType", "application/pdf"},
              {"content", render::base64_encode(pdf.content)}};
}

Json invoice_pdf(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    return pdf_response(render_invoice_pdf(tx, load_invoice(tx, ctx, id, false)));
  });
}

// The e-mail address of the invoice's customer: the one on the invoice, else the customer's
// current one.
std::optional<std::string> recipient_of(storage::Transaction& tx, const storage::Row& invoice) {
  const Json details = rows::document_json(invoice, "customer_details");
  if (details.is_object() && details.contains("email") && details["email"].is_string() &&
      !details["email"].get<std::string>().empty()) {
    return details["email"].get<std::string>();
  }
  if (auto customer_id = invoice.opt_str("customer_id")) {
    if (auto contact = workshop::find_customer_contact(tx, *customer_id)) return contact->email;
  }
  return std::nullopt;
}

Json send_invoice(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:send");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const std::string channel = f.opt_one_of("channel", {"email"}).value_or("email");
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row invoice = load_invoice(tx, ctx, id, true);
    const InvoicePdf pdf = render_invoice_pdf(tx, invoice);
    const auto recipient = recipient_of(tx, invoice);
    if (!recipient) {
      throw Error::BusinessRule(ErrorCode::kCustomerNoEmail,
                                "the customer of " + invoice.str("invoice_number") +
                                    " has no e-mail address to send it to");
    }
    const bool credit = invoice.str("document_type") == "CREDIT_NOTE";
    const std::string number = invoice.str("invoice_number");
    const std::string center =
        service::load_service_center(tx, invoice.str("service_center_id")).name;
    const Money grand = rows::money_or_zero(invoice, "grand_total");
    notify::Message m;
    m.channel = notify::ChannelKind::kEmail;
    m.recipient = *recipient;
    m.purpose = "invoice";
    m.subject = std::string(credit ? "Credit note " : "Tax invoice ") + number + " from " + center;
    m.body =
        std::string("Dear customer,\n\nPlease find attached ") +
        (credit ? "credit note " : "tax invoice ") + number + " dated " +
        invoice.opt_str("invoice_date").value_or("") + " for Rs. " +
        reports::indian_grouped(credit ? -grand.minor() : grand.minor(), 2) +
        (credit || !invoice.opt_str("due_date") ? std::string(".")
                                                : ", due on " + invoice.str("due_date") + ".") +
        "\n\nRegards,\n" + center + "\n";
    m.attachments.push_back({pdf.filename, "application/pdf", pdf.content});
    const int64_t message_id = notify::enqueue(tx, ctx, m);
    audit::record(tx, ctx, "SEND", credit ? "credit_note" : "invoice", id, Json::object(),
                  {{"channel", channel}, {"recipient", *recipient}, {"filename", pdf.filename}},
                  invoice.str("service_center_id"));
    return Json{{"id", id},
                {"invoiceNumber", number},
                {"channel", channel},
                {"recipient", *recipient},
                {"messageId", std::to_string(message_id)},
                {"filename", pdf.filename}};
  });
}

const service::MethodRegistration kPdf("invoices.Pdf", invoice_pdf);
const service::MethodRegistration kSend("invoices.Send", send_invoice);

}  // namespace
}  // namespace dms::billing
