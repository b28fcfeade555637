#!/usr/bin/python3
"""Writes the pricing regression fixtures (tests/data/pricing/*.json).

The expected figures come from the small reference model below, written from the rules of
docs/tax.md with Python's decimal module and nothing from the C++ engine. The examples of the
issue and a few more worked by hand are asserted against the model before anything is written.

Run: /usr/bin/python3 tests/data/pricing/make_fixtures.py   (rewrites every NNN_*.json here)
"""
import json
import os
import random
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, getcontext

getcontext().prec = 80  # far more than any figure here needs: divisions are exact or far from ties

HERE = os.path.dirname(os.path.abspath(__file__))
PAISA = Decimal("0.01")
DEFAULT_SLABS = ["0", "0.25", "3", "5", "12", "18", "28"]
ROUND_OFF_DEFAULTS = {"quotation": False, "counter_order": True, "purchase_order": False,
                      "invoice": True}


def round2(x):
    """Half away from zero to the paisa (decimal's ROUND_HALF_UP is away from zero)."""
    return x.quantize(PAISA, rounding=ROUND_HALF_UP)


def rupee_half_up(x):
    """Nearest rupee, ties toward +infinity."""
    return (x + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR).quantize(PAISA)


def fmt(x):
    return format(x.quantize(PAISA), "f")


# --- place of supply (rule 10) ---------------------------------------------------------------

STATE_NAMES = {"maharashtra": "27", "karnataka": "29", "delhi": "07", "tamil nadu": "33",
               "gujarat": "24", "kerala": "32"}
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin_check(first14):
    total = 0
    for position, ch in enumerate(first14):
        weight = 2 if position % 2 else 1
        product = ALPHABET.index(ch) * weight
        total += product // 36 + product % 36
    return ALPHABET[(36 - total % 36) % 36]


def with_check(first14):
    return first14 + gstin_check(first14)


def place_of_supply(gstin, state):
    if gstin:
        assert len(gstin) == 15 and gstin_check(gstin[:14]) == gstin[14], gstin
        return gstin[:2]
    if state:
        return state if state.isdigit() else STATE_NAMES[state.lower()]
    return None


def supply_of(doc):
    if "supply" in doc:
        return doc["supply"]
    place = place_of_supply(doc.get("customerGstin"), doc.get("customerState"))
    return "intra_state" if place is None or place == doc["supplierState"] else "inter_state"


# --- the model (rules 1-9, 12) ---------------------------------------------------------------

def price(doc, config):
    inclusive = doc.get("taxInclusive", False)
    supply = supply_of(doc)
    lines = []
    for src in doc["lines"]:
        q, p, r = Decimal(src["quantity"]), Decimal(src["unitPrice"]), Decimal(src["gstRate"])
        gross = round2(q * p)
        if "discountPercent" in src:
            discount = round2(gross * Decimal(src["discountPercent"]) / 100)
        else:
            discount = Decimal(src.get("discountAmount", "0"))
        assert 0 <= discount <= gross
        lines.append({"rate": r, "gross": gross, "lineDiscount": discount,
                      "net": gross - discount})
    allocate(Decimal(doc.get("documentDiscount", "0")), lines)
    for line in lines:
        tax(line, inclusive, supply)
    totals = {k: sum((l[k] for l in lines), Decimal(0)) for k in
              ["gross", "lineDiscount", "net", "documentDiscountShare", "taxable", "cgst", "sgst",
               "igst", "total"]}
    totals["documentDiscount"] = totals.pop("documentDiscountShare")
    doc_type = doc.get("documentType", "invoice")
    rounding = config.get("roundOff", {}).get(doc_type, ROUND_OFF_DEFAULTS[doc_type])
    grand = rupee_half_up(totals["total"]) if rounding else totals["total"]
    summary = []
    for rate in sorted({l["rate"] for l in lines}):
        of_rate = [l for l in lines if l["rate"] == rate]
        summary.append({"rate": rate, **{k: sum((l[k] for l in of_rate), Decimal(0))
                                         for k in ["taxable", "cgst", "sgst", "igst"]}})
    return {"supply": supply, "lines": lines, "totals": totals, "taxSummary": summary,
            "roundOff": grand - totals["total"], "grandTotal": grand}


