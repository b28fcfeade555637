// dms._native: the pybind11 module under the `dms` Python package (bindings/python/dms).
//
// It binds the C++ API directly (dms::Database, dms::Context) and converts documents at the
// boundary: Python dict/list/str/int/bool/None, decimal.Decimal, datetime.date and
// datetime.datetime in requests; in responses, string fields the wire schema marks as decimal,
// date or timestamp (proto/dms/v1/options.proto) become Decimal, date and datetime. Floats are
// refused: money never passes through binary floating point.
//
// Dict keys in snake_case are sent in camelCase ("part_id" -> "partId").
//
// Every dms::Error (and every conversion error, raised as one) becomes the dms.Error subclass that
// dms/_errors.py chooses for its code: the one place Python maps codes. The GIL is released while
// the library works (open, calls, logins), so other Python threads run meanwhile.
//
// Thread-safety: a Database may be used from many Python threads at once; close() waits for
// nothing but makes later calls fail, and calls already running finish first (they hold the
// database alive).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "dms/database.hpp"
#include "dms/dms.h"
#include "dms/error.hpp"
#include "dms/version.hpp"

namespace py = pybind11;
using dms::Error;
using dms::ErrorCode;
using dms::Json;

namespace {

constexpr int kMaxDepth = DMS_MAX_JSON_DEPTH;

// ---- Python objects used by the conversions (created once, never destroyed)
// ----------------------

struct PyTypes {
  py::object decimal;        // decimal.Decimal
  py::object date;           // datetime.date
  py::object datetime;       // datetime.datetime
  py::object utc;            // datetime.timezone.utc
  py::object date_from_iso;  // datetime.date.fromisoformat
  py::object datetime_from_iso;
  py::object format;  // builtins.format
};

const PyTypes& types() {
  static const PyTypes* t = [] {
    auto* p = new PyTypes;
    py::module_ decimal = py::module_::import("decimal");
    py::module_ datetime = py::module_::import("datetime");
    p->decimal = decimal.attr("Decimal");
    p->date = datetime.attr("date");
    p->datetime = datetime.attr("datetime");
    p->utc = datetime.attr("timezone").attr("utc");
    p->date_from_iso = p->date.attr("fromisoformat");
    p->datetime_from_iso = p->datetime.attr("fromisoformat");
    p->format = py::module_::import("builtins").attr("format");
    return p;
  }();
  return *t;
}

// ---- The wire schema's field kinds
// ---------------------------------------------------------------

enum class Kind { kText, kDecimal, kDate, kTimestamp };
struct MessageInfo;
struct FieldInfo {
  Kind kind = Kind::kText;
  const MessageInfo* message = nullptr;  // for message-typed fields; null for Struct and scalars
};
struct MessageInfo {
  std::unordered_map<std::string, FieldInfo> fields;  // by JSON name
};
struct Schema {
  std::unordered_map<std::string, MessageInfo> messages;
  std::unordered_map<std::string, const MessageInfo*> responses;  // by method
  Json document;                                                  // as dms_schema() gives it
};

Json c_abi_json(dms_status (*fn)(char**, dms_error**)) {
  char* text = nullptr;
  dms_error* err = nullptr;
  if (fn(&text, &err) != DMS_OK) {
    Error e(static_cast<ErrorCode>(dms_error_code(err)), dms_error_message(err));
    dms_error_destroy(&err);
    throw e;
  }
  Json document = Json::parse(text);
  dms_free(text);
  return document;
}

const Schema& schema() {
  static const Schema* s = [] {
    auto* out = new Schema;
    out->document = c_abi_json(&dms_schema);
    for (const auto& [name, message] : out->document["messages"].items()) out->messages[name];
    for (const auto& [name, message] : out->document["messages"].items()) {
      MessageInfo& info = out->messages[name];
      for (const auto& field : message["fields"]) {
        FieldInfo f;
        const std::string kind = field["kind"].get<std::string>();
        f.kind = kind == "decimal"     ? Kind::kDecimal
                 : kind == "date"      ? Kind::kDate
                 : kind == "timestamp" ? Kind::kTimestamp
                                       : Kind::kText;
        if (field["message"].is_string()) {
          auto it = out->messages.find(field["message"].get<std::string>());
          if (it != out->messages.end()) f.message = &it->second;
        }
        info.fields[field["name"].get<std::string>()] = f;
      }
    }
    for (const auto& [method, types] : out->document["methods"].items()) {
      auto it = out->messages.find(types["response"].get<std::string>());
      if (it != out->messages.end()) out->responses[method] = &it->second;
    }
    return out;
  }();
  return *s;
}

// ---- Python -> JSON
// ------------------------------------------------------------------------------

struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  size_t index = 0;
  int depth = 0;

