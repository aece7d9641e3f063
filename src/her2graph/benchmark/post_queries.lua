-- wrk script for the benchmark: each connection posts the queries named on the command line in turn,
-- as application/sparql-query bodies asking for SPARQL JSON results, over keep-alive connections.
-- With "--distinct" before the files, every request differs from every other by a constant (a trailing
-- VALUES clause binding a variable no query uses, so the answer is the query's own): no answer cache or
-- response replay can ever hit. done() prints p50 and p99 in microseconds for the benchmark to read.
local queries = {}
local next_query = 0
local distinct = false
local counter = 0
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  for _, argument in ipairs(args) do
    if argument == "--distinct" then
      distinct = true
    else
      local file = assert(io.open(argument, "rb"))
      queries[#queries + 1] = file:read("*a")
      file:close()
    end
  end
  next_query = math.random(#queries) - 1 -- threads start at different queries
end

function request()
  next_query = next_query % #queries + 1
  local body = queries[next_query]
  if distinct then
    counter = counter + 1
    body = body .. "\nVALUES ?distinctRequest { " .. string.format("%d%010d", thread_number + 1, counter) .. " }\n"
  end
  return wrk.format("POST", nil, {["Content-Type"] = "application/sparql-query",
                                  ["Accept"] = "application/sparql-results+json"}, body)
end

function done(summary, latency, requests)
  io.write(string.format("latency_us p50 %d p99 %d\n", latency:percentile(50), latency:percentile(99)))
end
