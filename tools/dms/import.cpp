// dms import customers|vehicles|parts FILE.csv
//
// Every row becomes the request of the entity's Create method (header names in camelCase,
// snake_case or words: "first name" = first_name = firstName; empty cells are absent fields) and
// goes through Database::call like any caller's, so the services validate it. Rows are imported
// in batches, one transaction per batch (storage/batch.hpp: the service calls join it). A row the
// service refuses fails its batch: the batch rolls back, the row goes to the report with its line
// and reason, the rows before it commit as a batch of their own and the batch goes on after it.
// Re-running is safe: a row whose natural key exists already (customers: phone; vehicles:
// registration or VIN; parts: part number) is skipped and counted as existing.
#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <optional>

#include "cli.hpp"
#include "csv.hpp"
#include "dms/error.hpp"
#include "service/service.hpp"
#include "storage/batch.hpp"
#include "storage/engine.hpp"

namespace dms::cli {
namespace {

enum class Outcome { kPending, kImported, kExisting, kRejected };

struct Row {
  int64_t line = 0;
  Json request;
  Outcome outcome = Outcome::kPending;
  std::string code, field, reason;  // when rejected
};

struct Kind {
  const char* method;
  std::vector<const char*> key_fields;  // a DUPLICATE on one of these means "exists already"
  std::vector<const char*> integer_fields;
  std::vector<const char*> boolean_fields;
  // True when the row's natural key is in the database (in the batch's transaction).
  bool (*exists)(storage::Transaction& tx, const Json& request);
  // Rewrites lookup columns into the request's references (vehicles: customerPhone).
  void (*resolve)(storage::Transaction& tx, Json& request);
};

std::string text_of(const Json& request, const char* field) {
  auto it = request.find(field);
  return it != request.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool customer_exists(storage::Transaction& tx, const Json& r) {
  const std::string phone = text_of(r, "phone");
  return !phone.empty() &&
         tx.query_one("SELECT 1 FROM customers WHERE phone = ? AND deleted_at IS NULL", {phone});
}

bool vehicle_exists(storage::Transaction& tx, const Json& r) {
  const std::string registration = text_of(r, "registration");
  const std::string vin = text_of(r, "vin");
  if (registration.empty() && vin.empty()) return false;
  return bool(tx.query_one("SELECT 1 FROM vehicles WHERE registration = ? OR vin = ?",
                           {registration, vin}));
}

void vehicle_owner(storage::Transaction& tx, Json& r) {
  auto it = r.find("customerPhone");
  if (it == r.end()) return;
  const std::string phone = it->is_string() ? it->get<std::string>() : "";
  r.erase(it);
  if (r.contains("customerId")) return;
  auto row =
      tx.query_one("SELECT id FROM customers WHERE phone = ? AND deleted_at IS NULL", {phone});
  if (!row) throw Error::Validation("customerPhone", "no customer has the phone " + phone);
  r["customerId"] = row->str("id");
}

bool part_exists(storage::Transaction& tx, const Json& r) {
  const std::string number = text_of(r, "partNumber");
  return !number.empty() && tx.query_one("SELECT 1 FROM inv_parts WHERE part_number = ?", {number});
}

void no_resolve(storage::Transaction&, Json&) {}

const Kind& kind_of(const std::string& name) {
  static const Kind customers{"customers.Create", {"phone"}, {}, {}, customer_exists, no_resolve};
  static const Kind vehicles{"vehicles.Create", {"registration", "vin"},
                             {"vehicleYear"},   {},
                             vehicle_exists,    vehicle_owner};
  static const Kind parts{"inventory.CreatePart", {"partNumber"}, {},
                          {"isActive"},           part_exists,    no_resolve};
  if (name == "customers") return customers;
  if (name == "vehicles") return vehicles;
  if (name == "parts") return parts;
  throw Error::Validation("kind", "import customers, vehicles or parts, not " + name);
}

// "First Name", "first_name", "first-name", "firstName" -> "firstName"
std::string field_name(const std::string& header) {
  std::string out;
  bool upper = false;
  for (char c : header) {
    if (c == '_' || c == ' ' || c == '-') {
      upper = !out.empty();
      continue;
    }
    if (out.empty()) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (upper) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    } else {
      out.push_back(c);
    }
    upper = false;
  }
  return out;
}

bool listed(const std::vector<const char*>& names, const std::string& name) {
  for (const char* n : names) {
    if (name == n) return true;
  }
  return false;
}

// The request of one record; Error(VALIDATION) for a cell that cannot be its field's type.
Json request_of(const Kind& kind, const std::vector<std::string>& fields, const CsvRecord& record) {
  if (record.fields.size() != fields.size()) {
    throw Error::Validation("", "the row has " + std::to_string(record.fields.size()) +
                                    " fields, the header " + std::to_string(fields.size()));
  }
  Json request = Json::object();
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& cell = record.fields[i];
    if (cell.empty()) continue;
    const std::string& field = fields[i];
    if (listed(kind.integer_fields, field)) {
      size_t used = 0;
      int64_t value = 0;
      try {
        value = std::stoll(cell, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != cell.size()) throw Error::Validation(field, "must be a whole number");
      request[field] = value;
    } else if (listed(kind.boolean_fields, field)) {
      if (cell == "true" || cell == "yes" || cell == "1") {
        request[field] = true;
      } else if (cell == "false" || cell == "no" || cell == "0") {
        request[field] = false;
      } else {
        throw Error::Validation(field, "must be true or false");
      }
    } else {
      request[field] = cell;
    }
  }
  return request;
}

void reject(Row& row, const Error& e) {
  row.outcome = Outcome::kRejected;
  row.code = e.info().name;
  row.field = e.field();
  row.reason = e.message();
}

struct Failure {
  size_t index;
  Error error;
};

class Importer {
 public:
  Importer(Database& db, const Context& ctx, const Kind& kind, std::vector<Row>& rows,
           Progress& progress)
      : db_(db), ctx_(ctx), kind_(kind), rows_(rows), progress_(progress) {}

