-- wrk script: unique OneBot v11 group-message events (many residents, 200 groups) POSTed to
-- /webhook/onebot/bench. Unsigned: the bench bot has no secret, so the signature check is
-- skipped (bench/ingest.sh measures the signed path separately when SIGNED=1 is supported).
--
-- Environment (bench/compare.sh sets these; the defaults are what bench/ingest.sh measures):
--   LX_BENCH_PATH  the webhook path (default /webhook/onebot/bench; Koishi's is /onebot)
--   LX_BENCH_MODE  "chat" (default): group small talk a bot ignores;
--                  "addressed": the message @-mentions the bot (self id 10000) and starts with
--                  建议, so Lianxin opens a dialogue and answers, and Koishi's handler answers
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

function init(args)
  counter = 0
  -- a fresh id space per run (warm-up and measured runs must not collide: they'd be deduped)
  base = (os.time() % 100000) * 100000000  -- below 2^53: LuaJIT numbers are doubles
end

local chat = '"message":"今天天气不错，大家吃了吗","raw_message":"今天天气不错，大家吃了吗"'
local suggestion = '"message":[{"type":"at","data":{"qq":"10000"}},{"type":"text","data":{"text":" 建议 村东头路灯坏了三个月了，晚上走路看不见"}}],' ..
                   '"raw_message":"[CQ:at,qq=10000] 建议 村东头路灯坏了三个月了，晚上走路看不见"'

function request()
  counter = counter + 1
  local id = base + counter * 64 + tid
  local body = string.format(
    '{"time":%d,"self_id":10000,"post_type":"message","message_type":"group","sub_type":"normal",' ..
    '"message_id":%d,"group_id":%d,"user_id":%d,%s,' ..
    '"font":0,"sender":{"user_id":%d,"nickname":"村民","role":"member"}}',
    os.time(), id, 900001 + id % ngroups, 100000 + id % 5000, addressed and suggestion or chat, 100000 + id % 5000)
  return wrk.format("POST", path,
                    {["Content-Type"] = "application/json", ["X-Self-ID"] = "10000"}, body)
end
