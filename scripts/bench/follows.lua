-- wrk script: sends the pre-signed follows of a `signed-follow gen-load` file, each
-- once. Thread k of n sends lines k, k+n, k+2n, ... so no follow is sent twice; a thread
-- that runs out starts over (those replays answer "already applied" and are counted
-- apart). Counts answers by code; with RATE set (requests/s for the whole run), paces
-- each connection with delay().
--
-- Environment: LOAD_FILE (the gen-load file), THREADS (wrk's -t), CONNECTIONS (-c),
-- RATE (optional). Prints one line "RESULT {json}" at the end.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local total = tonumber(os.getenv("THREADS"))
  requests = {}
  local index = 0
  for line in io.lines(os.getenv("LOAD_FILE")) do
    if index % total == id then
      local pubkey = line:match('"web3mq%-request%-pubkey":"(%x+)"')
      local didkey = line:match('"didkey":"([^"]+)"')
      local path = line:match('"path":"([^"]+)"')
      local body = line:match('"body":(.*)}$')
      requests[#requests + 1] = wrk.format("POST", path, {
        ["content-type"] = "application/json",
        ["web3mq-request-pubkey"] = pubkey,
        ["didkey"] = didkey,
      }, body)
    end
    index = index + 1
  end
  position = 0
  sent = 0
  accepted = 0
  replayed = 0
  refused = 0
  other = 0
  codes = ""
  local rate = tonumber(os.getenv("RATE") or "")
  if rate then
    -- Each connection waits connections/rate seconds between requests.
    pause = 1000 * tonumber(os.getenv("CONNECTIONS")) / rate
  end
end

function request()
  position = position + 1
  if position > #requests then position = 1 end
  sent = sent + 1
  return requests[position]
end

if os.getenv("RATE") then
  function delay()
    return pause
  end
end

function response(status, headers, body)
  local code = body:match('"code":(%d+)')
  if code == "0" then
    if body:find('already applied', 1, true) then replayed = replayed + 1 else accepted = accepted + 1 end
  elseif code then
    refused = refused + 1
    if #codes < 200 then codes = codes .. code .. " " end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local accepted, replayed, refused, other, codes = 0, 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    accepted = accepted + thread:get("accepted")
    replayed = replayed + thread:get("replayed")
    refused = refused + thread:get("refused")
    other = other + thread:get("other")
    codes = codes .. thread:get("codes")
  end
  io.write(string.format(
    'RESULT {"duration_us":%d,"requests":%d,"accepted":%d,"replayed":%d,"refused":%d,"other":%d,' ..
    '"socket_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"refused_codes":"%s"}\n',
    summary.duration, summary.requests, accepted, replayed, refused, other,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, codes))
end
