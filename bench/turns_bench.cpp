// Conversation turns per second (issue 4 / issue 9 item 4), run by hand through bench/turns.sh.
//
// One Lianxin instance in this process (the real app: HTTP server, intake worker, notifier),
// a real redis-server with appendonly yes + appendfsync always (what the embedded default
// runs), and a fake OneBot HTTP API on loopback that records the bot's replies. N residents in
// the demo county's OneBot groups each file a suggestion; the driver answers whatever the bot
// asked (confirm, category menu, place, similar-case offer …) like a resident would, so
// dialogues take 2–4 turns. Each round sends the next turn of every open dialogue at once and
// ends when every one of them has been answered.
//
// Prints turns/s, dialogues/s, Redis round trips and commands per turn (from /metrics).
//   bench/turns.sh [residents] [rounds-of-the-whole-thing]
#include "adapters/common/digest.hpp"
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;
using clk = std::chrono::steady_clock;

namespace {

struct resident {
  long long user = 0;
  long long group = 0;
  std::string content;
  bool short_start = false;  // first turn is just "建议": the bot asks what the matter is
  bool done = false;
  bool filed = false;
  int turns = 0;
  std::string next;           // what to send in the next round
};

const char* kPlaces[] = {"村东头", "村西口", "小学门口", "卫生室旁边", "村委会后面", "二组", "三组", "河边", "桥头", "老街"};
const char* kThings[] = {"路灯坏了", "水管漏水", "路上坑很多", "垃圾没人清运", "自来水发黄", "排水沟堵了",
                         "电线耷拉得很低", "桥栏杆断了", "水渠塌了一段", "信号很差"};
const char* kHow[] = {"晚上走路看不见", "老人孩子出门不方便", "下雨就积水", "味道很大", "存在安全隐患"};

std::string content_for(int i) {
  std::ostringstream s;
  s << kPlaces[i % 10] << kThings[(i / 10) % 10] << "，已经" << (i % 7 + 1) << "个月了，"
    << (i % 4 == 3 ? "好几户都受影响" : kHow[i % 4]) << "，第" << i << "号反映";
  return s.str();
}

std::string post_body(const resident& r, long long message_id, const std::string& text, bool at_bot) {
  json msg = json::array();
  if (at_bot) msg.push_back({{"type", "at"}, {"data", {{"qq", "10000"}}}});
  msg.push_back({{"type", "text"}, {"data", {{"text", text}}}});
  json ev = {{"time", std::time(nullptr)}, {"self_id", 10000}, {"post_type", "message"},
             {"message_type", "group"}, {"sub_type", "normal"}, {"message_id", message_id},
             {"group_id", r.group}, {"user_id", r.user}, {"message", msg}, {"raw_message", text}, {"font", 0},
             {"sender", {{"user_id", r.user}, {"nickname", "村民"}, {"role", "member"}}}};
  return ev.dump();
}

// The resident's answer to the bot's last message; empty when the dialogue is over.
std::string answer(resident& r, const std::string& bot) {
  auto has = [&](const char* s) { return bot.find(s) != std::string::npos; };
  if (has("提交成功") || has("已把您加到")) {
    r.filed = true;
    return {};
  }
  if (has("已经有乡亲反映过")) return "0";
  if (has("回复 1 提交")) return "1";
  if (has("属于哪一类")) return "1";
  if (has("本群是")) return "1";
  if (has("哪个村")) return "小寨村村口";
  if (has("说得有点简单")) return r.content + "，请尽快解决";
  if (has("请说说您要反映的问题") || has("请重新说一下")) return r.content;
  if (has("留个电话")) return "0";
  if (has("没看明白")) return "1";
  if (std::getenv("LX_BENCH_VERBOSE")) std::fprintf(stderr, "unhandled reply to %lld: %s\n", r.user, bot.c_str());
  return {};  // anything else (a limit notice, a redirect): the resident stops here
}

long long metric(unsigned short port, const std::string& name) {
  auto r = http_request(port, "GET", "/metrics", "", "");
  std::istringstream in(r.body);
  std::string line;
  double sum = 0;
  while (std::getline(in, line)) {
    if (line.rfind(name, 0) != 0) continue;
    auto rest = line.substr(name.size());
    if (!rest.empty() && rest[0] != ' ' && rest[0] != '{') continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return static_cast<long long>(sum);
}

long long redis_commands(unsigned short port) {
  auto r = http_request(port, "GET", "/metrics", "", "");
  std::istringstream in(r.body);
  std::string line;
  double sum = 0;
  while (std::getline(in, line)) {
    if (line.rfind("lx_redis_command_duration_seconds_count", 0) == 0) sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return static_cast<long long>(sum);
}

// Average MEMORY USAGE (bytes, exact: SAMPLES 0) over at most `limit` keys matching `pattern`.
double avg_memory(redis_server& redis, const std::string& pattern, std::size_t limit, std::size_t* count = nullptr) {
  auto keys = redis.command({"KEYS", pattern});
  double sum = 0;
  std::size_t n = 0;
  for (const auto& k : keys.elements()) {
    if (n >= limit) break;
    auto v = redis.command({"MEMORY", "USAGE", k.text(), "SAMPLES", "0"});
    sum += static_cast<double>(v.as_integer().value_or(0));
    ++n;
  }
  if (count) *count = keys.elements().size();
  return n ? sum / static_cast<double>(n) : 0;
}

long long used_memory(redis_server& redis) {
  auto info = redis.command({"INFO", "memory"}).text();
  auto p = info.find("used_memory:");
  return p == std::string::npos ? 0 : std::atoll(info.c_str() + p + 12);
}

long rss_kib() {
  std::ifstream st("/proc/self/status");
  std::string line;
  while (std::getline(st, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// Issue 9 item 6, latency from due to sent with real cases: every case (accepted and assigned
// to its department through the REST API) gets its supervision deadline due at one moment T,
// a few seconds ahead — the case's supervise_at and its `<no>:supervise` timer, written
// straight into Redis as a passing deadline would leave them. From T on, the scheduler fires
// each one (a version-checked commit with its notifications in the outbox: the department's,
// which this bench's config cannot deliver (WeCom/sandbox handlers), and the owning deputy's,
// a OneBot private message) and the notifier delivers them to the fake platform; the driver
// timestamps each delivery the notifier records (lx_outbox_delivered_total, polled every
// 2 ms; the demo deputies' first contact is their sandbox chat, so most of these never reach
// the fake API), latency = delivery - T. (The reminder kind notifies only the department, hence supervise.)
void timer_latency(redis_server& redis, fake_platform& fake, unsigned short port,
                   const std::vector<std::string>& numbers) {
  std::this_thread::sleep_for(2000ms);  // the transitions' own notifications drain first
  const long long fired0 = metric(port, "lx_timers_fired_total");
  const std::int64_t due = std::time(nullptr) + 3;
  std::size_t set = 0;
  for (const auto& n : numbers) {
    const std::string key = "lx:{bench}:case:" + n;
    auto c = json::parse(redis.command({"HGET", key, "json"}).text());
    c["sup"] = due;
    redis.command({"HSET", key, "json", c.dump()});
    redis.command({"ZADD", "lx:{bench}:timers", std::to_string(due), n + ":supervise"});
    ++set;
  }
  const auto t_due = std::chrono::system_clock::from_time_t(static_cast<std::time_t>(due));
  const long long sent0 = metric(port, "lx_outbox_delivered_total");
  while (std::chrono::system_clock::now() < t_due) std::this_thread::sleep_for(1ms);
  if (metric(port, "lx_outbox_delivered_total") != sent0) std::printf("warning: messages sent before the due time\n");
  std::vector<double> lat_ms;
  long long seen = sent0;
  const std::size_t fake0 = fake.count();
  auto last_change = clk::now();
  while (clk::now() - last_change < 3s) {
    const long long now_count = metric(port, "lx_outbox_delivered_total");
    if (now_count != seen) {
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::system_clock::now() - t_due).count();
      for (long long i = seen; i < now_count; ++i) lat_ms.push_back(ms);
      seen = now_count;
      last_change = clk::now();
    }
    std::this_thread::sleep_for(2ms);
  }
  const std::size_t to_fake = fake.count() - fake0;
  std::sort(lat_ms.begin(), lat_ms.end());
  auto pct = [&](double p) {
    return lat_ms.empty() ? 0.0 : lat_ms[std::min(lat_ms.size() - 1, static_cast<std::size_t>(p * lat_ms.size()))];
  };
  std::printf("\ntimers: %zu supervision deadlines due at one moment; fired %lld; %zu notifications sent after the "
              "due time (%zu of them requests to the fake platform API, the rest to the deputies' sandbox chats)\n",
              set, metric(port, "lx_timers_fired_total") - fired0, lat_ms.size(), to_fake);
  if (std::getenv("LX_BENCH_VERBOSE")) {
    std::istringstream in(http_request(port, "GET", "/metrics", "", "").body);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("lx_outbox", 0) == 0 || line.rfind("lx_timers", 0) == 0) std::printf("  %s\n", line.c_str());
    }
  }
  std::printf("latency due -> sent (the notifier counts the delivery): p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms\n",
              pct(0.5), pct(0.9), pct(0.99), lat_ms.empty() ? 0.0 : lat_ms.back());
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 600;
  const int threads = 4;
  redis_server_options ro;
  ro.tcp = false;
  ro.appendonly = true;
  const char* fsync_mode = std::getenv("LX_BENCH_FSYNC");
  ro.extra = {"--appendfsync", fsync_mode ? fsync_mode : "always"};
  redis_server redis(ro);
  fake_platform fake;

  const auto demo = source_dir() + "/config/demo/";
  json cfg = {{"tenant", {{"id", "bench"}, {"case_prefix", "BN"}}},
              {"log", {{"level", "warn"}}},
              {"roster",
               {{"file", demo + "roster.json"},
                {"categories_file", demo + "categories.json"},
                {"groups_file", demo + "groups.json"},
                {"holidays_file", source_dir() + "/config/holidays/cn.json"},
                {"messages_file", source_dir() + "/config/messages.zh-CN.json"}}},
              {"limits", {{"resident_per_minute", 100000}, {"group_per_minute", 1000000}}},
              {"admin", {{"token", "bench-admin-token-1"}}},
              {"notify", {{"group_merge_seconds", 0}, {"quiet_hours", ""}}},
              {"platforms",
               {{"onebot",
                 {{"demo", {{"self_id", "10000"}, {"access_token", "onebot-token"}, {"api_base", fake.base_url()}}}}}}}};
  std::vector<long long> groups;
  {
    std::ifstream gf(demo + "groups.json");
    auto g = json::parse(gf);
    for (const auto& e : g["groups"]) {
      if (e["platform"] == "onebot" && e.contains("village")) groups.push_back(std::stoll(e["group"].get<std::string>()));
    }
  }
  app_runner app(redis.url(), cfg.dump());
  const auto port = app.port();

  std::vector<resident> rs(n);
  for (int i = 0; i < n; ++i) {
    rs[i].user = 5'000'000 + i;
    rs[i].group = groups[i % groups.size()];
    rs[i].content = content_for(i);
    rs[i].short_start = i % 2 == 1;
    rs[i].next = rs[i].short_start ? "建议" : "建议 " + rs[i].content;
  }

  std::atomic<long long> message_id{1};
  std::size_t replies_seen = 0;
  long long turns = 0;
  const long long rt0 = metric(port, "lx_redis_round_trips_total");
  const long long cmd0 = redis_commands(port);
  const auto t0 = clk::now();
  double busy_seconds = 0;
  double conv_bytes = 0;
  std::size_t conv_count = 0;
  const long long mem0 = used_memory(redis);
  long long mem_after_first = 0;
  for (int round = 0; round < 8; ++round) {
    std::vector<resident*> open;
    for (auto& r : rs) {
      if (!r.done && !r.next.empty()) open.push_back(&r);
    }
    if (open.empty()) break;
    const auto rs0 = clk::now();
    const std::size_t expect = fake.count("/send_group_msg") + open.size();
    std::vector<std::thread> pool;
    std::atomic<std::size_t> cursor{0};
    std::atomic<int> failures{0};
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (std::size_t i; (i = cursor++) < open.size();) {
          auto& r = *open[i];
          bool at = r.turns == 0;
          auto res = http_request(port, "POST", "/webhook/onebot/demo", post_body(r, message_id++, r.next, at),
                                  "Content-Type: application/json\r\nX-Self-ID: 10000\r\n");
          if (res.status != 204 && res.status != 200) ++failures;
        }
      });
    }
    for (auto& t : pool) t.join();
    // The round is over when every open dialogue got its answer (group notices about filed
    // cases are posted too, so counting requests alone is not enough). A round gives up after
    // 120 s or, for big runs, the time of 100 turns a second, whichever is longer.
    const auto round_cap = std::max<clk::duration>(120s, std::chrono::seconds(open.size() / 100));
    while (fake.count("/send_group_msg") < expect && clk::now() - rs0 < round_cap) std::this_thread::sleep_for(2ms);
    std::map<long long, std::string> last;
    for (;;) {
      auto reqs = fake.requests_to("/send_group_msg");
      for (std::size_t i = replies_seen; i < reqs.size(); ++i) {
        const auto& m = reqs[i].json["message"];
        long long who = 0;
        std::string text;
        for (const auto& seg : m) {
          if (seg["type"] == "at") who = std::stoll(seg["data"]["qq"].get<std::string>());
          if (seg["type"] == "text") text += seg["data"]["text"].get<std::string>();
        }
        if (who) last[who] = text;
      }
      replies_seen = reqs.size();
      bool all = std::all_of(open.begin(), open.end(), [&](resident* r) { return last.count(r->user) > 0; });
      if (all || clk::now() - rs0 > round_cap) break;
      std::this_thread::sleep_for(2ms);
    }
    const double secs = std::chrono::duration<double>(clk::now() - rs0).count();
    busy_seconds += secs;
    turns += static_cast<long long>(open.size());
    std::printf("round %d: %zu turns in %.3f s (%.0f turns/s)%s\n", round + 1, open.size(), secs, open.size() / secs,
                failures ? " — some webhook posts failed" : "");
    if (round == 0) {
      // Every resident has a draft open now: what one open conversation costs in Redis.
      conv_bytes = avg_memory(redis, "lx:{bench}:conv:*", 500, &conv_count);
      mem_after_first = used_memory(redis);
    }
    for (auto* r : open) {
      ++r->turns;
      auto it = last.find(r->user);
      r->next = it == last.end() ? std::string() : answer(*r, it->second);
      if (r->next.empty()) r->done = true;
    }
  }
  const double wall = std::chrono::duration<double>(clk::now() - t0).count();
  std::this_thread::sleep_for(300ms);
  const long long rts = metric(port, "lx_redis_round_trips_total") - rt0;
  const long long cmds = redis_commands(port) - cmd0;
  int filed = 0;
  std::map<int, int> by_len;
  for (const auto& r : rs) {
    filed += r.filed;
    ++by_len[r.turns];
  }
  std::printf("\nresidents %d, dialogues completed %d, turns %lld\n", n, filed, turns);
  for (auto [len, count] : by_len) std::printf("  %d-turn dialogues: %d\n", len, count);
  std::printf("turns/s (time inside rounds): %.0f\n", turns / busy_seconds);
  std::printf("dialogues/s: %.0f\n", filed / busy_seconds);
  std::printf("wall time incl. driver: %.2f s\n", wall);
  std::printf("Redis round trips per turn: %.2f (all of Lianxin: webhook, worker, outbox, notifier)\n",
              static_cast<double>(rts) / turns);
  std::printf("Redis commands per turn: %.2f\n", static_cast<double>(cmds) / turns);
  std::printf("cases filed (metric): %lld\n", metric(port, "lx_cases_filed_total"));

