#pragma once
// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text
// exposition format at GET /metrics. Thread-safe; later layers register their own families.
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::metrics {

using labels = std::vector<std::pair<std::string, std::string>>;

class registry {
 public:
  registry();

  // Declares a family; optional, but gives it HELP text and a type.
  void describe_counter(std::string name, std::string help);
  void describe_gauge(std::string name, std::string help);
  void describe_histogram(std::string name, std::string help, std::vector<double> buckets);

  void inc(std::string_view name, const labels& l = {}, double by = 1.0);
  void set(std::string_view name, const labels& l, double value);
  void add(std::string_view name, const labels& l, double by);  // gauges up and down
  void observe(std::string_view name, const labels& l, double value);

  double value(std::string_view name, const labels& l = {}) const;  // counter/gauge, for tests
  std::string render() const;

  static std::vector<double> latency_buckets();  // seconds, 0.5 ms .. 10 s

 private:
  enum class kind { counter, gauge, histogram };
  struct histogram_data {
    std::vector<std::uint64_t> counts;  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct family {
    kind k = kind::counter;
    std::string help;
    std::vector<double> buckets;
    std::map<std::string, double> values;  // rendered label set → value
    std::map<std::string, histogram_data> histograms;
  };
  family& fam(std::string_view name, kind k);
  static std::string render_labels(const labels& l);

  mutable std::mutex mutex_;
  std::map<std::string, family, std::less<>> families_;
};

}  // namespace lianxin::metrics