def allocate(discount, lines):
    nets = [int(l["net"] * 100) for l in lines]
    whole, total = int(discount * 100), sum(nets)
    assert whole <= total
    floors = [whole * n // total if total else 0 for n in nets]
    remainders = [whole * n % total if total else 0 for n in nets]
    left_over = whole - sum(floors)
    winners = sorted(range(len(lines)), key=lambda i: (-remainders[i], i))[:left_over]
    for i, line in enumerate(lines):
        line["documentDiscountShare"] = Decimal(floors[i] + (1 if i in winners else 0)) / 100
    assert sum(l["documentDiscountShare"] for l in lines) == discount


def tax(line, inclusive, supply):
    amount, r = line["net"] - line["documentDiscountShare"], line["rate"]
    half = igst = Decimal("0.00")
    if supply == "intra_state":
        half = round2(amount * (r / 2) / ((100 + r) if inclusive else 100))
        taxable = amount - 2 * half if inclusive else amount
    else:
        igst = round2(amount * r / ((100 + r) if inclusive else 100))
        taxable = amount - igst if inclusive else amount
    line.update(amount=amount, taxable=taxable, cgst=half, sgst=half, igst=igst,
                total=taxable + 2 * half + igst)


def negated(result):
    neg = lambda d: {k: (-v if isinstance(v, Decimal) and k != "rate" else v) for k, v in d.items()}
    return {"supply": result["supply"], "lines": [neg(l) for l in result["lines"]],
            "totals": neg(result["totals"]), "taxSummary": [neg(s) for s in result["taxSummary"]],
            "roundOff": -result["roundOff"], "grandTotal": -result["grandTotal"]}


def as_json(result):
    def money(d):
        return {k: (fmt(v) if k != "rate" else format(v.normalize(), "f")) for k, v in d.items()}
    return {"supply": result["supply"],
            "lines": [money({k: v for k, v in l.items() if k != "rate"}) for l in result["lines"]],
            "totals": money(result["totals"]),
            "taxSummary": [money(s) for s in result["taxSummary"]],
            "roundOff": fmt(result["roundOff"]), "grandTotal": fmt(result["grandTotal"])}


# --- the fixtures ----------------------------------------------------------------------------

def line(q, p, r, hsn="87089900", kind="part", desc=None, **extra):
    out = {"description": desc or f"Part {hsn}", "hsnSac": hsn, "type": kind, "quantity": q,
           "unitPrice": p, "gstRate": r}
    out.update(extra)
    return out


def labour(q, p, r="18", **extra):
    return line(q, p, r, hsn="998714", kind="labour", desc="Labour: periodic service", **extra)


def random_lines(seed, count, rates, inclusive_safe=True):
    rng = random.Random(seed)
    out = []
    for i in range(count):
        q = Decimal(rng.randint(1, 5000)) / 1000 if rng.random() < 0.4 else Decimal(
            rng.randint(1, 12))
        p = Decimal(rng.randint(1, 2_000_000)) / 100
        extra = {}
        pick = rng.random()
        if pick < 0.25:
            extra["discountPercent"] = str(Decimal(rng.randint(0, 5000)) / 100)
        elif pick < 0.35:
            gross = round2(q * p)
            extra["discountAmount"] = fmt(Decimal(rng.randint(0, int(gross * 100))) / 100)
        out.append(line(format(q.normalize(), "f"), fmt(p), rng.choice(rates),
                        desc=f"Random part {i}", **extra))
    return out


FIXTURES = []


def fixture(name, about, rules, document, config=None, credit_note=False, error=None):
    FIXTURES.append(dict(name=name, about=about, rules=rules, document=document,
                         config=config or {}, credit_note=credit_note, error=error))


fixture("seed002_purchase_order", "Seed 002's purchase order: 100 x 40,000.00 at 18 % intra-state",
        [1, 5, 7, 8], {"documentType": "purchase_order", "supply": "intra_state",
                       "lines": [line("100", "40000.00", "18", desc="Battery Module")]})
fixture("inclusive_100_at_18_intra", "1 x 100.00 tax-inclusive at 18 % intra-state",
        [6, 7, 9], {"documentType": "counter_order", "supply": "intra_state", "taxInclusive": True,
                    "lines": [line("1", "100.00", "18")]})
fixture("gross_rounds_half_away", "1.5 x 333.33 = 499.995 rounds to 500.00", [1, 5],
        {"documentType": "quotation", "supply": "intra_state",
         "lines": [line("1.5", "333.33", "18")]})
fixture("inter_state_single_28", "One vehicle part at 28 % inter-state: IGST only", [5, 7],
        {"documentType": "invoice", "supply": "inter_state",
         "lines": [line("2", "1234.56", "28")]})
fixture("multi_rate_tax_summary", "Four rates on one invoice; the tax summary lists each", [5, 8, 12],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("3", "99.99", "5"), line("1", "450.00", "12"), line("2", "1299.00", "18"),
                   line("1", "2599.50", "28"), labour("1.5", "800.00"), line("4", "45.45", "18")]})
