#pragma once
// One fake platform API server for tests, on 127.0.0.1:<free port> with its own thread. It
// answers like the real APIs Lianxin calls (protocols.md §1.3, §2.1, §2.6, §4, §5.3):
//
//   OneBot HTTP API  POST /send_group_msg, /send_private_msg, /send_msg   (Authorization: Bearer)
//   QQ official      POST /app/getAppAccessToken; POST /v2/groups/{id}/messages,
//                    /v2/users/{id}/messages  (Authorization: QQBot <live token>; msg_id
//                    required; msg_id+msg_seq deduped; at most 5 replies per msg_id → 22009)
//   WeCom            GET /cgi-bin/gettoken; POST /cgi-bin/message/send, /cgi-bin/appchat/send
//                    (?access_token=; enable_duplicate_check honoured);
//                    POST /cgi-bin/webhook/send?key= (20 a minute per key → errcode 45009)
//   WeChat OA        GET /cgi-bin/token; POST /cgi-bin/message/custom/send?access_token=
//
// Point every bot's api_base (and QQ's token_url) at base_url(). Every request is recorded;
// `accepted` marks the ones the platform would have shown to people, so exactly-once checks
// read delivered(). Scripted faults apply to the next matching requests.
//
//   lianxin::test::fake_platform fake;
//   ... send ...
//   ASSERT_TRUE(fake.wait_for(1, 2s, "/send_group_msg"));
//   auto r = fake.requests_to("/send_group_msg").at(0);
//   EXPECT_EQ(r.headers["authorization"], "Bearer onebot-token");
//   EXPECT_EQ(r.json["group_id"], 123456);
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::test {

struct fake_platform_options {
  std::string onebot_token = "onebot-token";  // empty: OneBot calls need no token
  std::string qq_app_id = "qq-app";
  std::string qq_secret = "qq-secret";
  std::string wecom_corp_id = "wecom-corp";
  std::string wecom_corp_secret = "wecom-secret";
  std::vector<std::string> robot_keys = {"robot-key"};
  std::string wechat_app_id = "wx-app";
  std::string wechat_app_secret = "wx-secret";
  std::chrono::seconds token_ttl{7200};  // expires_in of issued tokens; they really expire
  int robot_limit_per_minute = 20;
  int qq_replies_per_msg_id = 5;
};

struct recorded_request {
  std::string platform;  // "onebot", "qq", "wecom", "wechat" or "unknown" (by path)
  std::string method;
  std::string path;      // without the query
  std::string target;    // as sent
  std::map<std::string, std::string> query;    // percent-decoded
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json json;   // the body parsed, or null
  int status = 0;        // what the fake answered (0 when the connection was dropped)
  std::string response_body;
  bool accepted = false;   // a message the platform would have posted (new, authorised)
  bool duplicate = false;  // deduped by the platform (QQ msg_seq, WeCom duplicate check)
  bool dropped = false;    // processed, then the connection closed without an answer
};

class fake_platform {
 public:
  explicit fake_platform(fake_platform_options opt = {});
  ~fake_platform();
  fake_platform(const fake_platform&) = delete;
  fake_platform& operator=(const fake_platform&) = delete;

  unsigned short port() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>"
  const fake_platform_options& options() const;

  // --- recordings (thread-safe copies) ---
  std::vector<recorded_request> requests() const;
  // Requests whose path starts with the prefix ("/v2/groups", "/cgi-bin/webhook/send").
  std::vector<recorded_request> requests_to(std::string_view path_prefix) const;
  std::size_t count(std::string_view path_prefix = {}) const;
  // Accepted messages only: what people would have seen.
  std::vector<recorded_request> delivered() const;
  // Token endpoint calls answered with a token, per platform ("qq", "wecom", "wechat").
  int token_fetches(std::string_view platform) const;
  // Blocks until `n` requests matching the prefix were recorded or `timeout` passed.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout, std::string_view path_prefix = {}) const;
  void clear();  // recordings only; tokens, quotas and faults stay

  // --- scripted faults, for the next n requests matching the prefix ("" = any); faults of
  // different kinds stack on one request (fail_next + delay_next = a slow 500) ---
  // Answer `status` without processing; 429 and 503 carry "Retry-After: 2".
  void fail_next(int n, int status = 500, std::string path_prefix = {});
  void drop_next(int n, std::string path_prefix = {});                        // process, then hang up
  void delay_next(int n, std::chrono::milliseconds delay, std::string path_prefix = {});  // then answer
  // Every token issued so far for the platform stops working (the platform rotated them).
  void revoke_tokens(std::string_view platform);
  void set_token_ttl(std::chrono::seconds ttl);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace lianxin::test
