// Inventory benchmarks (figures in docs/benchmarks.md, "Inventory"):
//   (a) one durable single-move transaction (two balance updates, a ledger row, an audit row):
//       inventory.AdjustStock through Database::call, the same through the C++ stock API, and a
//       raw sqlite3 baseline executing the same statements with the same pragmas in this binary
//       (reusing its prepared statements: the real limit; and, for reference, preparing each);
//   (b) receiving a 350-line purchase order (purchaseOrders.Receive);
//   (c) allocating 10,000 lines: a 10,000-line parts issue (partsIssues.Create), and 10,000
//       inventory::allocate() calls in one transaction.
// Everything runs on SQLite files with synchronous=FULL (each commit durable).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/database.hpp"
#include "dms/error.hpp"
#include "inventory/stock.hpp"
#include "service/service.hpp"
#include "storage/store.hpp"

namespace {

using dms::Json;
namespace inv = dms::inventory;

std::string temp_path(const char* what) {
  return "/tmp/dms-bench-inventory-" + std::string(what) + "-" + dms::storage::new_id() + ".db";
}

void remove_database(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

// A migrated database with `parts` parts stocked at the central warehouse.
struct World {
  std::string path;
  std::unique_ptr<dms::Database> db;
  dms::Context system;
  std::vector<std::string> parts;
  std::string central;
  std::string adjustment;

  World(const char* what, int parts_count, const char* stock) : path(temp_path(what)) {
    dms::DatabaseOptions options;
    options.url = path;
    options.sqlite_synchronous = "NORMAL";  // the setup need not be durable; what is timed is
    db = dms::Database::open(options);
    system = db->system_context();
    setup(parts_count, stock);
    db.reset();
    options.sqlite_synchronous = "FULL";
    db = dms::Database::open(options);
  }

  void setup(int parts_count, const char* stock) {
    for (int i = 0; i < parts_count; ++i) {
      parts.push_back(db->call(system, "inventory.CreatePart",
                               {{"partNumber", "P-" + std::to_string(i)},
                                {"partName", "Part " + std::to_string(i)},
                                {"hsnCode", "8708"},
                                {"gstRate", "18"},
                                {"costPrice", "100.00"}})["id"]
                          .get<std::string>());
    }
    db->impl().store->read([&](dms::storage::Transaction& tx) {
      central = inv::central_location(tx).id;
      adjustment = inv::virtual_location(tx, inv::LocationKind::kAdjustment).id;
    });
    if (std::string(stock) != "0") {
      db->impl().store->write([&](dms::storage::Transaction& tx) {
        for (const auto& part : parts) {
          inv::MoveRequest move;
          move.part_id = part;
          move.from_location = adjustment;
          move.to_location = central;
          move.quantity = dms::Quantity::parse(stock);
          move.type = inv::TxnType::kAdjust;
          inv::move_stock(tx, system, move);
        }
      });
    }
  }
  ~World() {
    db.reset();
    remove_database(path);
  }
};

// ---- (a) one durable single-move transaction --------------------------------------------------

void BM_AdjustStock_Service(benchmark::State& state) {
  World w("service", 1, "100");
  const Json request = {{"partId", w.parts[0]},
                        {"locationId", w.central},
                        {"adjustmentType", "ADD"},
                        {"quantity", "1"},
                        {"reason", "STOCK_COUNT"}};
  for (auto _ : state) benchmark::DoNotOptimize(w.db->call(w.system, "inventory.AdjustStock", request));
}
BENCHMARK(BM_AdjustStock_Service)->Unit(benchmark::kMicrosecond)->MinTime(3.0);

void BM_MoveStock_CppApi(benchmark::State& state) {
  World w("cpp", 1, "100");
  inv::MoveRequest move;
  move.part_id = w.parts[0];
  move.from_location = w.adjustment;
  move.to_location = w.central;
  move.quantity = dms::Quantity::parse("1");
  move.type = inv::TxnType::kAdjust;
  move.reason = "STOCK_COUNT";
  for (auto _ : state) {
    w.db->impl().store->write([&](dms::storage::Transaction& tx) {
      const inv::MoveRecord record = inv::move_stock(tx, w.system, move);
      dms::audit::record(tx, w.system, "STOCK_ADJUST", "part", move.part_id,
                         {{"stockQuantity", record.to_before.to_string()}},
                         {{"stockQuantity", record.to_after.to_string()}});
    });
  }
}
BENCHMARK(BM_MoveStock_CppApi)->Unit(benchmark::kMicrosecond)->MinTime(3.0);

// The raw baseline: one sqlite3 connection with the library's pragmas, executing the statements
// inventory.AdjustStock executes (same SQL text, same parameter values), plus BEGIN IMMEDIATE /
// COMMIT. With `reuse` each statement is prepared once and reset after each run (what a
// hand-written program would do: the real limit); without it each is prepared when run.
class Raw {
 public:
  Raw(const std::string& path, bool reuse) : reuse_(reuse) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open");
    }
    sqlite3_busy_timeout(db_, 30000);
    run("PRAGMA journal_mode = WAL", {});
    run("PRAGMA foreign_keys = ON", {});
    run("PRAGMA synchronous = FULL", {});
  }
  ~Raw() {
    for (auto& [sql, statement] : prepared_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
  }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;

  struct Param {
    bool is_text;
    int64_t number;
    std::string text;
    Param(int64_t n) : is_text(false), number(n) {}  // NOLINT: implicit on purpose
    Param(std::string t) : is_text(true), number(0), text(std::move(t)) {}  // NOLINT
    Param(const char* t) : Param(std::string(t)) {}                         // NOLINT
  };

  // Runs one statement; returns the first column of each row as text or number (enough for the
  // few values the sequence needs).
  std::vector<std::vector<Param>> run(const char* sql, const std::vector<Param>& params) {
    sqlite3_stmt* statement = reuse_ ? prepared_[sql] : nullptr;
    if (statement == nullptr) {
      if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db_));
      }
      if (reuse_) prepared_[sql] = statement;
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (params[i].is_text) {
        sqlite3_bind_text(statement, index, params[i].text.c_str(),
                          static_cast<int>(params[i].text.size()), SQLITE_STATIC);
      } else {
        sqlite3_bind_int64(statement, index, params[i].number);
      }
    }
    std::vector<std::vector<Param>> rows;
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      std::vector<Param> row;
      for (int c = 0; c < sqlite3_column_count(statement); ++c) {
        if (sqlite3_column_type(statement, c) == SQLITE_INTEGER) {
          row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(statement, c)));
        } else {
          const unsigned char* text = sqlite3_column_text(statement, c);
          row.emplace_back(std::string(text ? reinterpret_cast<const char*>(text) : ""));
        }
      }
      rows.push_back(std::move(row));
    }
    if (reuse_) {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
    } else {
      sqlite3_finalize(statement);
    }
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(db_));
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
  const bool reuse_;
  std::map<const char*, sqlite3_stmt*> prepared_;  // by the address of the SQL text, when reuse_
};

