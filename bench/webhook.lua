-- wrk script: the same signed issue_comment body each time, a fresh X-GitHub-Delivery per request
-- (GitHub never repeats one), so every delivery goes through the whole path: verify, queue, parse, route.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.body = os.getenv("BENCH_BODY")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-GitHub-Event"] = "issue_comment"
  wrk.headers["X-Hub-Signature-256"] = os.getenv("BENCH_SIGNATURE")
end

function request()
  counter = counter + 1
  wrk.headers["X-GitHub-Delivery"] = "bench-" .. tostring(tid) .. "-" .. tostring(counter)
  return wrk.format()
end
