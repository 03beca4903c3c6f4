#include "bot/redis/pipeline.hpp"

#include <hiredis/hiredis.h>

namespace lianxin::redis {

void pipeline::reader_deleter::operator()(redisReader* r) const { redisReaderFree(r); }

pipeline::pipeline() { reset_reader(); }
pipeline::~pipeline() = default;

void pipeline::reset_reader() {
  reader_.reset(redisReaderCreate());
  protocol_error_.clear();
}

request_id pipeline::enqueue(const std::vector<std::string>& args) {
  if (args.empty()) return 0;
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  char* cmd = nullptr;
  int len = redisFormatCommandArgv(&cmd, static_cast<int>(argv.size()), argv.data(), lens.data());
  if (len < 0 || cmd == nullptr) return 0;  // only on allocation failure
  output_.append(cmd, static_cast<std::size_t>(len));
  redisFreeCommand(cmd);
  pending_.push_back(next_id_);
  return next_id_++;
}

std::string pipeline::take_output() {
  std::string out;
  out.swap(output_);
  return out;
}

pipeline::feed_result pipeline::feed(std::string_view bytes) {
  feed_result result;
  feed(bytes, result);
  return result;
}

void pipeline::feed(std::string_view bytes, feed_result& result) {
  result.completed.clear();
  result.protocol_error.clear();
  if (broken()) {
    result.protocol_error = protocol_error_;
    return;
  }
  if (!bytes.empty() && redisReaderFeed(reader_.get(), bytes.data(), bytes.size()) != REDIS_OK) {
    protocol_error_ = redisReaderGetError(reader_.get());
    result.protocol_error = protocol_error_;
    return;
  }
  for (;;) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_.get(), &raw) != REDIS_OK) {
      protocol_error_ = reader_->errstr[0] ? reader_->errstr : "unparseable reply";
      break;
    }
    if (raw == nullptr) break;  // need more bytes
    auto* r = static_cast<redisReply*>(raw);
    value v = value::from_hiredis(r);
    freeReplyObject(r);
    if (pending_.empty()) {
      // A reply nobody asked for: the stream is out of step and no later match is trustworthy.
      protocol_error_ = "reply without a request: " + v.debug_string(60);
      break;
    }
    result.completed.push_back({pending_.front(), reply{{}, {}, std::move(v)}});
    pending_.pop_front();
  }
  result.protocol_error = protocol_error_;
}

std::vector<completion> pipeline::fail_all(errc why, std::string_view detail) {
  std::vector<completion> failed;
  failed.reserve(pending_.size());
  for (request_id id : pending_) failed.push_back({id, reply::failure(why, std::string(detail))});
  pending_.clear();
  output_.clear();
  reset_reader();
  return failed;
}

}  // namespace lianxin::redis