void raw_adjust(Raw& raw, const World& w, int64_t& on_hand_units, int64_t& adjustment_units) {
  const std::string& part = w.parts[0];
  const char* kLocation =
      "SELECT id, code, name, kind, service_center_id, state_code, allow_negative FROM "
      "inv_locations WHERE id = ?";
  const char* kBalance =
      "SELECT on_hand, allocated, average_cost, min_level, max_level, reorder_point FROM "
      "inv_balances WHERE part_id = ? AND location_id = ?";
  const char* kStore =
      "UPDATE inv_balances SET on_hand = ?, allocated = ?, average_cost = ?, updated_at = ?, "
      "last_restocked_at = CASE WHEN ? = 1 THEN ? ELSE last_restocked_at END WHERE part_id = ? "
      "AND location_id = ?";
  const int64_t now = dms::Clock::system().now().unix_micros();
  raw.run("BEGIN IMMEDIATE", {});
  raw.run(kLocation, {w.central});
  raw.run("SELECT id, part_number, name, hsn_code, gst_rate, cost_price, is_active FROM inv_parts "
          "WHERE id = ?",
          {part});
  raw.run(kBalance, {part, w.central});
  raw.run(
      "SELECT id, code, name, kind, service_center_id, state_code, allow_negative FROM "
      "inv_locations WHERE kind = ?",
      {"ADJUSTMENT"});
  raw.run(kLocation, {w.adjustment});
  raw.run(kLocation, {w.central});
  raw.run(kBalance, {part, w.central < w.adjustment ? w.central : w.adjustment});
  raw.run(kBalance, {part, w.central < w.adjustment ? w.adjustment : w.central});
  raw.run(kStore, {adjustment_units - 1000, int64_t{0}, int64_t{0}, now, int64_t{0}, now, part, w.adjustment});
  raw.run(kStore, {on_hand_units + 1000, int64_t{0}, int64_t{10000}, now, int64_t{0}, now, part, w.central});
  raw.run(
      "INSERT INTO inv_moves (id, part_id, txn_type, quantity, from_location_id, "
      "to_location_id, from_before, from_after, to_before, to_after, unit_cost, reason, "
      "reference_type, reference_id, reference_number, reference_line_id, notes, performed_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {dms::storage::new_id(), part, "ADJUST", 1000, w.adjustment, w.central, adjustment_units,
       adjustment_units - 1000, on_hand_units, on_hand_units + 1000, 10000, "STOCK_COUNT",
       "STOCK_ADJUSTMENT", "", "", "", "", "", now});
  const auto head =
      raw.run("SELECT last_seq, last_hash FROM audit_chains WHERE chain_id = ?", {"group"});
  const int64_t seq = head.at(0).at(0).number + 1;
  const std::string hash(64, 'a');
  raw.run(
      "INSERT INTO audit_logs (id, chain_id, chain_seq, created_at, user_id, user_name, "
      "user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, "
      "request_id, ip_address, user_agent, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?)",
      {dms::storage::new_id(), "group", seq, now, "", "system", "system", "STOCK_ADJUST", "part",
       part, "{\"stockQuantity\":\"100\"}",
       "{\"adjustmentType\":\"ADD\",\"locationId\":\"" + w.central +
           "\",\"newStock\":\"101\",\"quantity\":\"1\",\"reason\":\"STOCK_COUNT\"}",
       "", "", "", "", head.at(0).at(1).text, hash});
  raw.run("UPDATE audit_chains SET last_seq = ?, last_hash = ? WHERE chain_id = ?",
          {seq, hash, "group"});
  raw.run("COMMIT", {});
  on_hand_units += 1000;
  adjustment_units -= 1000;
}

