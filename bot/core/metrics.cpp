#include "bot/core/metrics.hpp"

#include <algorithm>
#include <cstdio>

namespace lianxin::metrics {
namespace {

std::string number(double v) {
  char buf[64];
  if (v == static_cast<double>(static_cast<long long>(v)) && v < 1e15 && v > -1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.9g", v);
  }
  return buf;
}

// Joins a rendered label set `{a="1"}` with one more label (`le`).
std::string with_label(const std::string& rendered, const std::string& extra) {
  if (rendered.empty()) return "{" + extra + "}";
  return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

}  // namespace

registry::registry() = default;

std::vector<double> registry::latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

namespace {
// The rendered label set of the current call: reused, so a known series costs no allocation.
thread_local std::string t_key;
}  // namespace

template <class Labels>
void registry::render_labels(const Labels& l, std::string& out) {
  out.clear();
  if (l.size() == 0) return;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : l) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    for (char c : std::string_view(v)) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  out += '}';
}

registry::family& registry::fam(std::string_view name, kind k) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), family{}).first;
    it->second.k = k;
    if (k == kind::histogram) it->second.buckets = latency_buckets();
  }
  return it->second;
}

void registry::describe_counter(std::string name, std::string help) {
  std::lock_guard lock(mutex_);
  fam(name, kind::counter).help = std::move(help);
}

void registry::describe_gauge(std::string name, std::string help) {
  std::lock_guard lock(mutex_);
  fam(name, kind::gauge).help = std::move(help);
}

void registry::describe_histogram(std::string name, std::string help, std::vector<double> buckets) {
  std::lock_guard lock(mutex_);
  auto& f = fam(name, kind::histogram);
  f.help = std::move(help);
  std::sort(buckets.begin(), buckets.end());
  f.buckets = std::move(buckets);
}

template <class Labels>
double& registry::cell(std::string_view name, kind k, const Labels& l) {
  render_labels(l, t_key);
  auto& values = fam(name, k).values;
  auto it = values.find(std::string_view(t_key));
  if (it == values.end()) it = values.emplace(t_key, 0.0).first;
  return it->second;
}

void registry::observe_into(const family& f, histogram_data& h, double value) {
  if (h.counts.size() != f.buckets.size()) h.counts.assign(f.buckets.size(), 0);
  auto pos = std::lower_bound(f.buckets.begin(), f.buckets.end(), value) - f.buckets.begin();
  if (static_cast<std::size_t>(pos) < h.counts.size()) ++h.counts[pos];
  ++h.count;
  h.sum += value;
}

template <class Labels>
void registry::observe_impl(std::string_view name, const Labels& l, double value) {
  std::lock_guard lock(mutex_);
  render_labels(l, t_key);
  auto& f = fam(name, kind::histogram);
  auto it = f.histograms.find(std::string_view(t_key));
  if (it == f.histograms.end()) it = f.histograms.emplace(t_key, histogram_data{}).first;
  observe_into(f, it->second, value);
}

template <class Labels>
double registry::value_impl(std::string_view name, const Labels& l) const {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  render_labels(l, t_key);
  auto v = it->second.values.find(std::string_view(t_key));
  return v == it->second.values.end() ? 0 : v->second;
}

void registry::inc(std::string_view name, label_views l, double by) {
  std::lock_guard lock(mutex_);
  cell(name, kind::counter, l) += by;
}
void registry::inc(std::string_view name, const labels& l, double by) {
  std::lock_guard lock(mutex_);
  cell(name, kind::counter, l) += by;
}
void registry::set(std::string_view name, label_views l, double value) {
  std::lock_guard lock(mutex_);
  cell(name, kind::gauge, l) = value;
}
void registry::set(std::string_view name, const labels& l, double value) {
  std::lock_guard lock(mutex_);
  cell(name, kind::gauge, l) = value;
}
void registry::add(std::string_view name, label_views l, double by) {
  std::lock_guard lock(mutex_);
  cell(name, kind::gauge, l) += by;
}
void registry::add(std::string_view name, const labels& l, double by) {
  std::lock_guard lock(mutex_);
  cell(name, kind::gauge, l) += by;
}
void registry::observe(std::string_view name, label_views l, double value) { observe_impl(name, l, value); }
void registry::observe(std::string_view name, const labels& l, double value) { observe_impl(name, l, value); }
double registry::value(std::string_view name, label_views l) const { return value_impl(name, l); }
double registry::value(std::string_view name, const labels& l) const { return value_impl(name, l); }

registry::counter_handle registry::counter(std::string_view name, label_views l) {
  std::lock_guard lock(mutex_);
  counter_handle h;
  h.r_ = this;
  h.v_ = &cell(name, kind::counter, l);
  return h;
}

void registry::counter_handle::inc(double by) const {
  std::lock_guard lock(r_->mutex_);
  *v_ += by;
}

registry::histogram_handle registry::histogram(std::string_view name, label_views l) {
  std::lock_guard lock(mutex_);
  render_labels(l, t_key);
  auto& f = fam(name, kind::histogram);
  auto it = f.histograms.find(std::string_view(t_key));
  if (it == f.histograms.end()) it = f.histograms.emplace(t_key, histogram_data{}).first;
  histogram_handle h;
  h.r_ = this;
  h.f_ = &f;
  h.h_ = &it->second;
  return h;
}

void registry::histogram_handle::observe(double value) const {
  std::lock_guard lock(r_->mutex_);
  registry::observe_into(*static_cast<const family*>(f_), *static_cast<histogram_data*>(h_), value);
}

std::string registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  // Families by name and series by label set, in order, as the ordered maps used to give them.
  auto sorted = [](const auto& m) {
    std::vector<const typename std::decay_t<decltype(m)>::value_type*> v;
    v.reserve(m.size());
    for (const auto& e : m) v.push_back(&e);
    std::sort(v.begin(), v.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    return v;
  };
  for (const auto* fe : sorted(families_)) {
    const auto& [name, f] = *fe;
    const char* type = f.k == kind::counter ? "counter" : f.k == kind::gauge ? "gauge" : "histogram";
    if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    if (f.k != kind::histogram) {
      for (const auto* e : sorted(f.values)) out += name + e->first + " " + number(e->second) + "\n";
      continue;
    }
    for (const auto* e : sorted(f.histograms)) {
      const auto& [l, h] = *e;
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < f.buckets.size(); ++i) {
        cumulative += i < h.counts.size() ? h.counts[i] : 0;
        out += name + "_bucket" + with_label(l, "le=\"" + number(f.buckets[i]) + "\"") + " " +
               number(static_cast<double>(cumulative)) + "\n";
      }
      out += name + "_bucket" + with_label(l, "le=\"+Inf\"") + " " + number(static_cast<double>(h.count)) + "\n";
      out += name + "_sum" + l + " " + number(h.sum) + "\n";
      out += name + "_count" + l + " " + number(static_cast<double>(h.count)) + "\n";
    }
  }
  return out;
}

}  // namespace lianxin::metrics
