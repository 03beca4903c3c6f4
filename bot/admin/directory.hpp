#pragma once
// The tenant's editable document, live in Redis: roster (townships, villages, stations,
// specialty groups, deputies, enterprises, departments, committees, congress office),
// categories with the classifier's settings, chat-group bindings and the deadline table.
// The config files only seed it (once, when Redis has none) and can be re-imported
// (`lianxin roster import`); from then on the admin API edits it and every instance follows
// within `admin.reload_poll_ms`.
//
//   lx:{t}:roster:v          STRING  version, INCR on every change (instances poll it)
//   lx:{t}:roster:<kind>     HASH    id → item JSON (+ "_seq" keeping the file's order)
//                                    kind: townships villages stations specialty_groups deputies
//                                    enterprises departments categories committees groups
//   lx:{t}:roster:meta       HASH    congress_office | default_committee | classifier | deadlines → JSON
//   lx:{t}:audit             STREAM  at, who, what, kind, key, before, after (append-only)
//
// Every write is: read the current document at version v → apply the edit in memory →
// validate by building the whole domain from it (so no reference can dangle) → commit the
// changed items, INCR v and the audit entries in one script that refuses if v moved (another
// admin or instance wrote meanwhile; the edit is then re-applied to the fresh document).
#include "bot/asio.hpp"
#include "bot/store/keys.hpp"
#include "workflow/result.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::redis {
class client;
}
namespace lianxin::domain {
struct tenant_domain;
}

namespace lianxin::admin {

// The kinds of items, their JSON array in the document, and the field that names each item.
struct kind_info {
  std::string_view name;      // "deputies" (also the document's array and the URL segment)
  std::string_view id_field;  // "code" for deputies, "id" otherwise
};
const std::vector<kind_info>& kinds();
const kind_info* find_kind(std::string_view name);
// An id an admin may give an item: 1..64 of letters, digits, '-', '_', '.'.
bool valid_item_id(std::string_view s);
// "platform:bot:group" for a binding item; the id field otherwise.
std::string item_id(const kind_info& k, const nlohmann::json& item);

struct snapshot {
  long long version = 0;
  std::shared_ptr<const nlohmann::json> doc;  // canonical document (no "_seq")
  std::shared_ptr<const domain::tenant_domain> domain;
};

struct write_result {
  enum class status { ok, invalid, in_use, not_found, conflict, unavailable };
  status s = status::ok;
  std::string field;    // for invalid: the field of the edited item ("station"), or a document path
  std::string message;  // one line
  long long version = 0;
  std::size_t changed = 0;  // items written (0: the edit changed nothing)
  std::shared_ptr<const nlohmann::json> doc;
};

class directory {
 public:
  using edit_fn = std::function<workflow::result<nlohmann::json>(const nlohmann::json& current)>;
  using change_fn = std::function<void(std::shared_ptr<const domain::tenant_domain>)>;

  // `base` supplies the fixed parts (calendar, messages, routing…) every rebuild keeps.
  directory(redis::client& redis, const store::keys& keys, std::shared_ptr<const domain::tenant_domain> base,
            change_fn on_change, std::function<std::int64_t()> now);

  // Seeds Redis from `seed` when it holds no roster yet, then loads what Redis holds.
  // false when Redis cannot be read (the caller keeps the seed's domain and retries).
  // Until it has succeeded once, refresh() and update() do it first, so nothing is ever
  // written on top of an unseeded Redis.
  awaitable<bool> load_or_seed(const nlohmann::json& seed);
  void set_seed(nlohmann::json seed);
  // Polls the version and reloads on change until stop().
  awaitable<void> watch(std::chrono::milliseconds poll);
  void stop() { stopping_ = true; }

  snapshot current() const;
  // Re-reads the version and reloads if it moved; false when Redis is unavailable.
  awaitable<bool> refresh();

  // One edit of the document (see the header comment). `kind`/`id` say which item the edit is
  // about so a validation error can name that item's field; `what` is the audit verb.
  awaitable<write_result> update(const edit_fn& edit, const std::string& who, const std::string& what,
                                 std::string_view kind = {}, std::string_view id = {});
  // Replaces the whole document (re-import); audited item by item.
  awaitable<write_result> replace_all(nlohmann::json doc, const std::string& who);

  // Validates a document by building a domain from it.
  workflow::result<std::shared_ptr<const domain::tenant_domain>> build(const nlohmann::json& doc) const;

 private:
  awaitable<bool> load();
  awaitable<write_result> commit(const nlohmann::json& before, const nlohmann::json& after,
                                 std::shared_ptr<const domain::tenant_domain> built, long long expected,
                                 const std::string& who, const std::string& what);
  void install(long long version, nlohmann::json doc, std::shared_ptr<const domain::tenant_domain> d);

  redis::client& redis_;
  const store::keys& keys_;
  std::shared_ptr<const domain::tenant_domain> base_;
  change_fn on_change_;
  std::function<std::int64_t()> now_;
  mutable std::mutex mu_;
  snapshot current_;
  std::map<std::string, long long> seq_;  // "kind\nid" → stored order
  std::atomic<bool> stopping_{false};
  std::atomic<bool> loaded_{false};
  std::shared_ptr<const nlohmann::json> seed_;
};

// The canonical document of a domain (what Redis and the API show).
nlohmann::json document_of(const domain::tenant_domain& d);

}  // namespace lianxin::admin