  std::string render() const {
    std::string text = parent ? parent->render() : std::string();
    if (!key.empty()) {
      if (!text.empty()) text += '.';
      text += key;
    } else if (parent != nullptr) {
      text += '[' + std::to_string(index) + ']';
    }
    return text;
  }
  [[noreturn]] void fail(const std::string& what) const {
    std::string where = render();
    if (where.empty()) where = "request";
    throw Error::Validation(where, where + " " + what);
  }
};

std::string utf8(py::handle text, const Path& at) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    at.fail("is not valid Unicode text");
  }
  return std::string(data, static_cast<size_t>(size));
}

// "part_id" -> "partId", "part1_data" -> "part1Data"; keys without '_' are kept. Python callers
// may use snake_case keys at any depth; the API's documents are camelCase.
std::string camel_case(std::string key) {
  if (key.find('_') == std::string::npos) return key;
  std::string out;
  out.reserve(key.size());
  bool upper = false;
  for (char c : key) {
    if (c == '_' && !out.empty()) {
      upper = true;
    } else {
      out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
  }
  return out;
}

Json from_python(py::handle h, const Path& at) {
  if (at.depth > kMaxDepth) at.fail("is nested too deeply");
  if (h.is_none()) return nullptr;
  PyObject* o = h.ptr();
  if (PyBool_Check(o)) return o == Py_True;
  if (PyLong_Check(o)) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow == 0) return static_cast<int64_t>(v);
    const unsigned long long u = PyLong_AsUnsignedLongLong(o);
    if (PyErr_Occurred() == nullptr) return static_cast<uint64_t>(u);
    PyErr_Clear();
    at.fail("is too large an integer");
  }
  if (PyUnicode_Check(o)) return utf8(h, at);
  if (PyFloat_Check(o)) {
    at.fail("is a float; use decimal.Decimal or a string for exact values");
  }
  const PyTypes& t = types();
  if (py::isinstance(h, t.decimal)) {
    if (!h.attr("is_finite")().cast<bool>()) at.fail("must be a finite decimal");
    return utf8(py::str(t.format(h, "f")), at);
  }
  if (py::isinstance(h, t.datetime)) {  // before date: a datetime is a date
    if (h.attr("utcoffset")().is_none()) {
      at.fail("is a naive datetime; give it a tzinfo (e.g. datetime.timezone.utc)");
    }
    std::string text = utf8(py::str(h.attr("astimezone")(t.utc).attr("isoformat")()), at);
    if (text.size() > 6 && text.compare(text.size() - 6, 6, "+00:00") == 0) {
      text.replace(text.size() - 6, 6, "Z");
    }
    return text;
  }
  if (py::isinstance(h, t.date)) return utf8(py::str(h.attr("isoformat")()), at);
  if (PyDict_Check(o)) {
    Json object = Json::object();
    for (auto item : py::reinterpret_borrow<py::dict>(h)) {
      if (!PyUnicode_Check(item.first.ptr())) at.fail("has a key that is not a string");
      const std::string key = camel_case(utf8(item.first, at));
      const Path child{&at, key, 0, at.depth + 1};
      object[key] = from_python(item.second, child);
    }
    return object;
  }
  if (PyList_Check(o) || PyTuple_Check(o)) {
    Json array = Json::array();
    size_t i = 0;
    for (auto item : py::reinterpret_borrow<py::sequence>(h)) {
      const Path child{&at, {}, i++, at.depth + 1};
      array.push_back(from_python(item, child));
    }
    return array;
  }
  at.fail("has an unsupported type: " + std::string(Py_TYPE(o)->tp_name));
}

Json request_from_python(const py::object& request) {
  if (request.is_none()) return Json::object();
  if (!PyDict_Check(request.ptr())) throw Error::Validation("request", "request must be a dict");
  return from_python(request, Path{});
}

// ---- JSON -> Python
// ------------------------------------------------------------------------------

py::object to_python(const Json& j, const MessageInfo* message);