void BM_AdjustStock_RawSqlite(benchmark::State& state) {
  World w("raw", 1, "100");
  Raw raw(w.path, /*reuse=*/true);
  int64_t on_hand = 100000, adjustment = -100000;
  for (auto _ : state) raw_adjust(raw, w, on_hand, adjustment);
}
BENCHMARK(BM_AdjustStock_RawSqlite)->Unit(benchmark::kMicrosecond)->MinTime(3.0);

// The same, preparing every statement when it runs (the baseline of the figures before the
// storage engine cached its statements).
void BM_AdjustStock_RawSqlitePrepareEach(benchmark::State& state) {
  World w("raw-each", 1, "100");
  Raw raw(w.path, /*reuse=*/false);
  int64_t on_hand = 100000, adjustment = -100000;
  for (auto _ : state) raw_adjust(raw, w, on_hand, adjustment);
}
BENCHMARK(BM_AdjustStock_RawSqlitePrepareEach)->Unit(benchmark::kMicrosecond)->MinTime(3.0);

// ---- (b) receiving a 350-line purchase order --------------------------------------------------

Json approved_po(World& w, const std::string& supplier, int lines) {
  Json items = Json::array();
  for (int i = 0; i < lines; ++i) {
    items.push_back({{"partId", w.parts[static_cast<size_t>(i)]},
                     {"quantity", "10"},
                     {"unitPrice", "123.45"}});
  }
  Json po = w.db->call(w.system, "purchaseOrders.Create", {{"supplierId", supplier}, {"items", items}});
  w.db->call(w.system, "purchaseOrders.Submit", {{"id", po["id"]}});
  w.db->call(w.system, "purchaseOrders.Approve", {{"id", po["id"]}});
  Json receipt = {{"id", po["id"]}, {"receivedItems", Json::array()}, {"invoiceNumber", "INV-1"}};
  for (const auto& item : po["items"]) {
    receipt["receivedItems"].push_back(
        {{"itemId", item["id"]}, {"receivedQty", "10"}, {"acceptedQty", "9"}, {"rejectedQty", "1"}});
  }
  return receipt;
}

