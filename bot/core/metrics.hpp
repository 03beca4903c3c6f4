#pragma once
// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text
// exposition format at GET /metrics. Thread-safe; later layers register their own families.
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lianxin::metrics {

using labels = std::vector<std::pair<std::string, std::string>>;
// What call sites pass as a braced list ({{"route", r}, {"status", s}}): views, so a call
// allocates nothing once its label set has been seen (the set is rendered into a reused
// buffer and looked up without a temporary key).
using label_view = std::pair<std::string_view, std::string_view>;
using label_views = std::initializer_list<label_view>;

class registry {
 public:
  registry();

  // Declares a family; optional, but gives it HELP text and a type.
  void describe_counter(std::string name, std::string help);
  void describe_gauge(std::string name, std::string help);
  void describe_histogram(std::string name, std::string help, std::vector<double> buckets);

  void inc(std::string_view name, label_views l = {}, double by = 1.0);
  void set(std::string_view name, label_views l, double value);
  void add(std::string_view name, label_views l, double by);  // gauges up and down
  void observe(std::string_view name, label_views l, double value);
  void inc(std::string_view name, const labels& l, double by = 1.0);
  void set(std::string_view name, const labels& l, double value);
  void add(std::string_view name, const labels& l, double by);
  void observe(std::string_view name, const labels& l, double value);

  double value(std::string_view name, label_views l = {}) const;  // counter/gauge, for tests
  double value(std::string_view name, const labels& l) const;
  std::string render() const;

  // Pre-resolved series for hot paths: the family and label set are looked up once; each
  // update is then one lock and one add. The registry must outlive the handle.
  class counter_handle {
   public:
    counter_handle() = default;
    void inc(double by = 1.0) const;
    explicit operator bool() const { return r_ != nullptr; }

   private:
    friend class registry;
    registry* r_ = nullptr;
    double* v_ = nullptr;
  };
  class histogram_handle {
   public:
    histogram_handle() = default;
    void observe(double value) const;
    explicit operator bool() const { return r_ != nullptr; }

   private:
    friend class registry;
    registry* r_ = nullptr;
    const void* f_ = nullptr;  // the family (its buckets)
    void* h_ = nullptr;        // the series
  };
  counter_handle counter(std::string_view name, label_views l = {});
  histogram_handle histogram(std::string_view name, label_views l = {});

  static std::vector<double> latency_buckets();  // seconds, 0.5 ms .. 10 s

 private:
  enum class kind { counter, gauge, histogram };
  struct histogram_data {
    std::vector<std::uint64_t> counts;  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  // Hashed, with lookups by string_view: every webhook request updates a few series, and an
  // ordered map paid a string comparison per tree level. render() sorts.
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using string_map = std::unordered_map<std::string, V, string_hash, std::equal_to<>>;
  struct family {
    kind k = kind::counter;
    std::string help;
    std::vector<double> buckets;
    string_map<double> values;  // rendered label set → value
    string_map<histogram_data> histograms;
  };
  family& fam(std::string_view name, kind k);
  template <class Labels>
  static void render_labels(const Labels& l, std::string& out);
  template <class Labels>
  double& cell(std::string_view name, kind k, const Labels& l);  // with mutex_ held
  template <class Labels>
  void observe_impl(std::string_view name, const Labels& l, double value);
  template <class Labels>
  double value_impl(std::string_view name, const Labels& l) const;
  static void observe_into(const family& f, histogram_data& h, double value);

  mutable std::mutex mutex_;
  string_map<family> families_;
};

}  // namespace lianxin::metrics