fixture("line_discount_percent_rounding", "7.5 % of 1234.57 = 92.59275 rounds to 92.59", [2, 3],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "1234.57", "18", discountPercent="7.5"),
                   line("3", "10.15", "12", discountPercent="12.25")]})
fixture("line_discount_amount", "A discount given as an amount is taken as given", [2, 3],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("2", "500.00", "18", discountAmount="75.35"),
                   line("1", "99.99", "5", discountAmount="0.00")]})
fixture("line_discount_full", "100 % and discount = gross: net 0, taxes 0", [2, 3, 5],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "250.00", "18", discountPercent="100"),
                   line("2", "10.00", "18", discountAmount="20.00"), line("1", "100.00", "18")]})
fixture("document_discount_equal_nets_tie", "1.00 over three equal nets: the earlier line wins the tie",
        [4], {"documentType": "invoice", "supply": "intra_state", "documentDiscount": "1.00",
              "lines": [line("1", "10.00", "18"), line("1", "10.00", "18"),
                        line("1", "10.00", "18")]})
fixture("document_discount_largest_remainder", "Leftover paise go to the largest remainders", [4],
        {"documentType": "invoice", "supply": "intra_state", "documentDiscount": "10.07",
         "lines": [line("1", "13.00", "18"), line("1", "29.00", "12"), line("1", "57.00", "5"),
                   line("1", "1.00", "28")]})
fixture("document_discount_equals_nets", "D = sum of nets: every amount becomes 0", [4, 5],
        {"documentType": "invoice", "supply": "intra_state", "documentDiscount": "301.50",
         "lines": [line("1", "101.50", "18"), line("2", "100.00", "28")]})
fixture("document_discount_zero_net_line", "A line with net 0 gets no share", [2, 4],
        {"documentType": "invoice", "supply": "intra_state", "documentDiscount": "33.33",
         "lines": [line("1", "80.00", "18", discountPercent="100"), line("3", "33.33", "18"),
                   line("1", "66.67", "12")]})
fixture("slab_zero_percent", "Nil-rated and taxed lines together", [5, 12],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("2", "150.00", "0", hsn="4901"), line("1", "99.99", "5")]})
fixture("slab_quarter_percent_intra", "0.25 %: CGST = SGST at 0.125 %", [5, 12],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "12345.67", "0.25", hsn="7102"), line("3", "7.77", "0.25", hsn="7102")]})
fixture("slab_quarter_percent_inter", "0.25 % inter-state", [5, 12],
        {"documentType": "invoice", "supply": "inter_state",
         "lines": [line("1", "12345.67", "0.25", hsn="7102"), line("7", "3.03", "0.25", hsn="7102")]})
fixture("slab_three_percent", "3 % intra-state with a half-paisa CGST", [5],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "0.50", "3"), line("1", "16.50", "3"), line("1", "1000.00", "3")]})
fixture("inclusive_intra_line_discounts", "Inclusive prices with percent and amount discounts",
        [2, 6], {"documentType": "counter_order", "supply": "intra_state", "taxInclusive": True,
                 "lines": [line("1", "1180.00", "18", discountPercent="10"),
                           line("2", "560.00", "12", discountAmount="60.00"),
                           line("1", "99.99", "28", discountPercent="3.33")]})
