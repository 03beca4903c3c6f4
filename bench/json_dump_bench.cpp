// adapters::common::dump_json against nlohmann's own dump (the same bytes, tests pin that), on
// the values the worker writes for every answered message: an outbox entry with a long Chinese
// reply, and a dialogue state. Run by hand: ninja -C build lx_bench_json && build/bench/lx_bench_json
#include "adapters/common/safe_json.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace {

using json = nlohmann::json;
using lianxin::adapters::common::dump_json;

template <class F>
double per_call_us(F&& f, int n) {
  std::size_t sink = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) sink += f().size();
  auto t1 = std::chrono::steady_clock::now();
  if (sink == 0) std::puts("");
  return std::chrono::duration<double, std::micro>(t1 - t0).count() / n;
}

}  // namespace

int main() {
  std::string reply;
  for (int i = 0; i < 20; ++i) reply += "村东头路灯坏了三个月了，晚上走路看不见。";
  json outbox = {{"to", {{"b", "bench"}, {"c", "g"}, {"cid", "900001"}, {"re", "987654321"}}},
                 {"id", "intake:onebot:bench:900001:123456"},
                 {"s", json::array({{{"k", "at"}, {"v", "10001"}}, {{"k", "text"}, {"v", "\n" + reply}}})}};
  json state = {{"step", "confirm"}, {"chat", "g"}, {"content", reply.substr(0, 450)}, {"place", "村东头"},
                {"category", "roads"}, {"village", "v01"}, {"turns", 4}, {"updated", 1764460800},
                {"history", json::array({"建议", "村东头路灯坏了", "村东头"})}};
  const int n = 200000;
  for (const auto& [name, value] : {std::pair<const char*, const json*>{"outbox entry", &outbox}, {"dialogue state", &state}}) {
    for (int round = 0; round < 3; ++round) {
      double a = per_call_us([&] { return value->dump(-1, ' ', false, json::error_handler_t::replace); }, n);
      double b = per_call_us([&] { return dump_json(*value); }, n);
      std::printf("%-15s %5zu bytes  nlohmann %.2f us  dump_json %.2f us  (%.1fx)\n", name, dump_json(*value).size(), a,
                  b, a / b);
    }
  }
}
