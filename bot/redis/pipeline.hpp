#pragma once
// The connection's protocol state machine, with no socket: commands go in and come out as
// bytes to write; bytes read go in and come out as (request id, reply) in the order the
// commands were queued. Redis answers strictly in order on one connection, so a FIFO of ids
// is all the matching there is. The Asio client is a thin loop around this; the unit tests
// drive it over in-memory byte streams.
#include "bot/redis/error.hpp"
#include "bot/redis/value.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct redisReader;

namespace lianxin::redis {

using request_id = std::uint64_t;

struct completion {
  request_id id = 0;
  reply r;
};

class pipeline {
 public:
  pipeline();
  ~pipeline();
  pipeline(const pipeline&) = delete;
  pipeline& operator=(const pipeline&) = delete;

  // Formats one command (binary safe) into the output buffer. Ids start at 1 and never
  // repeat for the lifetime of the pipeline, also across fail_all(). An empty command gets
  // id 0 and is not queued: Redis sends no reply to "*0", which would break the FIFO.
  request_id enqueue(const std::vector<std::string>& args);

  bool has_output() const { return !output_.empty(); }
  // Everything formatted since the last call; queued commands count as sent from now on.
  std::string take_output();

  // Commands queued and not yet answered (written or not).
  std::size_t in_flight() const { return pending_.size(); }
  // True after a protocol error, until fail_all(): the byte stream can no longer be trusted.
  bool broken() const { return !protocol_error_.empty(); }

  struct feed_result {
    std::vector<completion> completed;  // FIFO order
    std::string protocol_error;         // set once the stream is broken; close the connection
  };
  // Bytes read from the connection. Replies may be split anywhere or arrive several at once.
  feed_result feed(std::string_view bytes);
  // The same into a result the caller keeps across reads (cleared first): the reader loop
  // reuses its vector instead of growing a new one for every read.
  void feed(std::string_view bytes, feed_result& out);

  // The connection is gone: every command in flight fails with `why` / `detail`, unsent output
  // is dropped and the reader starts clean for the next connection. The caller decides about
  // retries; nothing is ever resent from here.
  std::vector<completion> fail_all(errc why, std::string_view detail);

 private:
  struct reader_deleter {
    void operator()(redisReader* r) const;
  };
  void reset_reader();

  std::unique_ptr<redisReader, reader_deleter> reader_;
  std::string output_;
  std::deque<request_id> pending_;
  request_id next_id_ = 1;
  std::string protocol_error_;
};

}  // namespace lianxin::redis
