// The flow tables are the only source of status names: "status names appear only in the flow
// tables" greps src/ for a quoted name of any table outside the tables (*/workflows.hpp), and
// "docs/workflows.md draws every flow table" checks each diagram's moves against its table.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "billing/workflows.hpp"
#include "delivery/workflows.hpp"
#include "inventory/workflows.hpp"
#include "sales/workflows.hpp"
#include "workshop/workflows.hpp"

namespace {

namespace fs = std::filesystem;

struct Flow {
  std::string entity;
  std::set<std::string> names;
  std::set<std::string> moves;  // "FROM -> TO"
};

template <class State>
Flow flow_of(const dms::Workflow<State>& flow) {
  Flow f{flow.entity(), {}, {}};
  for (State s : flow.states()) f.names.insert(flow.name(s));
  std::istringstream lines(flow.describe());
  for (std::string line; std::getline(lines, line);) f.moves.insert(line);
  return f;
}

// Every table in src/ (the count of Workflow definitions is checked below, so a new table must
// be listed here).
std::vector<Flow> all_flows() {
  using namespace dms;
  return {flow_of(workshop::kJobCardFlow),
          flow_of(workshop::kJobCardPaymentFlow),
          flow_of(workshop::kServiceLineFlow),
          flow_of(workshop::kServiceLineApprovalFlow),
          flow_of(workshop::kVehicleFlow),
          flow_of(workshop::kServiceRequestFlow),
          flow_of(workshop::kAppointmentFlow),
          flow_of(workshop::kPartsRequestFlow),
          flow_of(billing::kInvoiceFlow),
          flow_of(billing::kCreditNoteFlow),
          flow_of(inventory::kPoFlow),
          flow_of(inventory::kPartsIssueFlow),
          flow_of(inventory::kStockTransferFlow),
          flow_of(inventory::kPurchaseRequestFlow),
          flow_of(sales::kLeadFlow),
          flow_of(sales::kQuotationFlow),
          flow_of(sales::kCounterOrderFlow),
          flow_of(sales::kOrderPaymentFlow),
          flow_of(delivery::kMessageFlow)};
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Migration DDL (R"SQL( ... )SQL") is fixed history and is left out; line breaks are kept so
// line numbers stay right.
std::string without_migration_sql(std::string text) {
  const std::string open = "R\"SQL(";
  const std::string close = ")SQL\"";
  for (size_t at = text.find(open); at != std::string::npos; at = text.find(open, at)) {
    const size_t end = text.find(close, at);
    if (end == std::string::npos) break;
    for (size_t i = at; i < end + close.size(); ++i) {
      if (text[i] != '\n') text[i] = ' ';
    }
    at = end;
  }
  return text;
}

std::vector<fs::path> source_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(DMS_SOURCE_DIR) / "src")) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".cpp" || ext == ".hpp" || ext == ".h")) {
      files.push_back(entry.path());
    }
  }
  return files;
}

}  // namespace

TEST_CASE("status names appear only in the flow tables") {
  std::set<std::string> names;
  for (const Flow& f : all_flows()) names.insert(f.names.begin(), f.names.end());
  std::string alternatives;
  for (const std::string& n : names) alternatives += (alternatives.empty() ? "" : "|") + n;
  const std::regex quoted("[\"'](" + alternatives + ")[\"']");
  const std::regex definition("inline constexpr Workflow<");
  std::vector<std::string> offending;
  size_t tables = 0;
  for (const fs::path& file : source_files()) {
    const std::string text = read(file);
    tables += static_cast<size_t>(std::distance(
        std::sregex_iterator(text.begin(), text.end(), definition), std::sregex_iterator()));
    if (file.filename() == "workflows.hpp") continue;  // the tables themselves
    std::istringstream lines(without_migration_sql(text));
    int number = 0;
    for (std::string line; std::getline(lines, line);) {
      ++number;
      std::smatch m;
      if (std::regex_search(line, m, quoted)) {
        offending.push_back(fs::relative(file, DMS_SOURCE_DIR).string() + ":" +
                            std::to_string(number) + ": " + m.str(0));
      }
    }
  }
  std::string report;
  for (const auto& o : offending) report += o + "\n";
  INFO("status literals outside the flow tables (name them with kXFlow.name(...)):\n" << report);
  CHECK(offending.empty());
  CHECK(tables == all_flows().size());  // every table is listed in all_flows()
}

TEST_CASE("docs/workflows.md draws every flow table") {
  const std::string doc = read(fs::path(DMS_SOURCE_DIR) / "docs" / "workflows.md");
  const std::regex edge(R"(^\s*([A-Z_]+)\s*-->\s*([A-Z_]+)\b)");
  for (const Flow& f : all_flows()) {
    INFO("flow: " << f.entity);
    const std::string marker = "<!-- flow: " + f.entity + " -->";
    const size_t at = doc.find(marker);
    REQUIRE(at != std::string::npos);
    const size_t open = doc.find("```mermaid", at);
    REQUIRE(open != std::string::npos);
    const size_t close = doc.find("```", open + 10);
    REQUIRE(close != std::string::npos);
    std::istringstream lines(doc.substr(open, close - open));
    std::set<std::string> drawn;
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_search(line, m, edge)) drawn.insert(m.str(1) + " -> " + m.str(2));
    }
    CHECK(drawn == f.moves);
  }
}
