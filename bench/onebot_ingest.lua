-- wrk script: unique OneBot v11 group-message events (many residents, 200 groups) POSTed to
-- /webhook/onebot/bench, each signed as OneBot v11 signs them (X-Signature: sha1=<hex HMAC-SHA1
-- of the body>) when LX_BENCH_SECRET is set. The signature is computed here, per event, by
-- OpenSSL through LuaJIT's FFI (about a microsecond), so every id stays unique without a file
-- of pre-generated events; every target gets the same script, so its cost is the same for all.
--
-- Environment (bench/compare.sh sets these; the defaults are what bench/ingest.sh measures):
--   LX_BENCH_PATH  the webhook path (default /webhook/onebot/bench; Koishi's is /onebot)
--   LX_BENCH_MODE  "chat" (default): group small talk a bot ignores (since the seventh pass
--                  Lianxin writes its dedupe mark, fsynced before the answer, and keeps
--                  nothing else: bot/flow/chatter.hpp);
--                  "addressed": the message @-mentions the bot (self id 10000) and starts with
--                  建议, so Lianxin opens a dialogue and answers, and Koishi's handler answers
--   LX_BENCH_TEXT  with "addressed": "same" (default): every message of a resident says the same
--                  words, as a resident does who is not sure the bot heard; "new": every message
--                  adds new words (…（第N条）), so Lianxin appends them to the suggestion until
--                  it is full and shows the whole summary again each time (its costliest turn)
--   LX_BENCH_SECRET  the OneBot secret shared with the target (unset: unsigned events)
--   LX_BENCH_GROUPS  how many groups (default 200, ids from 900001; the demo county's OneBot
--                  village groups are 900001.. so a small number hits known groups)
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local path = os.getenv("LX_BENCH_PATH") or "/webhook/onebot/bench"
local addressed = os.getenv("LX_BENCH_MODE") == "addressed"
local ngroups = tonumber(os.getenv("LX_BENCH_GROUPS") or "200")
local secret = os.getenv("LX_BENCH_SECRET") or ""
local new_words = os.getenv("LX_BENCH_TEXT") == "new"

local sign = nil
if secret ~= "" then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct evp_md_st lx_evp_md;
    const lx_evp_md *EVP_sha1(void);
    unsigned char *HMAC(const lx_evp_md *md, const void *key, int key_len, const unsigned char *d,
                        size_t n, unsigned char *out, unsigned int *out_len);
  ]]
  local crypto = ffi.load("libcrypto.so.3")
  local sha1 = crypto.EVP_sha1()
  local out = ffi.new("unsigned char[20]")
  local out_len = ffi.new("unsigned int[1]")
  local hex = {}
  sign = function(body)
    crypto.HMAC(sha1, secret, #secret, body, #body, out, out_len)
    for i = 0, 19 do hex[i + 1] = string.format("%02x", out[i]) end
    return "sha1=" .. table.concat(hex)
  end
end

function init(args)
  counter = 0
  -- a fresh id space per run (warm-up and measured runs must not collide: they'd be deduped)
  base = (os.time() % 100000) * 100000000  -- below 2^53: LuaJIT numbers are doubles
end

local chat = '"message":"今天天气不错，大家吃了吗","raw_message":"今天天气不错，大家吃了吗"'
local suggestion = '"message":[{"type":"at","data":{"qq":"10000"}},{"type":"text","data":{"text":" 建议 村东头路灯坏了三个月了，晚上走路看不见"}}],' ..
                   '"raw_message":"[CQ:at,qq=10000] 建议 村东头路灯坏了三个月了，晚上走路看不见"'

local function new_suggestion(n)
  local words = string.format("建议 村东头路灯坏了三个月了，晚上走路看不见（第%d条）", n)
  return '"message":[{"type":"at","data":{"qq":"10000"}},{"type":"text","data":{"text":" ' .. words .. '"}}],' ..
         '"raw_message":"[CQ:at,qq=10000] ' .. words .. '"'
end

function request()
  counter = counter + 1
  local id = base + counter * 64 + tid
  local text = chat
  if addressed then text = new_words and new_suggestion(counter) or suggestion end
  local body = string.format(
    '{"time":%d,"self_id":10000,"post_type":"message","message_type":"group","sub_type":"normal",' ..
    '"message_id":%d,"group_id":%d,"user_id":%d,%s,' ..
    '"font":0,"sender":{"user_id":%d,"nickname":"村民","role":"member"}}',
    os.time(), id, 900001 + id % ngroups, 100000 + id % 5000, text, 100000 + id % 5000)
  local headers = {["Content-Type"] = "application/json", ["X-Self-ID"] = "10000"}
  if sign then headers["X-Signature"] = sign(body) end
  return wrk.format("POST", path, headers, body)
end