fixture("inclusive_inter_document_discount", "Inclusive inter-state with a document discount",
        [4, 6], {"documentType": "counter_order", "supply": "inter_state", "taxInclusive": True,
                 "documentDiscount": "50.00",
                 "lines": [line("1", "1180.00", "18"), line("3", "105.00", "5"),
                           line("1", "256.00", "28")]})
fixture("inclusive_intra_all_discounts", "Inclusive intra-state: line and document discounts",
        [2, 4, 6], {"documentType": "counter_order", "supply": "intra_state", "taxInclusive": True,
                    "documentDiscount": "123.45",
                    "lines": [line("1.25", "799.99", "18", discountPercent="5"),
                              line("4", "49.50", "28", discountAmount="8.00"),
                              line("1", "3300.00", "12"), labour("2", "450.00", discountPercent="15")]})
fixture("inclusive_zero_and_tiny", "Inclusive 0 % (taxable = amount) and one-paisa lines", [6],
        {"documentType": "counter_order", "supply": "intra_state", "taxInclusive": True,
         "lines": [line("1", "75.00", "0"), line("1", "0.01", "28"), line("1", "0.02", "28"),
                   line("1", "0.05", "18")]})
fixture("rounding_drift_many_small_lines", "60 lines whose CGST 0.0225 each rounds to 0.02",
        [5, 8], {"documentType": "invoice", "supply": "intra_state",
                 "lines": [line("1", "0.25", "18") for _ in range(60)]})
fixture("rounding_drift_random_intra", "150 random lines, mixed rates and discounts", [1, 2, 4, 5, 8],
        {"documentType": "invoice", "supply": "intra_state", "documentDiscount": "777.77",
         "lines": random_lines(1, 150, DEFAULT_SLABS)})
fixture("rounding_drift_random_inclusive_inter", "120 random inclusive lines inter-state",
        [1, 2, 4, 6, 8], {"documentType": "counter_order", "supply": "inter_state",
                          "taxInclusive": True, "documentDiscount": "1000.01",
                          "lines": random_lines(2, 120, DEFAULT_SLABS)})
fixture("round_off_down", "Total x.49: rounded down", [9],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "100.41", "0"), line("1", "1.08", "0")]})
fixture("round_off_half_up", "Total x.50: rounded up", [9],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "100.00", "18"), line("1", "0.50", "0", hsn="4901")]})
fixture("round_off_up", "Total x.51: rounded up", [9],
        {"documentType": "invoice", "supply": "inter_state",
         "lines": [line("1", "99.51", "0")]})
fixture("round_off_off_for_quotation", "Quotations keep paise by default", [9],
        {"documentType": "quotation", "supply": "intra_state",
         "lines": [line("1", "84.75", "18")]})
fixture("round_off_configured_for_purchase_order", "Round-off switched on for purchase orders", [9],
        {"documentType": "purchase_order", "supply": "intra_state",
         "lines": [line("3", "33.33", "18")]}, config={"roundOff": {"purchase_order": True}})
fixture("round_off_configured_off_for_invoice", "Round-off switched off for invoices", [9],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("3", "33.33", "18")]}, config={"roundOff": {"invoice": False}})
fixture("supply_gstin_same_state", "Customer GSTIN in the supplier's state: intra-state", [10],
        {"documentType": "invoice", "supplierState": "27",
         "customerGstin": with_check("27AAPFU0939F1Z"), "lines": [line("1", "500.00", "18")]})
fixture("supply_gstin_other_state", "Customer GSTIN from Karnataka, supplier in Maharashtra", [10],
        {"documentType": "invoice", "supplierState": "27",
         "customerGstin": with_check("29AAGCB7383J1Z"), "lines": [line("1", "500.00", "18")]})
fixture("supply_gstin_wins_over_address", "GSTIN state wins over a different address state", [10],
        {"documentType": "invoice", "supplierState": "27", "customerState": "Delhi",
         "customerGstin": with_check("27AABCU9603R1Z"), "lines": [line("1", "500.00", "18")]})
fixture("supply_address_state_name", "No GSTIN: the address's state decides", [10],
        {"documentType": "invoice", "supplierState": "27", "customerState": "Tamil Nadu",
         "lines": [line("1", "500.00", "18"), labour("1", "350.00")]})
