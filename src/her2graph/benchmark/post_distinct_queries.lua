-- wrk script for the benchmark's distinct-query workload: like post_queries.lua, but every request differs
-- from every other by a constant (a trailing VALUES clause binding a variable no query uses, so the answer
-- is the same as the query's own), and no answer cache or response replay can ever hit.
local queries = {}
local next_query = 0
local counter = 0
local thread_number = 0
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  for _, path in ipairs(args) do
    local file = assert(io.open(path, "rb"))
    queries[#queries + 1] = file:read("*a")
    file:close()
  end
  next_query = math.random(#queries) - 1
end

function request()
  next_query = next_query % #queries + 1
  counter = counter + 1
  local body = queries[next_query] .. "\nVALUES ?distinctRequest { " .. string.format("%d%010d", thread_number + 1, counter) .. " }\n"
  return wrk.format("POST", nil, {["Content-Type"] = "application/sparql-query",
                                  ["Accept"] = "application/sparql-results+json"}, body)
end

function done(summary, latency, requests)
  io.write(string.format("latency_us p50 %d p99 %d\n", latency:percentile(50), latency:percentile(99)))
end
