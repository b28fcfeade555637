// Pricing and GST of a 10-line invoice: the exact engine (dms::price_document, scaled 64-bit
// integers) against the same rules written the naive way with Boost cpp_dec_float_50.
//
//   build/dev/benchmarks/bench_pricing --benchmark_min_time=2 --benchmark_repetitions=5
//
// Counters (thread CPU time): ns_per_line per priced line; BM_ExactVersusNaive times the two
// engines alternately in one loop and reports both and naive_over_exact, the ratio of their times.
// Figures: docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <boost/multiprecision/cpp_dec_float.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "dms/pricing.hpp"

namespace {

using Dec = boost::multiprecision::cpp_dec_float_50;

struct SampleLine {
  const char* description;
  const char* hsn_sac;
  dms::LineType type;
  const char* quantity;
  const char* unit_price;
  const char* rate;
  const char* discount_percent;  // nullptr: none
  const char* discount_amount;   // nullptr: none
};

// A service invoice as a workshop writes it: parts, oil by the litre, labour, mixed rates.
constexpr SampleLine kSample[] = {
    {"Engine oil 5W-30 synthetic", "27101980", dms::LineType::kPart, "3.500", "649.00", "18",
     nullptr, nullptr},
    {"Oil filter", "84212300", dms::LineType::kPart, "1", "385.50", "18", "5", nullptr},
    {"Air filter element", "84213100", dms::LineType::kPart, "1", "742.37", "28", nullptr, nullptr},
    {"Brake pad set front", "87083000", dms::LineType::kPart, "2", "1899.99", "28", "7.5", nullptr},
    {"Coolant concentrate 1 L", "38200000", dms::LineType::kPart, "1.250", "310.00", "18", nullptr,
     "12.00"},
    {"Wiper blade", "85129000", dms::LineType::kPart, "2", "275.45", "28", nullptr, nullptr},
    {"Periodic maintenance labour", "998714", dms::LineType::kLabour, "2.5", "850.00", "18", "10",
     nullptr},
    {"Wheel alignment and balancing", "998729", dms::LineType::kService, "1", "999.00", "18",
     nullptr, nullptr},
    {"Washer fluid", "34022090", dms::LineType::kPart, "0.750", "120.00", "18", nullptr, nullptr},
    {"Service manual booklet", "4901", dms::LineType::kOther, "1", "150.00", "5", nullptr, nullptr},
};
constexpr int kLines = static_cast<int>(std::size(kSample));
constexpr const char* kDocumentDiscount = "250.00";

dms::DocumentInput exact_input() {
  dms::DocumentInput doc;
  doc.type = dms::DocumentType::kInvoice;
  doc.supply = dms::SupplyType::kIntraState;
  doc.document_discount = dms::Money::parse(kDocumentDiscount);
  for (const SampleLine& s : kSample) {
    dms::LineInput line;
    line.description = s.description;
    line.hsn_sac = s.hsn_sac;
    line.type = s.type;
    line.quantity = dms::Quantity::parse(s.quantity);
    line.unit_price = dms::Money::parse(s.unit_price);
    line.gst_rate = dms::Percent::parse(s.rate);
    if (s.discount_percent) line.discount_percent = dms::Percent::parse(s.discount_percent);
    if (s.discount_amount) line.discount_amount = dms::Money::parse(s.discount_amount);
    doc.lines.push_back(std::move(line));
  }
  return doc;
}

// ---- The naive engine: the rules of docs/tax.md transcribed onto a decimal float type. -------

struct NaiveLineInput {
  std::string description, hsn_sac;
  dms::LineType type;
  Dec quantity, unit_price, rate;
  std::optional<Dec> discount_percent, discount_amount;
};

struct NaiveLine {
  std::string description, hsn_sac;
  dms::LineType type;
  Dec rate, gross, line_discount, net, share, amount, taxable, cgst, sgst, igst, total;
};

struct NaiveRate {
  Dec rate, taxable, cgst, sgst, igst;
};

struct NaiveDocument {
  std::vector<NaiveLine> lines;
  Dec gross, line_discount, net, document_discount, taxable, cgst, sgst, igst, total;
  std::vector<NaiveRate> tax_summary;
  Dec round_off, grand_total;
};

std::vector<NaiveLineInput> naive_input() {
  std::vector<NaiveLineInput> lines;
  for (const SampleLine& s : kSample) {
    NaiveLineInput line{s.description,     s.hsn_sac,   s.type,       Dec(s.quantity),
                        Dec(s.unit_price), Dec(s.rate), std::nullopt, std::nullopt};
    if (s.discount_percent) line.discount_percent = Dec(s.discount_percent);
    if (s.discount_amount) line.discount_amount = Dec(s.discount_amount);
    lines.push_back(std::move(line));
  }
  return lines;
}

Dec round2(const Dec& x) {
  return Dec(boost::multiprecision::round(x * 100) / 100);
}

void naive_allocate(const Dec& discount, NaiveDocument& doc) {
  Dec sum_of_nets = 0, allocated = 0;
  for (const NaiveLine& l : doc.lines) sum_of_nets += l.net;
  std::vector<std::pair<Dec, size_t>> remainders;
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    const Dec exact_paise = discount * doc.lines[i].net / sum_of_nets * 100;
    const Dec floor_paise = boost::multiprecision::floor(exact_paise);
    doc.lines[i].share = floor_paise / 100;
    allocated += doc.lines[i].share;
    remainders.emplace_back(exact_paise - floor_paise, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; allocated < discount; ++k) {
    doc.lines[remainders[k].second].share += Dec("0.01");
    allocated += Dec("0.01");
  }
}

NaiveDocument naive_price(const std::vector<NaiveLineInput>& input, const Dec& discount) {
  NaiveDocument doc;
  for (const NaiveLineInput& in : input) {
    NaiveLine l{in.description, in.hsn_sac, in.type, in.rate, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    l.gross = round2(in.quantity * in.unit_price);
    if (in.discount_percent) l.line_discount = round2(l.gross * *in.discount_percent / 100);
    if (in.discount_amount) l.line_discount = *in.discount_amount;
    l.net = l.gross - l.line_discount;
    doc.lines.push_back(std::move(l));
  }
  naive_allocate(discount, doc);
  for (NaiveLine& l : doc.lines) {  // tax-exclusive, intra-state
    l.amount = l.net - l.share;
    l.taxable = l.amount;
    l.cgst = l.sgst = round2(l.taxable * (l.rate / 2) / 100);
    l.total = l.taxable + l.cgst + l.sgst + l.igst;
    doc.gross += l.gross, doc.line_discount += l.line_discount, doc.net += l.net;
    doc.document_discount += l.share, doc.taxable += l.taxable, doc.cgst += l.cgst;
    doc.sgst += l.sgst, doc.igst += l.igst, doc.total += l.total;
    auto it = std::find_if(doc.tax_summary.begin(), doc.tax_summary.end(),
                           [&](const NaiveRate& r) { return r.rate == l.rate; });
    if (it == doc.tax_summary.end()) it = doc.tax_summary.insert(it, {l.rate, 0, 0, 0, 0});
    it->taxable += l.taxable, it->cgst += l.cgst, it->sgst += l.sgst, it->igst += l.igst;
  }
  std::sort(doc.tax_summary.begin(), doc.tax_summary.end(),
            [](const NaiveRate& a, const NaiveRate& b) { return a.rate < b.rate; });
  doc.grand_total = boost::multiprecision::floor(doc.total + Dec("0.5"));
  doc.round_off = doc.grand_total - doc.total;
  return doc;
}

// ---- Both engines must agree before either is timed. ----------------------------------------

std::string paise(const Dec& x) {
  return x.str(2, std::ios_base::fixed);
}

void require_same_figures() {
  const dms::PricedDocument exact = dms::price_document(exact_input(), dms::PricingConfig{});
  const NaiveDocument naive = naive_price(naive_input(), Dec(kDocumentDiscount));
  bool same = exact.lines.size() == naive.lines.size() &&
              exact.tax_summary.size() == naive.tax_summary.size();
  for (size_t i = 0; same && i < exact.lines.size(); ++i) {
    const dms::PricedLine& e = exact.lines[i];
    const NaiveLine& n = naive.lines[i];
    same = e.gross.to_string() == paise(n.gross) && e.net.to_string() == paise(n.net) &&
           e.document_discount_share.to_string() == paise(n.share) &&
           e.cgst.to_string() == paise(n.cgst) && e.total.to_string() == paise(n.total);
  }
  same = same && exact.totals.total.to_string() == paise(naive.total) &&
         exact.grand_total.to_string() == paise(naive.grand_total) &&
         exact.round_off.to_string() == paise(naive.round_off);
  if (!same) {
    std::fprintf(stderr, "bench_pricing: the naive engine disagrees with the exact one\n");
    std::exit(1);
  }
}

// ---- Benchmarks -----------------------------------------------------------------------------

// CPU time of this thread in nanoseconds: the machine is shared, so wall time would count other
// processes' work.
int64_t thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

double ns_per_line(int64_t elapsed_ns, int64_t documents) {
  return static_cast<double>(elapsed_ns) / static_cast<double>(documents * kLines);
}

void BM_PriceDocumentExact(benchmark::State& state) {
  const dms::DocumentInput input = exact_input();
  const dms::PricingConfig config;
  const int64_t start = thread_cpu_ns();
  for (auto _ : state) benchmark::DoNotOptimize(dms::price_document(input, config));
  state.counters["ns_per_line"] = ns_per_line(thread_cpu_ns() - start, state.iterations());
}
BENCHMARK(BM_PriceDocumentExact);

void BM_PriceDocumentNaiveDecFloat50(benchmark::State& state) {
  const std::vector<NaiveLineInput> input = naive_input();
  const Dec discount(kDocumentDiscount);
  const int64_t start = thread_cpu_ns();
  for (auto _ : state) benchmark::DoNotOptimize(naive_price(input, discount));
  state.counters["ns_per_line"] = ns_per_line(thread_cpu_ns() - start, state.iterations());
}
BENCHMARK(BM_PriceDocumentNaiveDecFloat50);

// Both engines in one loop, timed alternately in batches, so the ratio compares like with like.
void BM_ExactVersusNaive(benchmark::State& state) {
  constexpr int kBatch = 20;
  const dms::DocumentInput exact = exact_input();
  const dms::PricingConfig config;
  const std::vector<NaiveLineInput> naive = naive_input();
  const Dec discount(kDocumentDiscount);
  int64_t exact_ns = 0, naive_ns = 0;
  for (auto _ : state) {
    const int64_t t0 = thread_cpu_ns();
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(dms::price_document(exact, config));
    const int64_t t1 = thread_cpu_ns();
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(naive_price(naive, discount));
    exact_ns += t1 - t0;
    naive_ns += thread_cpu_ns() - t1;
  }
  const int64_t documents = state.iterations() * kBatch;
  state.counters["exact_ns_per_line"] = ns_per_line(exact_ns, documents);
  state.counters["naive_ns_per_line"] = ns_per_line(naive_ns, documents);
  state.counters["naive_over_exact"] =
      static_cast<double>(naive_ns) / static_cast<double>(exact_ns);
}
BENCHMARK(BM_ExactVersusNaive);

}  // namespace

int main(int argc, char** argv) {
  require_same_figures();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
