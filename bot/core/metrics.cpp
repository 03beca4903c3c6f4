#include "bot/core/metrics.hpp"

#include <algorithm>
#include <cstdio>

namespace lianxin::metrics {
namespace {

std::string escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

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

std::string registry::render_labels(const labels& l) {
  if (l.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (i) out += ',';
    out += l[i].first + "=\"" + escape(l[i].second) + "\"";
  }
  return out + "}";
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

void registry::inc(std::string_view name, const labels& l, double by) {
  auto key = render_labels(l);
  std::lock_guard lock(mutex_);
  fam(name, kind::counter).values[key] += by;
}

void registry::set(std::string_view name, const labels& l, double value) {
  auto key = render_labels(l);
  std::lock_guard lock(mutex_);
  fam(name, kind::gauge).values[key] = value;
}

void registry::add(std::string_view name, const labels& l, double by) {
  auto key = render_labels(l);
  std::lock_guard lock(mutex_);
  fam(name, kind::gauge).values[key] += by;
}

void registry::observe(std::string_view name, const labels& l, double value) {
  auto key = render_labels(l);
  std::lock_guard lock(mutex_);
  auto& f = fam(name, kind::histogram);
  auto& h = f.histograms[key];
  if (h.counts.size() != f.buckets.size()) h.counts.assign(f.buckets.size(), 0);
  auto pos = std::lower_bound(f.buckets.begin(), f.buckets.end(), value) - f.buckets.begin();
  if (static_cast<std::size_t>(pos) < h.counts.size()) ++h.counts[pos];
  ++h.count;
  h.sum += value;
}

double registry::value(std::string_view name, const labels& l) const {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto v = it->second.values.find(render_labels(l));
  return v == it->second.values.end() ? 0 : v->second;
}

std::string registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    const char* type = f.k == kind::counter ? "counter" : f.k == kind::gauge ? "gauge" : "histogram";
    if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    if (f.k != kind::histogram) {
      for (const auto& [l, v] : f.values) out += name + l + " " + number(v) + "\n";
      continue;
    }
    for (const auto& [l, h] : f.histograms) {
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