fixture("supply_address_state_code", "No GSTIN: a state code in the address", [10],
        {"documentType": "invoice", "supplierState": "07", "customerState": "07",
         "lines": [line("1", "500.00", "18")]})
fixture("supply_unknown_is_intra", "No place of supply: intra-state", [10],
        {"documentType": "invoice", "supplierState": "29", "lines": [line("1", "500.00", "18")]})
fixture("credit_note_intra_discounts", "Credit note of an intra-state invoice with discounts", [11],
        {"documentType": "invoice", "supply": "intra_state", "documentDiscount": "25.25",
         "lines": [line("2", "333.33", "18", discountPercent="2.5"),
                   line("1", "1999.99", "28", discountAmount="99.99"), labour("1.75", "600.00")]},
        credit_note=True)
fixture("credit_note_inclusive_inter_round_off", "Credit note of an inclusive inter-state invoice",
        [6, 9, 11], {"documentType": "invoice", "supply": "inter_state", "taxInclusive": True,
                     "documentDiscount": "0.99",
                     "lines": [line("1", "118.49", "18"), line("3", "10.55", "5"),
                               line("1", "0.25", "0.25", hsn="7102")]},
        credit_note=True)
fixture("credit_note_half_rupee", "Invoice total x.50 rounds up; its credit note is the exact negative",
        [9, 11], {"documentType": "invoice", "supply": "intra_state",
                  "lines": [line("1", "100.00", "18"), line("1", "0.50", "0", hsn="4901")]},
        credit_note=True)
fixture("line_types_and_codes", "Every line type with its HSN or SAC code", [12],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "450.00", "18", hsn="84212300", desc="Oil filter"),
                   labour("1", "600.00"),
                   line("1", "300.00", "18", hsn="998729", kind="service", desc="Wheel alignment"),
                   line("1", "85000.00", "28", hsn="871120", kind="vehicle", desc="Scooter 110cc"),
                   line("1", "50.00", "5", hsn="4819", kind="other", desc="Packing")]})
fixture("fractional_quantities", "Quantities with 3 places: litres of oil", [1],
        {"documentType": "counter_order", "supply": "intra_state",
         "lines": [line("2.125", "449.99", "18", hsn="27101980"),
                   line("0.001", "999.99", "18", hsn="27101980"),
                   line("3.333", "3.33", "28", hsn="27101980")]})
fixture("vehicle_inter_large", "A vehicle sold across a state border", [5, 9],
        {"documentType": "invoice", "supply": "inter_state",
         "lines": [line("1", "1250000.00", "28", hsn="87032291", kind="vehicle", desc="Car"),
                   line("1", "18999.99", "28", discountPercent="1.25", desc="Accessory kit")]})
fixture("custom_slabs", "Configured slabs 0, 5, 18, 40: the 40 % slab is accepted", [5, 12],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "1999.99", "40"), line("1", "10.00", "5")]},
        config={"gstSlabs": ["0", "5", "18", "40"]})

# Rejections: the field is part of the contract.
fixture("error_discount_amount_above_gross", "A discount above the gross", [2],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "10.00", "18", discountAmount="10.01")]},
        error="lines[0].discountAmount")
fixture("error_rate_not_a_slab", "10 % is not a GST slab", [12],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "10.00", "18"), line("1", "10.00", "10")]}, error="lines[1].gstRate")
fixture("error_rate_not_configured", "12 % when the configuration leaves it out", [12],
        {"documentType": "invoice", "supply": "intra_state", "lines": [line("1", "10.00", "12")]},
        config={"gstSlabs": ["0", "5", "18", "40"]}, error="lines[0].gstRate")
fixture("error_discount_percent_places", "A discount percent with 3 places", [2],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "10.00", "18", discountPercent="2.125")]},
        error="lines[0].discountPercent")
fixture("error_discount_percent_above_100", "A discount percent above 100", [2],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "10.00", "18", discountPercent="100.01")]},
        error="lines[0].discountPercent")
fixture("error_document_discount_above_nets", "D above the sum of the nets", [4],
        {"documentType": "invoice", "supply": "intra_state", "documentDiscount": "20.01",
         "lines": [line("1", "10.00", "18"), line("1", "10.00", "18")]}, error="documentDiscount")
