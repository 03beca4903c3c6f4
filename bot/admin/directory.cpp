#include "bot/admin/directory.hpp"

#include "bot/core/log.hpp"
#include "bot/domain/domain.hpp"
#include "bot/redis/client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace lianxin::admin {
namespace {

using nlohmann::json;

const std::vector<std::string_view> kMetaFields{"congress_office", "default_committee", "classifier", "deadlines"};

// KEYS: version, audit, then the hashes the ops name by index (1-based among KEYS[3..]).
// ARGV: expected version, now, who, what, summary ("" or a text for one summary audit entry),
//       then per op 7 values: hash index, field, value, delete ("1"/"0"), kind, before, after.
constexpr const char* kCommitLua = R"lua(
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur ~= tonumber(ARGV[1]) then return -1 end
local v = redis.call('INCR', KEYS[1])
local n = (#ARGV - 5) / 7
for i = 0, n - 1 do
  local b = 6 + i * 7
  local key = KEYS[2 + tonumber(ARGV[b])]
  if ARGV[b + 3] == '1' then
    redis.call('HDEL', key, ARGV[b + 1])
  else
    redis.call('HSET', key, ARGV[b + 1], ARGV[b + 2])
  end
  if ARGV[5] == '' then
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', '1000000', '*', 'at', ARGV[2], 'who', ARGV[3], 'what', ARGV[4],
               'kind', ARGV[b + 4], 'key', ARGV[b + 1], 'before', ARGV[b + 5], 'after', ARGV[b + 6],
               'version', tostring(v))
  end
end
if ARGV[5] ~= '' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', '1000000', '*', 'at', ARGV[2], 'who', ARGV[3], 'what', ARGV[4],
             'kind', 'roster', 'key', '', 'before', '', 'after', ARGV[5], 'version', tostring(v))
end
return v
)lua";

const redis::script& commit_script() {
  static const redis::script s(kCommitLua);
  return s;
}

std::string seq_key(std::string_view kind, const std::string& id) {
  std::string k(kind);
  k += '\n';
  k += id;
  return k;
}

// id → item of one kind's array.
std::map<std::string, const json*> index_of(const kind_info& k, const json& doc) {
  std::map<std::string, const json*> m;
  auto it = doc.find(std::string(k.name));
  if (it == doc.end() || !it->is_array()) return m;
  for (const auto& item : *it) m.emplace(item_id(k, item), &item);
  return m;
}

}  // namespace

const std::vector<kind_info>& kinds() {
  static const std::vector<kind_info> k{
      {"townships", "id"},   {"villages", "id"},     {"stations", "id"},   {"specialty_groups", "id"},
      {"deputies", "code"},  {"enterprises", "id"},  {"departments", "id"}, {"categories", "id"},
      {"committees", "id"},  {"groups", "id"},
  };
  return k;
}

