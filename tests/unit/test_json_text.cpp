// json_text must write exactly the bytes of nlohmann's dump(-1, ' ', false, replace): the C ABI's
// responses changed writer, not text.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>

#include "dms/json.hpp"

using dms::Json;

namespace {

std::string nlohmann_text(const Json& document) {
  return document.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Byte strings that mix plain ASCII, escapes, well-formed and malformed UTF-8.
std::string random_text(std::mt19937_64& random) {
  static const char* const kPieces[] = {"a",
                                        "Z",
                                        " ",
                                        "\"",
                                        "\\",
                                        "/",
                                        "\b",
                                        "\f",
                                        "\n",
                                        "\r",
                                        "\t",
                                        "\x01",
                                        "\x1f",
                                        "\x7f",
                                        "\xc3\xa9",
                                        "\xe2\x82\xb9",
                                        "\xf0\x9f\x9a\x97",
                                        "\xed\x9f\xbf",
                                        "\xef\xbf\xbd",
                                        "\xc0\xaf",
                                        "\xc2",
                                        "\xe0\x80\x80",
                                        "\xed\xa0\x80",
                                        "\xf4\x90\x80\x80",
                                        "\xff",
                                        "\x80",
                                        "\xe2\x82",
                                        "\xf0\x9f\x9a",
                                        "0",
                                        "{",
                                        "}",
                                        "\0"};
  std::uniform_int_distribution<size_t> piece(0, std::size(kPieces) - 1);
  std::uniform_int_distribution<int> length(0, 12);
  std::string out;
  for (int i = length(random); i > 0; --i) {
    const char* p = kPieces[piece(random)];
    out += *p == '\0' ? std::string(1, '\0') : std::string(p);
  }
  return out;
}

Json random_document(std::mt19937_64& random, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 6 : 8);
  switch (kind(random)) {
    case 0:
      return nullptr;
    case 1:
      return random() % 2 == 0;
    case 2:
      return static_cast<int64_t>(random());
    case 3:
      return static_cast<uint64_t>(random());
    case 4:
      return static_cast<double>(static_cast<int64_t>(random() % 2000000) - 1000000) / 64.0;
    case 5:
    case 6:
      return random_text(random);
    case 7: {
      Json object = Json::object();
      for (int i = static_cast<int>(random() % 5); i > 0; --i) {
        object[random_text(random)] = random_document(random, depth + 1);
      }
      return object;
    }
    default: {
      Json array = Json::array();
      for (int i = static_cast<int>(random() % 5); i > 0; --i) {
        array.push_back(random_document(random, depth + 1));
      }
      return array;
    }
  }
}

}  // namespace

TEST_CASE("json_text writes nlohmann's compact dump byte for byte", "[json]") {
  CHECK(dms::json_text(Json::object()) == "{}");
  CHECK(dms::json_text(Json::array()) == "[]");
  CHECK(dms::json_text(Json{{"b", 1}, {"a", {nullptr, true, "x\"y\\z\n\x01"}}}) ==
        R"({"a":[null,true,"x\"y\\z\n\u0001"],"b":1})");
  CHECK(dms::json_text(Json("₹ 1,234.50")) == "\"₹ 1,234.50\"");
  CHECK(dms::json_text(Json(INT64_MIN)) == "-9223372036854775808");
  CHECK(dms::json_text(Json(UINT64_MAX)) == "18446744073709551615");
  CHECK(dms::json_text(Json("a\xff"
                            "b")) == nlohmann_text(Json("a\xff"
                                                        "b")));

  std::mt19937_64 random(20261201);
  for (int i = 0; i < 20000; ++i) {
    const Json document = random_document(random, 0);
    const std::string expected = nlohmann_text(document);
    const std::string actual = dms::json_text(document);
    if (actual != expected) FAIL("document " << i << ": " << actual << " != " << expected);
  }
  std::string out = "[";
  dms::append_json_text(out, Json{{"k", "v"}});
  CHECK(out == R"([{"k":"v"})");
}
