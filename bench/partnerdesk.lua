-- wrk script for partnerdesk's API (bench/run.sh sets the environment).
-- MODE = get | customer | customer_open | search | create | selfhelp | page | queue | scorecard; TOKEN = API token
-- of a Contoso global admin, SESSION = a session cookie of the same user (for the console's pages),
-- OPERATOR_TOKEN = an operator engineer's token, PARTNER = Contoso's id (queue, scorecard);
-- FIRST..LAST = ids of the preloaded requests (their descriptions carry refNNNNNN = id);
-- CUSTOMERS = a file of Contoso customer ids, one a line.
local mode = os.getenv("MODE") or "get"
local token = os.getenv("TOKEN")
local first = tonumber(os.getenv("FIRST") or "1")
local last = tonumber(os.getenv("LAST") or "100000")
local customers = {}
for id in io.lines(os.getenv("CUSTOMERS")) do customers[#customers + 1] = id end
local words = { "mail", "delivery", "teams", "meeting", "gateway", "timeout", "邮件", "会议", "почта", "шлюз" }

local n = 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
end

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end

local function text(count)
  local t = {}
  for i = 1, count do t[i] = words[math.random(#words)] end
  return table.concat(t, " ")
end

local auth = { ["Authorization"] = "Bearer " .. token }
local json = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

if mode == "get" then
  request = function()
    return wrk.format("GET", "/v1/servicerequests/" .. math.random(first, last), auth)
  end
elseif mode == "customer" then -- the first page of one customer's requests (as the reference's)
  request = function()
    local c = customers[math.random(#customers)]
    return wrk.format("GET", "/v1/customers/" .. c .. "/servicerequests?size=25", auth)
  end
elseif mode == "customer_open" then -- the first page of one customer's open requests
  request = function()
    local c = customers[math.random(#customers)]
    return wrk.format("GET", "/v1/customers/" .. c .. "/servicerequests?status=open&size=25", auth)
  end
elseif mode == "search" then -- selective full-text search: one hit
  request = function()
    return wrk.format("GET", string.format("/v1/servicerequests?q=ref%06d&size=25", math.random(first, last)), auth)
  end
elseif mode == "selfhelp" then -- the pre-submit matching: a customer, a service, a few words
  request = function()
    local c = customers[math.random(#customers)]
    local q = text(4):gsub("[^%w]", function(ch) return string.format("%%%02X", string.byte(ch)) end)
    return wrk.format("GET", "/v1/customers/" .. c .. "/selfhelp?serviceId=office365&q=" .. q, auth)
  end
elseif mode == "page" then -- the console's Customer requests page, rendered on the server
  local session = { ["Cookie"] = "pd_session=" .. (os.getenv("SESSION") or "") }
  local views = { "/requests", "/requests?status=open", "/requests?status=attention_needed&sort=severity",
                  "/requests?severity=critical", "/requests?page=4" }
  request = function()
    return wrk.format("GET", views[math.random(#views)], session)
  end
elseif mode == "queue" then -- the operator's queue, most urgent first, as an engineer works it
  local op = { ["Authorization"] = "Bearer " .. (os.getenv("OPERATOR_TOKEN") or "") }
  local views = { "/v1/operator/queue?size=25", "/v1/operator/queue?size=25&breached=true",
                  "/v1/operator/queue?size=25&severity=critical", "/v1/operator/queue?size=25&unassigned=true",
                  "/v1/operator/queue?size=25&language=zh" }
  request = function()
    return wrk.format("GET", views[math.random(#views)], op)
  end
elseif mode == "scorecard" then -- one partner's scorecard over the trailing 90 days
  local op = { ["Authorization"] = "Bearer " .. (os.getenv("OPERATOR_TOKEN") or "") }
  local path = "/v1/partners/" .. (os.getenv("PARTNER") or "") .. "/scorecard"
  request = function()
    return wrk.format("GET", path, op)
  end
elseif mode == "create" then
  local severities = { "critical", "moderate", "minimal" }
  request = function()
    local c = customers[math.random(#customers)]
    local body = string.format(
      '{"title":"%s","description":"%s","severity":"%s","supportTopicId":"office365-mail-flow","troubleshooting":"checked","escalationCriterion":"bug"}',
      text(6), text(40), severities[math.random(3)])
    return wrk.format("POST", "/v1/customers/" .. c .. "/servicerequests/en-US", json, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT mode=%s requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d sockerr=%d\n",
    mode, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