const kind_info* find_kind(std::string_view name) {
  for (const auto& k : kinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

bool valid_item_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string item_id(const kind_info& k, const json& item) {
  if (!item.is_object()) return {};
  if (k.name == "groups") {
    auto s = [&](const char* f) { return item.contains(f) && item[f].is_string() ? item[f].get<std::string>() : ""; };
    return s("platform") + ":" + s("bot") + ":" + s("group");
  }
  auto it = item.find(std::string(k.id_field));
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json document_of(const domain::tenant_domain& d) {
  json doc = d.roster.to_json();
  for (const auto& k : kinds()) {
    if (!doc.contains(std::string(k.name))) doc[std::string(k.name)] = json::array();
  }
  doc["classifier"] = d.classifier_source.is_object() ? d.classifier_source : json::object();
  json groups = json::array();
  for (const auto& [key, g] : d.groups) groups.push_back(domain::group_to_json(g));
  doc["groups"] = std::move(groups);
  doc["deadlines"] = d.deadlines.to_json();
  return doc;
}

directory::directory(redis::client& redis, const store::keys& keys, std::shared_ptr<const domain::tenant_domain> base,
                     change_fn on_change, std::function<std::int64_t()> now)
    : redis_(redis), keys_(keys), base_(std::move(base)), on_change_(std::move(on_change)), now_(std::move(now)) {
  current_.domain = base_;
  current_.doc = std::make_shared<const json>(document_of(*base_));
}

snapshot directory::current() const {
  std::lock_guard l(mu_);
  return current_;
}

workflow::result<std::shared_ptr<const domain::tenant_domain>> directory::build(const json& doc) const {
  return domain::rebuild_domain(*base_, doc);
}

void directory::install(long long version, json doc, std::shared_ptr<const domain::tenant_domain> d) {
  {
    std::lock_guard l(mu_);
    if (version < current_.version) return;  // an older load finishing late
    current_.version = version;
    current_.doc = std::make_shared<const json>(std::move(doc));
    current_.domain = d;
  }
  if (on_change_) on_change_(std::move(d));
}

awaitable<bool> directory::load() {
  std::vector<std::vector<std::string>> cmds;
  cmds.push_back({"GET", keys_.make("roster", "v")});
  for (const auto& k : kinds()) cmds.push_back({"HGETALL", keys_.make("roster", k.name)});
  cmds.push_back({"HGETALL", keys_.make("roster", "meta")});
  auto replies = co_await redis_.exec_many(std::move(cmds));
  if (replies.size() != kinds().size() + 2) co_return false;
  for (const auto& r : replies) {
    if (!r.ok()) co_return false;
  }
  long long version = replies[0].v.as_integer().value_or(0);
  if (version == 0) co_return true;  // nothing stored yet
  json doc = json::object();
  std::map<std::string, long long> seqs;
  for (std::size_t i = 0; i < kinds().size(); ++i) {
    const auto& k = kinds()[i];
    const auto& arr = replies[i + 1].v;
    std::vector<std::pair<std::pair<long long, std::string>, json>> items;
    for (std::size_t e = 0; e + 1 < arr.size(); e += 2) {
      auto item = json::parse(arr[e + 1].text(), nullptr, false);
      if (!item.is_object()) {
        log::error("roster", "ignoring an unreadable item ", k.name, "/", arr[e].text(), " in Redis");
        continue;
      }
      long long seq = item.value("_seq", 0LL);
      item.erase("_seq");
      seqs[seq_key(k.name, arr[e].text())] = seq;
      items.push_back({{seq, arr[e].text()}, std::move(item)});
    }
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    json out = json::array();
    for (auto& [key, item] : items) out.push_back(std::move(item));
    doc[std::string(k.name)] = std::move(out);
  }
  const auto& meta = replies.back().v;
  for (std::size_t e = 0; e + 1 < meta.size(); e += 2) {
    auto v = json::parse(meta[e + 1].text(), nullptr, false);
    if (!v.is_discarded()) doc[meta[e].text()] = std::move(v);
  }
  auto built = build(doc);
  if (!built) {
    log::error("roster", "the roster in Redis (version ", version, ") is invalid, keeping the previous one: ",
               built.err().message);
    co_return true;
  }
  {
    std::lock_guard l(mu_);
    for (auto& [k, s] : seqs) seq_[k] = s;
  }
  auto canonical = document_of(**built);
  install(version, std::move(canonical), std::move(built).value());
  co_return true;
}

void directory::set_seed(json seed) {
  std::lock_guard l(mu_);
  seed_ = std::make_shared<const json>(std::move(seed));
}

awaitable<bool> directory::load_or_seed(const json& seed) {
  std::vector<std::string> get{"GET", keys_.make("roster", "v")};
  auto r = co_await redis_.exec(std::move(get));
  if (!r.ok()) co_return false;
  if (r.v.is_nil()) {
    auto built = build(seed);
    if (!built) throw std::runtime_error("roster: " + built.err().message);
    auto res = co_await commit(json::object(), document_of(**built), *built, 0, "config", "seed");
    if (res.s == write_result::status::ok) {
      log::info("roster", "seeded Redis from the config files (", res.changed, " items)");
    } else if (res.s != write_result::status::conflict) {  // conflict: another instance seeded first
      co_return false;
    }
  }
  bool ok = co_await load();
  if (ok) {
    loaded_ = true;
    std::lock_guard l(mu_);
    seed_.reset();
  }
  co_return ok;
}

awaitable<bool> directory::refresh() {
  if (!loaded_) {
    std::shared_ptr<const json> seed;
    {
      std::lock_guard l(mu_);
      seed = seed_;
    }
    if (!seed) co_return false;
    co_return co_await load_or_seed(*seed);
  }
  std::vector<std::string> get{"GET", keys_.make("roster", "v")};
  auto r = co_await redis_.exec(std::move(get));
  if (!r.ok()) co_return false;
  long long v = r.v.as_integer().value_or(0);
  if (v != current().version) co_return co_await load();
  co_return true;
}

awaitable<void> directory::watch(std::chrono::milliseconds poll) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  while (!stopping_) {
    t.expires_after(poll);
    co_await t.async_wait(use_nothrow);
    if (stopping_) break;
    co_await refresh();
  }
}

awaitable<write_result> directory::commit(const json& before, const json& after,
                                          std::shared_ptr<const domain::tenant_domain> built, long long expected,
                                          const std::string& who, const std::string& what) {
  std::vector<std::string> keys{keys_.make("roster", "v"), keys_.make("audit")};
  std::vector<std::string> args{std::to_string(expected), std::to_string(now_()), who, what, ""};
  std::map<std::string, long long> new_seqs;
  std::size_t changed = 0;
  {
    std::lock_guard l(mu_);
    long long next = 0;
    for (const auto& [k, s] : seq_) next = std::max(next, s);
    for (std::size_t i = 0; i < kinds().size(); ++i) {
      const auto& k = kinds()[i];
      keys.push_back(keys_.make("roster", k.name));
      auto old_items = index_of(k, before);
      auto new_items = index_of(k, after);
      static const json empty_array = json::array();
      auto arr_it = after.find(std::string(k.name));
      const json& arr = arr_it != after.end() && arr_it->is_array() ? *arr_it : empty_array;
      for (const auto& entry : arr) {  // in the document's order, so new items get increasing seq
        const std::string id = item_id(k, entry);
        const json* item = &entry;
        auto o = old_items.find(id);
        if (o != old_items.end() && *o->second == *item) continue;
        auto sk = seq_key(k.name, id);
        auto s = seq_.find(sk);
        long long seq = s != seq_.end() ? s->second : ++next;
        new_seqs[sk] = seq;
        json stored = *item;
        stored["_seq"] = seq;
        args.insert(args.end(), {std::to_string(i + 1), id, stored.dump(), "0", std::string(k.name),
                                 o == old_items.end() ? "" : o->second->dump(), item->dump()});
        ++changed;
      }
      for (const auto& [id, item] : old_items) {
        if (new_items.count(id)) continue;
        args.insert(args.end(), {std::to_string(i + 1), id, "", "1", std::string(k.name), item->dump(), ""});
        ++changed;
      }
    }
  }
  keys.push_back(keys_.make("roster", "meta"));
  const auto meta_index = std::to_string(kinds().size() + 1);
  for (auto f : kMetaFields) {
    std::string field(f);
    auto b = before.find(field);
    auto a = after.find(field);
    bool has_a = a != after.end(), has_b = b != before.end();
    if (has_a == has_b && (!has_a || *a == *b)) continue;
    if (has_a) {
      args.insert(args.end(), {meta_index, field, a->dump(), "0", "meta", has_b ? b->dump() : "", a->dump()});
    } else {
      args.insert(args.end(), {meta_index, field, "", "1", "meta", b->dump(), ""});
    }
    ++changed;
  }
  write_result out;
  out.changed = changed;
  if (changed == 0) {
    out.version = expected;
    out.doc = current().doc;
    co_return out;
  }
  if (what == "seed") args[4] = "seeded " + std::to_string(changed) + " items from the config files";
  auto r = co_await redis_.eval(commit_script(), std::move(keys), std::move(args));
  if (!r.ok()) {
    out.s = write_result::status::unavailable;
    out.message = "storage unavailable: " + r.error_message();
    co_return out;
  }
  long long v = r.v.as_integer().value_or(-1);
  if (v < 0) {
    out.s = write_result::status::conflict;
    out.message = "the roster changed meanwhile";
    co_return out;
  }
  {
    std::lock_guard l(mu_);
    for (auto& [k, s] : new_seqs) seq_[k] = s;
  }
  out.version = v;
  auto doc = std::make_shared<const json>(after);
  out.doc = doc;
  install(v, after, std::move(built));
  co_return out;
}

awaitable<write_result> directory::update(const edit_fn& edit, const std::string& who, const std::string& what,
                                          std::string_view kind, std::string_view id) {
  write_result out;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (!co_await refresh()) {
      out.s = write_result::status::unavailable;
      out.message = "storage unavailable, retry later";
      co_return out;
    }
    auto snap = current();
    auto edited = edit(*snap.doc);
    if (!edited) {
      out.s = edited.err().code == workflow::errc::not_found ? write_result::status::not_found
              : edited.err().code == workflow::errc::already_exists ? write_result::status::in_use
                                                                      : write_result::status::invalid;
      auto colon = edited.err().message.find(": ");
      if (out.s == write_result::status::invalid && colon != std::string::npos) {
        out.field = edited.err().message.substr(0, colon);
        out.message = edited.err().message.substr(colon + 2);
      } else {
        out.message = edited.err().message;
      }
      co_return out;
    }
    auto built = build(*edited);
    if (!built) {
      // "deputies[1203].station: unknown station \"x\"" → field "station" when it is the edited item.
      const auto& msg = built.err().message;
      out.s = write_result::status::invalid;
      out.message = msg;
      auto colon = msg.find(": ");
      std::string path = colon == std::string::npos ? msg : msg.substr(0, colon);
      if (!kind.empty()) {
        const auto* k = find_kind(kind);
        const auto& arr = (*edited)[std::string(kind)];
        auto open = path.find('[');
        auto close = path.find("].");
        if (k && arr.is_array() && open != std::string::npos && close != std::string::npos &&
            path.substr(0, open) == kind) {
          auto idx = std::stoul(path.substr(open + 1, close - open - 1));
          if (idx < arr.size() && item_id(*k, arr[idx]) == id) {
            out.field = path.substr(close + 2);
            out.message = colon == std::string::npos ? msg : msg.substr(colon + 2);
          }
        }
      }
      if (out.field.empty() && !kind.empty()) {
        // "categories.wells.phrases: …" (the classifier's way of naming an item)
        std::string prefix = std::string(kind) + "." + std::string(id) + ".";
        if (path.rfind(prefix, 0) == 0) {
          out.field = path.substr(prefix.size());
          out.message = colon == std::string::npos ? msg : msg.substr(colon + 2);
        }
      }
      if (out.field.empty()) {
        // The edit broke a reference elsewhere (a deleted village a deputy still names):
        // say which item, by its id.
        out.s = what == "delete" ? write_result::status::in_use : write_result::status::invalid;
        out.field = path;
        auto open = path.find('[');
        auto close = path.find("].");
        const auto* other = open == std::string::npos ? nullptr : find_kind(path.substr(0, open));
        if (other && close != std::string::npos) {
          const auto& arr = (*edited)[std::string(other->name)];
          auto idx = std::stoul(path.substr(open + 1, close - open - 1));
          if (arr.is_array() && idx < arr.size()) {
            out.field = std::string(other->name) + "/" + item_id(*other, arr[idx]) + "." + path.substr(close + 2);
            out.message = std::string(other->name) + " \"" + item_id(*other, arr[idx]) + "\"." +
                          path.substr(close + 2) + ": " + (colon == std::string::npos ? msg : msg.substr(colon + 2));
          }
        }
      }
      co_return out;
    }
    auto canonical = document_of(**built);
    out = co_await commit(*snap.doc, canonical, *built, snap.version, who, what);
    if (out.s != write_result::status::conflict) co_return out;
  }
  co_return out;
}

awaitable<write_result> directory::replace_all(json doc, const std::string& who) {
  auto edit = [&doc](const json&) -> workflow::result<json> { return doc; };
  edit_fn fn = edit;
  co_return co_await update(fn, who, "import");
}

}  // namespace lianxin::admin