py::object typed_scalar(const Json& j, Kind kind) {
  const PyTypes& t = types();
  try {
    switch (kind) {
      case Kind::kDecimal:
        if (j.is_string()) return t.decimal(j.get_ref<const std::string&>());
        if (j.is_number()) return t.decimal(j.dump());
        break;
      case Kind::kDate:
        if (j.is_string()) return t.date_from_iso(j.get_ref<const std::string&>());
        break;
      case Kind::kTimestamp:
        if (j.is_string()) return t.datetime_from_iso(j.get_ref<const std::string&>());
        break;
      case Kind::kText:
        break;
    }
  } catch (const py::error_already_set&) {
    // Not in the declared form (a service bug, or an empty string): keep the text.
  }
  return to_python(j, nullptr);
}

py::object field_to_python(const Json& j, const FieldInfo& field) {
  if (j.is_array()) {
    py::list list(j.size());
    size_t i = 0;
    for (const auto& item : j) list[i++] = field_to_python(item, field);
    return std::move(list);
  }
  if (j.is_object()) return to_python(j, field.message);
  if (field.kind != Kind::kText && !j.is_null()) return typed_scalar(j, field.kind);
  return to_python(j, nullptr);
}

py::object to_python(const Json& j, const MessageInfo* message) {
  switch (j.type()) {
    case Json::value_t::null:
      return py::none();
    case Json::value_t::boolean:
      return py::bool_(j.get<bool>());
    case Json::value_t::number_integer:
      return py::int_(j.get<int64_t>());
    case Json::value_t::number_unsigned:
      return py::int_(j.get<uint64_t>());
    case Json::value_t::number_float:
      return py::float_(j.get<double>());
    case Json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      PyObject* text = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
      if (text == nullptr) throw py::error_already_set();
      return py::reinterpret_steal<py::object>(text);
    }
    case Json::value_t::array: {
      py::list list(j.size());
      size_t i = 0;
      for (const auto& item : j) list[i++] = to_python(item, message);
      return std::move(list);
    }
    case Json::value_t::object: {
      py::dict dict;
      for (const auto& [key, value] : j.items()) {
        const FieldInfo* field = nullptr;
        if (message != nullptr) {
          auto it = message->fields.find(key);
          if (it != message->fields.end()) field = &it->second;
        }
        dict[py::str(key)] = field ? field_to_python(value, *field) : to_python(value, nullptr);
      }
      return std::move(dict);
    }
    default:
      return py::none();
  }
}

py::object response_to_python(std::string_view method, const Json& response) {
  const auto& responses = schema().responses;
  auto it = responses.find(std::string(method));
  return to_python(response, it == responses.end() ? nullptr : it->second);
}

// ---- Errors
// --------------------------------------------------------------------------------------

// Raises the Python exception dms._errors chooses for `e`.
void raise_error(const Error& e) {
  try {
    py::object make = py::module_::import("dms._errors").attr("_from_native");
    const auto& info = e.info();
    py::object exc = make(static_cast<int>(e.code()), info.name, e.message(), e.field(),
                          e.from_state(), e.to_state(), info.retryable);
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  } catch (py::error_already_set& failure) {
    failure.restore();  // dms._errors failed to import: report that instead
  }
}

// ---- Bound types
// ---------------------------------------------------------------------------------

dms::RequestMeta make_meta(std::optional<std::string> request_id, std::optional<std::string> ip,
                           std::optional<std::string> user_agent,
                           std::optional<std::string> idempotency_key) {
  dms::RequestMeta meta;
  meta.request_id = request_id.value_or("");
  meta.ip = ip.value_or("");
  meta.user_agent = user_agent.value_or("");
  meta.idempotency_key = idempotency_key.value_or("");
  return meta;
}

class NativeDatabase {
 public:
  explicit NativeDatabase(std::shared_ptr<dms::Database> db) : db_(std::move(db)) {}

