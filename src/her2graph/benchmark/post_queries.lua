-- wrk script for the benchmark: each connection posts the queries named on the command line in turn,
-- as application/sparql-query bodies asking for SPARQL JSON results, over keep-alive connections.
local queries = {}
local next_query = 0

function init(args)
  for _, path in ipairs(args) do
    local file = assert(io.open(path, "rb"))
    queries[#queries + 1] = file:read("*a")
    file:close()
  end
  next_query = math.random(#queries) - 1 -- threads start at different queries
end

function request()
  next_query = next_query % #queries + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/sparql-query",
                                  ["Accept"] = "application/sparql-results+json"}, queries[next_query])
end

function done(summary, latency, requests)
  io.write(string.format("latency_us p50 %d p99 %d\n", latency:percentile(50), latency:percentile(99)))
end
