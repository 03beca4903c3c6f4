#pragma once
// Filing a case and finding similar open ones: the steps every entry point shares (the chat
// dialogue, the 码上提 web form). Filing allocates the number, routes (explicit deputy first),
// opens the case with the pure workflow and stages it — case, indexes, the deputy's notice,
// the contact kept apart from the text — into the caller's commit, so it is written atomically
// with whatever else the caller decided (conversation state, inbox acknowledgement, …).
#include "bot/asio.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/flow/commit.hpp"
#include "bot/flow/recipients.hpp"
#include "bot/store/keys.hpp"
#include "workflow/case.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lianxin::flow {

struct filing_request {
  std::string text;
  std::string category;  // id
  std::string village;   // id, may be empty (station-only chats)
  std::string station;   // id, may be empty (taken from the village)
  std::vector<std::string> photos;
  bool anonymous = false;
  workflow::party reporter;
  std::string phone;               // stored under lx:{t}:contact:<no>, never in the case text
  std::string explicit_deputy;     // QR code, deputy code, the web page's deputy
  std::string sender_platform, sender_id, group_enterprise;  // for the paired-enterprise rule
  std::int64_t now = 0;
};

struct filing_result {
  bool ok = false;
  std::string number;
  std::string deputy;       // code; empty: the station / office holds it
  std::string deputy_name;
  std::string error;        // why not (for logs)
  std::optional<workflow::transition> opened;
};

awaitable<filing_result> stage_filing(case_store& cases, const domain::tenant_domain& d, const recipients& who,
                                      const store::keys& keys, commit& c, const filing_request& rq);

struct similar_case {
  std::string number;
  std::string text;
  double score = 0;
};
// How many of a village's open cases in one category the similar-case and concentrated-problem
// checks look at: the most recent ones. Without a bound every filing read every open case of
// its village and category, and filing slowed from ~190 to ~16 dialogues/s as 80,000 cases
// piled up in the benchmark (docs/benchmarks.md).
inline constexpr std::size_t kRecentOpenWindow = 200;
// The newest `max` of these case numbers (by date, then sequence), newest first.
std::vector<std::string> newest_numbers(std::vector<std::string> numbers, std::size_t max);

// Open cases in the same village and category whose text is similar enough (among the most
// recent kRecentOpenWindow of them).
awaitable<std::vector<similar_case>> find_similar_open(case_store& cases, const domain::tenant_domain& d,
                                                       const std::string& village, const std::string& category,
                                                       const std::string& text, double min_score, std::size_t limit);

}  // namespace lianxin::flow