fixture("error_bad_gstin_check", "A GSTIN whose check character is wrong", [10],
        {"documentType": "invoice", "supplierState": "27", "customerGstin": "27AAPFU0939F1ZW",
         "lines": [line("1", "10.00", "18")]}, error="customerGstin")
fixture("error_both_discounts", "A line with a discount percent and an amount", [2],
        {"documentType": "invoice", "supply": "intra_state",
         "lines": [line("1", "10.00", "18", discountPercent="5", discountAmount="1.00")]},
        error="lines[0].discountAmount")


# --- hand-worked checks of the model ---------------------------------------------------------

def check_by_hand():
    def priced(name):
        f = next(f for f in FIXTURES if f["name"] == name)
        return price(f["document"], f["config"])

    po = priced("seed002_purchase_order")
    assert (po["totals"]["taxable"], po["totals"]["cgst"], po["totals"]["sgst"]) == (
        Decimal("4000000.00"), Decimal("360000.00"), Decimal("360000.00"))
    assert po["totals"]["total"] == po["grandTotal"] == Decimal("4720000.00")
    inc = priced("inclusive_100_at_18_intra")["lines"][0]
    assert (inc["cgst"], inc["sgst"], inc["taxable"], inc["total"]) == (
        Decimal("7.63"), Decimal("7.63"), Decimal("84.74"), Decimal("100.00"))
    assert priced("gross_rounds_half_away")["lines"][0]["gross"] == Decimal("500.00")
    # 1.00 over 3 x 10.00: 33 paise each, 1 left over, remainders equal -> first line.
    tie = priced("document_discount_equal_nets_tie")["lines"]
    assert [l["documentDiscountShare"] for l in tie] == [Decimal("0.34"), Decimal("0.33"),
                                                          Decimal("0.33")]
    # 10.07 over nets 13, 29, 57, 1 (sum 100): exact 1.3091, 2.9203, 5.7399, 0.1007;
    # floors 1.30 2.92 5.73 0.10 = 10.05; remainders .91 .03 .99 .07 -> lines 3 and 1 get a paisa.
    lr = priced("document_discount_largest_remainder")["lines"]
    assert [l["documentDiscountShare"] for l in lr] == [Decimal(x) for x in
                                                        ["1.31", "2.92", "5.74", "0.10"]]
    # 84.75 at 18 %: CGST = SGST = 7.6275 -> 7.63; total 100.01, kept on a quotation.
    quote = priced("round_off_off_for_quotation")
    assert quote["totals"]["total"] == quote["grandTotal"] == Decimal("100.01")
    # 100.00 at 18 % + 0.50 at 0 %: 118.50 rounds half up to 119.00, round-off +0.50.
    half = priced("round_off_half_up")
    assert half["grandTotal"] == Decimal("119.00") and half["roundOff"] == Decimal("0.50")
    assert priced("round_off_down")["roundOff"] == Decimal("-0.49")
    assert priced("round_off_up")["roundOff"] == Decimal("0.49")
    # 60 x 0.25 at 18 %: each CGST 0.0225 -> 0.02; per line 0.29, total 17.40 (not 15 x 1.18 = 17.70).
    drift = priced("rounding_drift_many_small_lines")
    assert drift["totals"]["total"] == Decimal("17.40")


def write_all():
    check_by_hand()
    for old in os.listdir(HERE):
        if old.endswith(".json"):
            os.remove(os.path.join(HERE, old))
    for number, f in enumerate(FIXTURES, start=1):
        out = {"about": f["about"], "rules": f["rules"], "document": f["document"]}
        if f["config"]:
            out["config"] = f["config"]
        if f["error"]:
            out["expectedError"] = {"code": "VALIDATION_ERROR", "field": f["error"]}
        else:
            result = price(f["document"], f["config"])
            out["expected"] = as_json(result)
            if f["credit_note"]:
                out["expectedCreditNote"] = as_json(negated(result))
        path = os.path.join(HERE, f"{number:03d}_{f['name']}.json")
        with open(path, "w") as fh:
            json.dump(out, fh, indent=1)
            fh.write("\n")
    print(f"wrote {len(FIXTURES)} fixtures")


if __name__ == "__main__":
    write_all()
