-- Driven by qifu/bench/load.py: wrk -s wrk.lua URL -- REQUESTS METHOD BODY EXPECT CHECK
-- REQUESTS: a file of lines "path<TAB>Header: value<TAB>…", one per distinct client or object;
-- each wrk thread walks it from its own offset, so consecutive requests come from different
-- users. BODY: a file sent as the JSON body ("-" for none). EXPECT/CHECK: when CHECK is 1, every
-- response whose status is not EXPECT is counted (costs wrk time: only for slow scenarios).
-- done() prints one line "QIFU_JSON {...}" with the totals and the latency percentiles.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  entries = {}
  for line in io.lines(args[1]) do
    local fields = {}
    for field in string.gmatch(line, "[^\t]+") do
      table.insert(fields, field)
    end
    local headers = {}
    for i = 2, #fields do
      local name, value = string.match(fields[i], "^([^:]+):%s*(.*)$")
      headers[name] = value
    end
    table.insert(entries, { fields[1], headers })
  end
  method = args[2]
  body = nil
  if args[3] ~= "-" then
    local handle = io.open(args[3], "rb")
    body = handle:read("*a")
    handle:close()
    for _, entry in ipairs(entries) do
      entry[2]["Content-Type"] = "application/json"
    end
  end
  expect = tonumber(args[4])
  unexpected = 0
  position = (tid * 7919) % #entries
  if args[5] == "1" then
    response = function(status, headers, content)
      if status ~= expect then
        unexpected = unexpected + 1
      end
    end
  end
end

function request()
  position = position % #entries + 1
  local entry = entries[position]
  return wrk.format(method, entry[1], entry[2], body)
end

function done(summary, latency, requests)
  local unexpected_total = 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + (thread:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'QIFU_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d, "unexpected": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    unexpected_total, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean
  ))
end
