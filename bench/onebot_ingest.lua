-- wrk script: unique OneBot v11 group-message events (many residents, 200 groups) POSTed to
-- /webhook/onebot/bench. Unsigned: the bench bot has no secret, so the signature check is
-- skipped (bench/ingest.sh measures the signed path separately when SIGNED=1 is supported).
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  counter = 0
  -- a fresh id space per run (warm-up and measured runs must not collide: they'd be deduped)
  base = (os.time() % 100000) * 100000000  -- below 2^53: LuaJIT numbers are doubles
end

function request()
  counter = counter + 1
  local id = base + counter * 64 + tid
  local body = string.format(
    '{"time":%d,"self_id":10000,"post_type":"message","message_type":"group","sub_type":"normal",' ..
    '"message_id":%d,"group_id":%d,"user_id":%d,"message":"今天天气不错，大家吃了吗","raw_message":"今天天气不错，大家吃了吗",' ..
    '"font":0,"sender":{"user_id":%d,"nickname":"村民"}}',
    os.time(), id, 900000 + id % 200, 100000 + id % 5000, 100000 + id % 5000)
  return wrk.format("POST", "/webhook/onebot/bench",
                    {["Content-Type"] = "application/json", ["X-Self-ID"] = "10000"}, body)
end
