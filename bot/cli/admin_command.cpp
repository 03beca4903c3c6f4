#include "bot/cli/admin_command.hpp"

#include "bot/admin/bind_codes.hpp"
#include "bot/admin/directory.hpp"
#include "bot/api/settings.hpp"
#include "bot/cli/redis_session.hpp"
#include "bot/domain/domain.hpp"
#include "bot/redis/client.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace lianxin::cli {
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string local_time(std::int64_t t) {
  // Asia/Shanghai, as everywhere in the workflow.
  std::time_t shifted = static_cast<std::time_t>(t + 8 * 3600);
  std::tm tm{};
  gmtime_r(&shifted, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

struct bind_job {
  std::string kind, id;
  bool unbind = false;
  int ttl_minutes = 0;
  nlohmann::json seed;
  std::shared_ptr<const domain::tenant_domain> base;
  int rc = 1;
};

awaitable<void> run_bind(redis_session& s, bind_job& job) {
  admin::directory dir(s.client(), s.keys(), job.base, nullptr, unix_now);
  dir.set_seed(job.seed);
  bool loaded = false;
  try {
    loaded = co_await dir.load_or_seed(job.seed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lianxin: %s\n", e.what());
    job.rc = 2;
    co_return;
  }
  if (!loaded) {
    std::fprintf(stderr, "lianxin: Redis unavailable\n");
    co_return;
  }
  auto d = dir.current().domain;
  std::string name;
  if (job.kind == "village") {
    if (const auto* v = d->roster.find_village(job.id)) name = v->name;
  } else if (job.kind == "station") {
    if (const auto* st = d->roster.find_station(job.id)) name = st->name;
  } else if (const auto* e = d->roster.find_enterprise(job.id)) {
    name = e->name;
  }
  if (name.empty()) {
    std::fprintf(stderr, "lianxin: bind-code: unknown %s \"%s\"\n", job.kind.c_str(), job.id.c_str());
    job.rc = 2;
    co_return;
  }
  admin::bind_codes codes(s.client(), s.keys());
  auto c = co_await codes.create(job.kind, job.id, job.unbind, static_cast<std::int64_t>(job.ttl_minutes) * 60,
                                 "cli bind-code", unix_now());
  if (!c) {
    std::fprintf(stderr, "lianxin: Redis unavailable\n");
    co_return;
  }
  std::vector<std::string> audit{"XADD", s.keys().make("audit"), "MAXLEN", "~", "1000000", "*",
                                 "at", std::to_string(unix_now()), "who", "cli bind-code",
                                 "what", job.unbind ? "unbind_code" : "bind_code", "kind", "groups",
                                 "key", job.kind + ":" + job.id, "before", "", "after", c->to_json().dump()};
  co_await s.client().exec(std::move(audit));
  std::printf("%s code for %s (%s %s), valid until %s (UTC+8), works once.\nIn the group, send: %s %s\n%s\n",
              job.unbind ? "unbinding" : "binding", name.c_str(), job.kind.c_str(), job.id.c_str(),
              local_time(c->expires_at).c_str(), job.unbind ? "解绑" : "绑定", c->code.c_str(), c->code.c_str());
  job.rc = 0;
}

struct import_job {
  bool dry_run = false;
  std::string source;
  nlohmann::json doc;
  std::shared_ptr<const domain::tenant_domain> base;
  int rc = 1;
};

std::size_t count_changes(const nlohmann::json& a, const nlohmann::json& b) {
  std::size_t n = 0;
  for (const auto& k : admin::kinds()) {
    std::map<std::string, nlohmann::json> old_items, new_items;
    for (const auto& i : a.value(std::string(k.name), nlohmann::json::array())) old_items[admin::item_id(k, i)] = i;
    for (const auto& i : b.value(std::string(k.name), nlohmann::json::array())) new_items[admin::item_id(k, i)] = i;
    for (const auto& [id, item] : new_items) {
      auto it = old_items.find(id);
      if (it == old_items.end() || it->second != item) ++n;
    }
    for (const auto& [id, item] : old_items) n += new_items.count(id) ? 0 : 1;
  }
  for (const char* f : {"congress_office", "default_committee", "classifier", "deadlines"}) {
    if (a.value(f, nlohmann::json()) != b.value(f, nlohmann::json())) ++n;
  }
  return n;
}

awaitable<void> run_import(redis_session& s, import_job& job) {
  admin::directory dir(s.client(), s.keys(), job.base, nullptr, unix_now);
  dir.set_seed(job.doc);
  bool loaded = false;
  try {
    loaded = co_await dir.load_or_seed(job.doc);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lianxin: %s\n", e.what());
    job.rc = 2;
    co_return;
  }
  if (!loaded) {
    std::fprintf(stderr, "lianxin: Redis unavailable\n");
    co_return;
  }
  auto built = dir.build(job.doc);
  if (!built) {
    std::fprintf(stderr, "lianxin: roster import: %s\n", built.err().message.c_str());
    job.rc = 2;
    co_return;
  }
  auto canonical = admin::document_of(**built);
  auto snap = dir.current();
  auto changes = count_changes(*snap.doc, canonical);
  if (job.dry_run) {
    std::printf("the files are valid; importing would change %zu items (Redis roster version %lld)\n", changes,
                snap.version);
    job.rc = 0;
    co_return;
  }
  auto w = co_await dir.replace_all(canonical, "cli roster import (" + job.source + ")");
  if (w.s != admin::write_result::status::ok) {
    std::fprintf(stderr, "lianxin: roster import: %s\n", w.message.c_str());
    job.rc = w.s == admin::write_result::status::unavailable ? 1 : 2;
    co_return;
  }
  std::printf("imported: %zu items changed, roster version %lld\n", w.changed, w.changed ? w.version : snap.version);
  job.rc = 0;
}

}  // namespace

int cmd_bind_code(const std::vector<std::string>& args) {
  auto a = parse_args(args, {"village", "station", "enterprise", "ttl-minutes", "config", "redis"}, {"unbind"});
  bind_job job;
  if (a.error.empty() && !a.positional.empty()) a.error = "unexpected argument " + a.positional[0];
  for (const char* k : {"village", "station", "enterprise"}) {
    if (!a.opts.count(k)) continue;
    if (!job.kind.empty()) a.error = "name one of --village, --station, --enterprise";
    job.kind = k;
    job.id = a.opts[k];
  }
  if (a.error.empty() && job.kind.empty()) a.error = "name --village, --station or --enterprise";
  if (!a.error.empty()) {
    std::fprintf(stderr, "lianxin: bind-code: %s\n%s", a.error.c_str(), kBindCodeUsage);
    return 2;
  }
  job.unbind = a.opts.count("unbind") > 0;
  redis_session s;
  if (int rc = s.open(a.opts["config"], a.opts["redis"])) return rc;
  try {
    auto settings = api::read_settings(s.cfg());
    job.ttl_minutes = settings.bind_code_ttl_minutes;
    if (a.opts.count("ttl-minutes")) {
      const auto& t = a.opts["ttl-minutes"];
      if (t.empty() || t.size() > 5 || t.find_first_not_of("0123456789") != std::string::npos || std::stoi(t) < 1 ||
          std::stoi(t) > 43200) {
        std::fprintf(stderr, "lianxin: bind-code: --ttl-minutes must be 1..43200\n");
        return 2;
      }
      job.ttl_minutes = std::stoi(t);
    }
    job.base = domain::load_domain(s.cfg());
    job.seed = domain::read_document(s.cfg());
  } catch (const config::config_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (int rc = s.run(run_bind(s, job))) return rc;
  return job.rc;
}

int cmd_roster(const std::vector<std::string>& args) {
  auto a = parse_args(args, {"config", "redis"}, {"dry-run"});
  if (a.error.empty() && (a.positional.size() != 1 || a.positional[0] != "import")) a.error = "say import";
  if (!a.error.empty()) {
    std::fprintf(stderr, "lianxin: roster: %s\n%s", a.error.c_str(), kRosterUsage);
    return 2;
  }
  redis_session s;
  if (int rc = s.open(a.opts["config"], a.opts["redis"])) return rc;
  import_job job;
  job.dry_run = a.opts.count("dry-run") > 0;
  job.source = a.opts["config"].empty() ? "(defaults)" : a.opts["config"];
  try {
    job.base = domain::load_domain(s.cfg());
    job.doc = domain::read_document(s.cfg());
  } catch (const config::config_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (int rc = s.run(run_import(s, job))) return rc;
  return job.rc;
}

}  // namespace lianxin::cli