  static NativeDatabase open(const std::string& url, std::optional<std::string> sqlite_synchronous,
                             std::optional<int> pool_size, std::optional<std::string> token_secret,
                             std::optional<std::string> delivery_json,
                             std::optional<std::string> background_json) {
    dms::DatabaseOptions options;
    options.url = url;
    if (sqlite_synchronous) options.sqlite_synchronous = *sqlite_synchronous;
    if (pool_size) options.pool_size = *pool_size;
    if (token_secret) options.token_secret = *token_secret;
    // Settings documents (docs/settings.md), as JSON text from dms.open.
    if (delivery_json) {
      options.delivery = dms::DeliverySettings::from_json(Json::parse(*delivery_json));
    }
    if (background_json) {
      options.background = dms::BackgroundSettings::from_json(Json::parse(*background_json));
    }
    std::shared_ptr<dms::Database> db;
    {
      py::gil_scoped_release release;
      db = dms::Database::open(options);
    }
    return NativeDatabase(std::move(db));
  }

  void close() { db_.reset(); }

  void start_dispatcher() {
    auto db = get();
    py::gil_scoped_release release;
    db->start_dispatcher();
  }
  void stop_dispatcher() {
    auto db = get();
    py::gil_scoped_release release;
    db->stop_dispatcher();
  }
  bool closed() const { return db_ == nullptr; }

  py::object call(const dms::Context* ctx, const std::string& method, const py::object& request) {
    auto db = get();
    const Json in = request_from_python(request);
    Json out;
    {
      py::gil_scoped_release release;
      if (ctx != nullptr) {
        out = db->call(*ctx, method, in);
      } else {
        dms::Context anonymous;
        anonymous.clock = &db->clock();
        out = db->call(anonymous, method, in);
      }
    }
    return response_to_python(method, out);
  }

  py::object login(const std::string& login, const std::string& password,
                   const dms::RequestMeta& meta) {
    auto db = get();
    Json session;
    {
      py::gil_scoped_release release;
      session = db->login(login, password, meta);
    }
    return response_to_python("auth.Login", session);
  }

  dms::Context context_from_token(const std::string& token, const dms::RequestMeta& meta) {
    auto db = get();
    py::gil_scoped_release release;
    return db->context_from_token(token, meta);
  }

  dms::Context context_for_user(const std::string& user_id, const dms::RequestMeta& meta) {
    auto db = get();
    py::gil_scoped_release release;
    return db->context_for_user(user_id, meta);
  }

  dms::Context system_context(const dms::RequestMeta& meta) {
    dms::Context ctx = get()->system_context();
    ctx.meta = meta;
    return ctx;
  }

 private:
  std::shared_ptr<dms::Database> get() const {
    std::shared_ptr<dms::Database> db = db_;
    if (!db) throw Error::Validation("database", "the database is closed");
    return db;
  }

  std::shared_ptr<dms::Database> db_;
};