  // Transitions: every filed case goes accept → assign → acknowledge → reply through the REST
  // API (each one a version-checked commit with its notifications into the outbox), 4 client
  // threads, the deputy acting as admin and the department with its own token.
  auto all = redis.command({"ZRANGE", "lx:{bench}:cases", "0", "-1"});
  std::vector<std::string> numbers;
  for (const auto& e : all.elements()) numbers.push_back(e.text());
  std::map<std::string, std::string> dept_token;
  auto token_for = [&](const std::string& dept) {
    auto it = dept_token.find(dept);
    if (it != dept_token.end()) return it->second;
    std::string t = "lx_bench_" + dept;
    redis.command({"HSET", "lx:{bench}:token:" + lianxin::adapters::common::sha256_hex(t), "id", "b-" + dept, "role",
                   "department", "scope", dept, "label", dept, "created_at", "0"});
    return dept_token[dept] = t;
  };
  std::map<std::string, std::string> case_dept;
  for (const auto& n : numbers) {
    auto c = json::parse(redis.command({"HGET", "lx:{bench}:case:" + n, "json"}).text());
    std::string cat = c.value("cat", "other");
    std::string dept = "transport";
    for (const auto& ce : json::parse(std::ifstream(demo + "categories.json"))["categories"]) {
      if (ce["id"] == cat && ce.contains("department")) dept = ce["department"];
    }
    case_dept[n] = dept;
    token_for(dept);
  }
  const bool timers_mode = std::getenv("LX_BENCH_TIMERS") != nullptr;
  const long long rt_t0 = metric(port, "lx_redis_round_trips_total");
  const long long out0 = metric(port, "lx_outbox_delivered_total");
  std::atomic<long long> ok_steps{0}, bad_steps{0};
  const auto tt0 = clk::now();
  {
    std::vector<std::thread> pool;
    std::atomic<std::size_t> cursor{0};
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (std::size_t i; (i = cursor++) < numbers.size();) {
          const auto& n = numbers[i];
          const auto& dept = case_dept[n];
          const std::string dt = dept_token[dept];
          std::vector<std::pair<std::string, json>> steps = {
              {"bench-admin-token-1", {{"action", "accept"}}},
              {"bench-admin-token-1", {{"action", "assign"}, {"target", dept}}},
              {dt, {{"action", "acknowledge"}}},
              {dt, {{"action", "reply"}, {"text", "已处理完毕，感谢反映。"}}}};
          // The timer bench needs the cases still with their department (reminders apply there).
          if (timers_mode) steps.resize(2);
          for (const auto& [tok, body] : steps) {
            auto r = http_request(port, "POST", "/api/v1/cases/" + n + "/actions", body.dump(),
                                  "Content-Type: application/json\r\nAuthorization: Bearer " + tok + "\r\n");
            (r.status == 200 ? ok_steps : bad_steps)++;
          }
        }
      });
    }
    for (auto& t : pool) t.join();
  }
  const double tsecs = std::chrono::duration<double>(clk::now() - tt0).count();
  std::this_thread::sleep_for(1500ms);
  std::printf("\ntransitions through the REST API: %lld ok, %lld refused, in %.2f s → %.0f transitions/s\n",
              ok_steps.load(), bad_steps.load(), tsecs, ok_steps.load() / tsecs);
  std::printf("Redis round trips per transition (incl. the notifier's work for it): %.2f\n",
              static_cast<double>(metric(port, "lx_redis_round_trips_total") - rt_t0) / std::max(1LL, ok_steps.load()));
  std::printf("outbox outcomes recorded meanwhile (sent, held, deferred, retried): %lld\n",
              metric(port, "lx_outbox_delivered_total") - out0);
  if (timers_mode) timer_latency(redis, fake, port, numbers);
  std::printf("RSS of the bench process (Lianxin in-process + driver + fake API): %ld KiB\n", rss_kib());
  std::size_t case_count = 0;
  const double case_bytes = avg_memory(redis, "lx:{bench}:case:*", 500, &case_count);
  std::printf("\nRedis memory: %.0f bytes per open conversation (MEMORY USAGE, %zu open after round 1); "
              "%.0f bytes per case hash with its log after 4 transitions (%zu cases); used_memory grew %lld bytes "
              "over the first round (%zu drafts, incl. dedupe keys and stream entries) and %lld bytes in all\n",
              conv_bytes, conv_count, case_bytes, case_count, mem_after_first - mem0, conv_count,
              used_memory(redis) - mem0);
  return filed > 0 ? 0 : 1;
}