  // Imports rows [begin, end): as one batch while no row fails.
  void run(size_t begin, size_t end) {
    while (begin < end) {
      std::optional<Failure> failure = attempt(begin, end);
      if (!failure) {
        accept(begin, end);
        return;
      }
      Row& bad = rows_[failure->index];
      const Error& e = failure->error;
      if (e.code() == ErrorCode::kDuplicate && listed(kind_.key_fields, e.field())) {
        bad.outcome = Outcome::kExisting;
      } else {
        reject(bad, e);
      }
      settle(failure->index);
      // The rows before it went well inside the failed batch: commit them on their own.
      if (failure->index > begin) run(begin, failure->index);
      begin = failure->index + 1;
    }
  }

  int64_t batches() const { return batches_; }

 private:
  // One transaction over [begin, end); the first row a service refuses, if any (the
  // transaction then rolled back).
  std::optional<Failure> attempt(size_t begin, size_t end) {
    std::optional<Failure> failure;
    struct Abort {};
    try {
      storage::run_batch(*db_.impl().store, [&](storage::Transaction& tx) {
        failure.reset();  // a retried batch starts over
        attempted_.assign(end - begin, Outcome::kPending);
        for (size_t i = begin; i < end; ++i) {
          Row& row = rows_[i];
          if (row.outcome != Outcome::kPending) continue;  // rejected before (CSV, types)
          try {
            if (kind_.exists(tx, row.request)) {
              attempted_[i - begin] = Outcome::kExisting;
              continue;
            }
            Json request = row.request;
            kind_.resolve(tx, request);
            db_.call(ctx_, kind_.method, request);
            attempted_[i - begin] = Outcome::kImported;
          } catch (const storage::detail::RetryableFailure&) {
            throw;  // the engine re-runs the whole batch
          } catch (const Error& e) {
            failure.emplace(Failure{i, e});
            throw Abort{};
          }
        }
      });
    } catch (const Abort&) {
      return failure;
    }
    ++batches_;
    return std::nullopt;
  }

  void accept(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (rows_[i].outcome == Outcome::kPending) rows_[i].outcome = attempted_[i - begin];
    }
    done_ += static_cast<int64_t>(end - begin);
    progress_.update(done_);
  }

  void settle(size_t) {
    ++done_;
    progress_.update(done_);
  }

  Database& db_;
  const Context& ctx_;
  const Kind& kind_;
  std::vector<Row>& rows_;
  Progress& progress_;
  std::vector<Outcome> attempted_;
  int64_t done_ = 0;
  int64_t batches_ = 0;
};

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", seconds);
  return text;
}

}  // namespace