void BM_ReceivePurchaseOrder_350Lines(benchmark::State& state) {
  const int lines = static_cast<int>(state.range(0));
  World w("po", lines, "0");
  const std::string supplier =
      w.db->call(w.system, "suppliers.Create", {{"name", "Bench supplier"}})["id"].get<std::string>();
  for (auto _ : state) {
    const Json receipt = approved_po(w, supplier, lines);
    const auto start = std::chrono::steady_clock::now();
    const Json done = w.db->call(w.system, "purchaseOrders.Receive", receipt);
    const auto stop = std::chrono::steady_clock::now();
    if (done["status"] != "COMPLETED") state.SkipWithError("PO not completed");
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }
}
BENCHMARK(BM_ReceivePurchaseOrder_350Lines)
    ->Arg(350)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);

// ---- (c) allocating 10,000 lines --------------------------------------------------------------

void BM_PartsIssue_10000Lines(benchmark::State& state) {
  World w("issue", 1000, "1000");
  const std::string center =
      w.db->call(w.system, "serviceCenters.Create", {{"code", "SC01"}, {"name", "Bench SC"}})["id"]
          .get<std::string>();
  Json items = Json::array();
  for (size_t i = 0; i < 10000; ++i) {
    items.push_back({{"partId", w.parts[i % w.parts.size()]}, {"requestedQty", "0.01"}});
  }
  const Json request = {{"toServiceCenterId", center}, {"items", items}};
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(w.db->call(w.system, "partsIssues.Create", request));
    const auto stop = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }
}
BENCHMARK(BM_PartsIssue_10000Lines)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

// inventory::allocate_lines: the batch API a document with many lines uses.
void BM_Allocate_10000Lines_CppApi(benchmark::State& state) {
  World w("alloc", 1000, "1000");
  std::vector<inv::AllocationRequest> lines(10000);
  for (size_t i = 0; i < lines.size(); ++i) {
    lines[i].part_id = w.parts[i % w.parts.size()];
    lines[i].quantity = dms::Quantity::parse("0.01");
    lines[i].reference_type = "BENCH";
  }
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    w.db->impl().store->write([&](dms::storage::Transaction& tx) {
      inv::allocate_lines(tx, w.system, lines, inv::central_location(tx));
    });
    const auto stop = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }
}
BENCHMARK(BM_Allocate_10000Lines_CppApi)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

// The same through one inventory::allocate() call per line.
void BM_Allocate_10000Calls_CppApi(benchmark::State& state) {
  World w("alloc-calls", 1000, "1000");
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    w.db->impl().store->write([&](dms::storage::Transaction& tx) {
      const inv::Location central = inv::central_location(tx);
      for (size_t i = 0; i < 10000; ++i) {
        inv::AllocationRequest a;
        a.part_id = w.parts[i % w.parts.size()];
        a.quantity = dms::Quantity::parse("0.01");
        a.reference_type = "BENCH";
        inv::allocate(tx, w.system, a, central);
      }
    });
    const auto stop = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }
}
BENCHMARK(BM_Allocate_10000Calls_CppApi)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