std::string context_repr(const dms::Context& ctx) {
  std::string text = "<dms.Context role=" + ctx.role;
  if (!ctx.user_id.empty()) text += " user_id=" + ctx.user_id;
  if (ctx.service_center_id) text += " service_center_id=" + *ctx.service_center_id;
  return text + ">";
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() =
      "The native core of the dms package (pybind11 over libdms). Use the `dms` package, which "
      "re-exports it with Pythonic service helpers.";

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      raise_error(e);
    }
  });

  py::class_<dms::Context>(m, "Context",
                           "Who is acting, and the request metadata. Made by a Database "
                           "(login, context_from_token, context_for_user, system_context); "
                           "immutable and safe to share between threads.")
      .def_readonly("user_id", &dms::Context::user_id, "The user's id; empty for the system.")
      .def_readonly("user_name", &dms::Context::user_name)
      .def_readonly("role", &dms::Context::role, "The seed 002 role, e.g. 'sc_manager'.")
      .def_readonly("permissions", &dms::Context::permissions,
                    "Granted 'resource:action' permissions ('*' for all).")
      .def_readonly("service_center_id", &dms::Context::service_center_id,
                    "The user's service center, or None for central roles.")
      .def_readonly("password_change_required", &dms::Context::password_change_required)
      .def_property_readonly("request_id", [](const dms::Context& c) { return c.meta.request_id; })
      .def_property_readonly("ip", [](const dms::Context& c) { return c.meta.ip; })
      .def_property_readonly("user_agent", [](const dms::Context& c) { return c.meta.user_agent; })
      .def("has_permission", &dms::Context::has_permission, py::arg("permission"),
           "Whether 'resource:action' is granted (honouring wildcards).")
      .def("__repr__", &context_repr);

  py::class_<NativeDatabase>(m, "Database",
                             "An open libdms database. Thread-safe; the GIL is released while "
                             "the library works.")
      .def_static("open", &NativeDatabase::open, py::arg("url"), py::kw_only(),
                  py::arg("sqlite_synchronous") = py::none(), py::arg("pool_size") = py::none(),
                  py::arg("token_secret") = py::none(), py::arg("delivery_json") = py::none(),
                  py::arg("background_json") = py::none(),
                  "Opens (creating and migrating) a SQLite file, ':memory:', or a "
                  "'postgresql://' URL.")
      .def("close", &NativeDatabase::close, "Closes the database; later calls raise dms.Error.")
      .def("start_dispatcher", &NativeDatabase::start_dispatcher,
           "Runs the message dispatcher on the database's background thread.")
      .def("stop_dispatcher", &NativeDatabase::stop_dispatcher,
           "Stops the background dispatcher (waits for the batch in progress).")
      .def_property_readonly("closed", &NativeDatabase::closed)
      .def("call", &NativeDatabase::call, py::arg("ctx").none(true), py::arg("method"),
           py::arg("request") = py::none(),
           "Runs service method `method` ('inventory.AdjustStock') as `ctx` (None: anonymous) "
           "with a request dict of camelCase keys; returns the response dict.")
      .def(
          "login",
          [](NativeDatabase& db, const std::string& login, const std::string& password,
             std::optional<std::string> request_id, std::optional<std::string> ip,
             std::optional<std::string> user_agent) {
            return db.login(login, password, make_meta(request_id, ip, user_agent, {}));
          },
          py::arg("login"), py::arg("password"), py::kw_only(), py::arg("request_id") = py::none(),
          py::arg("ip") = py::none(), py::arg("user_agent") = py::none(),
          "auth.Login: returns the session dict (accessToken, refreshToken, user).")
      .def(
          "context_from_token",
          [](NativeDatabase& db, const std::string& token, std::optional<std::string> request_id,
             std::optional<std::string> ip, std::optional<std::string> user_agent,
             std::optional<std::string> idempotency_key) {
            return db.context_from_token(token,
                                         make_meta(request_id, ip, user_agent, idempotency_key));
          },
          py::arg("access_token"), py::kw_only(), py::arg("request_id") = py::none(),
          py::arg("ip") = py::none(), py::arg("user_agent") = py::none(),
          py::arg("idempotency_key") = py::none(), "The Context of a valid access token.")
      .def(
          "context_for_user",
          [](NativeDatabase& db, const std::string& user_id, std::optional<std::string> request_id,
             std::optional<std::string> ip, std::optional<std::string> user_agent,
             std::optional<std::string> idempotency_key) {
            return db.context_for_user(user_id,
                                       make_meta(request_id, ip, user_agent, idempotency_key));
          },
          py::arg("user_id"), py::kw_only(), py::arg("request_id") = py::none(),
          py::arg("ip") = py::none(), py::arg("user_agent") = py::none(),
          py::arg("idempotency_key") = py::none(),
          "TRUSTED HOSTS ONLY: the Context of an existing user, without credentials.")
      .def(
          "system_context",
          [](NativeDatabase& db, std::optional<std::string> request_id,
             std::optional<std::string> ip, std::optional<std::string> user_agent) {
            return db.system_context(make_meta(request_id, ip, user_agent, {}));
          },
          py::kw_only(), py::arg("request_id") = py::none(), py::arg("ip") = py::none(),
          py::arg("user_agent") = py::none(),
          "TRUSTED HOSTS ONLY: the all-permission system Context, to bootstrap a new database.");

  m.def("methods", &dms::Database::methods, "The names of every service method, sorted.");
  m.def(
      "schema", [] { return to_python(schema().document, nullptr); },
      "The wire schema: {'methods': {name: {'request', 'response'}}, 'messages': {...}}.");
  m.def(
      "error_codes",
      [] {
        size_t count = 0;
        const dms::ErrorInfo* infos = dms::all_error_infos(&count);
        py::list out;
        for (size_t i = 0; i < count; ++i) {
          out.append(
              py::make_tuple(static_cast<int>(infos[i].code), infos[i].name, infos[i].retryable));
        }
        return out;
      },
      "Every error code as (number, name, retryable).");
  m.def("version", &dms::version_string, "The loaded library's version, e.g. '0.1.0'.");
  m.def("version_number", &dms::version_number, "major * 1000000 + minor * 1000 + patch.");
}