int cmd_import(Options& o, const std::string& kind_name) {
  const Kind& kind = kind_of(kind_name);
  std::ifstream in(o.file, std::ios::binary);
  if (!in) throw Error::Validation("file", "cannot read " + o.file);
  const std::string report_path = o.report.empty() ? o.file + ".rejects.csv" : o.report;

  // Read and convert every record first (the count makes the progress bar's total).
  CsvReader reader(in);
  std::vector<std::string> fields;
  std::vector<Row> rows;
  std::vector<Row> early;  // rows the CSV itself spoils (their request is never built)
  for (;;) {
    std::optional<CsvRecord> record;
    Row row;
    try {
      record = reader.next();
    } catch (const CsvError& e) {
      if (fields.empty())
        throw Error::Validation("file", "line " + std::to_string(e.line) + ": " + e.message);
      row.line = e.line;
      row.outcome = Outcome::kRejected;
      row.code = "VALIDATION_ERROR";
      row.reason = e.message;
      rows.push_back(std::move(row));
      continue;
    }
    if (!record) break;
    if (fields.empty()) {
      for (const std::string& header : record->fields) fields.push_back(field_name(header));
      continue;
    }
    row.line = record->line;
    try {
      row.request = request_of(kind, fields, *record);
    } catch (const Error& e) {
      reject(row, e);
    }
    rows.push_back(std::move(row));
  }
  if (fields.empty()) throw Error::Validation("file", o.file + " has no header row");

  auto db = open_database(o);
  const Context ctx = [&] {
    if (o.as_user.empty()) return db->system_context();
    Json found = db->call(db->system_context(), "users.List",
                          {{"filter", {{"email", o.as_user}}}, {"limit", 1}});
    if (found["data"].empty()) throw Error::NotFound("user", o.as_user);
    return db->context_for_user(found["data"][0]["id"].get<std::string>());
  }();

  Progress progress("import " + kind_name, static_cast<int64_t>(rows.size()), "rows",
                    progress_style(o));
  const auto start = std::chrono::steady_clock::now();
  Importer importer(*db, ctx, kind, rows, progress);
  const size_t batch = static_cast<size_t>(o.batch_size);
  for (size_t begin = 0; begin < rows.size(); begin += batch) {
    importer.run(begin, std::min(rows.size(), begin + batch));
  }
  progress.finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  int64_t imported = 0, existing = 0, rejected = 0;
  Json first_rejects = Json::array();
  std::ofstream report;
  for (const Row& row : rows) {
    switch (row.outcome) {
      case Outcome::kImported:
        ++imported;
        break;
      case Outcome::kExisting:
        ++existing;
        break;
      case Outcome::kRejected:
        if (rejected == 0) {
          report.open(report_path, std::ios::binary | std::ios::trunc);
          if (!report) throw Error::Validation("report", "cannot write " + report_path);
          report << "line,code,field,reason\r\n";
        }
        ++rejected;
        report << row.line << "," << csv_escape(row.code) << "," << csv_escape(row.field) << ","
               << csv_escape(row.reason) << "\r\n";
        if (first_rejects.size() < 20) {
          first_rejects.push_back({{"line", row.line},
                                   {"code", row.code},
                                   {"field", row.field},
                                   {"reason", row.reason}});
        }
        break;
      case Outcome::kPending:
        break;
    }
  }
  if (rejected == 0) std::remove(report_path.c_str());  // no stale report of an earlier run
  const double rate = seconds > 0 ? static_cast<double>(imported + existing) / seconds : 0;
  Json doc = {{"ok", rejected == 0},
              {"kind", kind_name},
              {"file", o.file},
              {"rows", rows.size()},
              {"imported", imported},
              {"existing", existing},
              {"rejected", rejected},
              {"batches", importer.batches()},
              {"seconds", seconds},
              {"rowsPerSecond", static_cast<int64_t>(rate)},
              {"report", rejected > 0 ? Json(report_path) : Json()},
              {"rejects", first_rejects}};
  std::string text = "import " + kind_name + ": " + std::to_string(rows.size()) + " rows, " +
                     std::to_string(imported) + " imported, " + std::to_string(existing) +
                     " existing (skipped), " + std::to_string(rejected) + " rejected in " +
                     seconds_text(seconds) + " s (" + std::to_string(static_cast<int64_t>(rate)) +
                     " rows/s)\n";
  if (rejected > 0) {
    text += "rejected rows (line, code, field, reason) are in " + report_path + "\n";
    for (const Json& r : first_rejects) {
      text += "  line " + std::to_string(r["line"].get<int64_t>()) + ": " +
              r["code"].get<std::string>() +
              (r["field"].get<std::string>().empty() ? "" : " " + r["field"].get<std::string>()) +
              ": " + r["reason"].get<std::string>() + "\n";
    }
  }
  emit(o, doc, text);
  return rejected == 0 ? kExitOk : kExitRejectedRows;
}

}  // namespace dms::cli
