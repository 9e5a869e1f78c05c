-- wrk script for the ingress peers: POST the bytes of a JSON file on every request.
--
--   wrk -t1 -c64 -d10s --latency -s bench/peers/wrk-post.lua http://localhost:18083/hooks/bench -- BODY_FILE [AUTH_HEADER]
--
-- BODY_FILE: the request body (sent as is, Content-Type: application/json).
-- AUTH_HEADER (optional): e.g. "Authorization: Bearer bench-token" for a labhooks bearer source.
-- At the end it prints one machine-readable line (latencies in microseconds, wrk's own histogram):
--   WRKSTAT requests=N duration_us=N rps=X p50_us=N p90_us=N p99_us=N max_us=N non2xx=N errors_connect=N errors_read=N errors_write=N errors_timeout=N

local body_file = nil

function init(args)
   body_file = args[1]
   if body_file == nil then
      error("usage: wrk ... -s wrk-post.lua URL -- BODY_FILE [AUTH_HEADER]")
   end
   local f = assert(io.open(body_file, "rb"))
   wrk.body = f:read("*a")
   f:close()
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   local auth = args[2]
   if auth ~= nil and auth ~= "" then
      local name, value = auth:match("^([^:]+):%s*(.*)$")
      if name == nil then
         error("AUTH_HEADER must look like 'Name: value'")
      end
      wrk.headers[name] = value
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRKSTAT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout))
end
