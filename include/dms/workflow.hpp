// Workflows as data: each document's states are an enum, its allowed moves a table, and one
// function checks a move. Tables are printable (docs/workflows.md draws them) and tests walk every
// pair of states against them.
//
//   enum class JobCardStatus { kCreated, kAssigned, ... };
//   constexpr dms::StateName<JobCardStatus> kJobCardNames[] = {{kCreated, "CREATED"}, ...};
//   constexpr dms::Transition<JobCardStatus> kJobCardMoves[] = {{kCreated, kAssigned}, ...};
//   constexpr dms::Workflow<JobCardStatus> kJobCardFlow{"job card", kJobCardNames, kJobCardMoves};
//   kJobCardFlow.require(from, to);  // INVALID_STATUS_TRANSITION naming both states otherwise
//
// Thread-safety: workflows are constant tables.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dms/error.hpp"

namespace dms {

template <class State>
struct StateName {
  State state;
  const char* name;
};

template <class State>
struct Transition {
  State from;
  State to;
};

template <class State>
class Workflow {
 public:
  template <std::size_t N, std::size_t M>
  constexpr Workflow(const char* entity, const StateName<State> (&names)[N],
                     const Transition<State> (&moves)[M])
      : entity_(entity), names_(names), name_count_(N), moves_(moves), move_count_(M) {}

  constexpr const char* entity() const { return entity_; }

  constexpr bool allows(State from, State to) const {
    for (std::size_t i = 0; i < move_count_; ++i) {
      if (moves_[i].from == from && moves_[i].to == to) return true;
    }
    return false;
  }

  // Throws INVALID_STATUS_TRANSITION naming both states when the move is not in the table.
  void require(State from, State to) const {
    if (!allows(from, to)) throw Error::InvalidTransition(entity_, name(from), name(to));
  }

  constexpr const char* name(State s) const {
    for (std::size_t i = 0; i < name_count_; ++i) {
      if (names_[i].state == s) return names_[i].name;
    }
    return "UNKNOWN";
  }

  // The state called `text`; VALIDATION naming `field` for an unknown name.
  State parse(std::string_view text, std::string_view field = "status") const {
    for (std::size_t i = 0; i < name_count_; ++i) {
      if (text == names_[i].name) return names_[i].state;
    }
    throw Error::Validation(std::string(field), std::string(field) + ": '" +
                                                    std::string(text.substr(0, 60)) +
                                                    "' is not a " + entity_ + " status");
  }

  std::vector<State> states() const {
    std::vector<State> all;
    for (std::size_t i = 0; i < name_count_; ++i) all.push_back(names_[i].state);
    return all;
  }

  // "CREATED -> ASSIGNED" lines, one per allowed move, in table order.
  std::string describe() const {
    std::string out;
    for (std::size_t i = 0; i < move_count_; ++i) {
      out += std::string(name(moves_[i].from)) + " -> " + name(moves_[i].to) + "\n";
    }
    return out;
  }

 private:
  const char* entity_;
  const StateName<State>* names_;
  std::size_t name_count_;
  const Transition<State>* moves_;
  std::size_t move_count_;
};

}  // namespace dms
