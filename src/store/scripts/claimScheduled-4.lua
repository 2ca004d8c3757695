-- 4 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  The worker's two steps on a scheduled update whose time has come.
  claim: marks it `publishing` (from then on it can no longer be edited or cancelled) and returns
  it, or says why not. A job whose publishAt is not the entry's is stale (rescheduled since); a
  claim that finds it `publishing` already is a retry after a crash and gets it again. An ended
  or missing story marks it `failed` with the reason, kept for the editors.
  done: removes it once its create op is applied.
  fail: marks a `publishing` entry failed with a code, when its create op failed for good.

  KEYS[1] story hash   KEYS[2] scheduled hash   KEYS[3] scheduled index zset   KEYS[4] audit stream
  ARGV[1] step = claim | done   ARGV[2] update id   ARGV[3] the job's publishAt   ARGV[4] now (ISO)
  ARGV[5] max audit length (approximate trim)   ARGV[6] fail: the error code

  Returns one of
    {'due', entryJson}     claim: publish it now             {'gone', ''}   cancelled or published
    {'stale', ''}          claim: it was rescheduled         {'failed', code}  marked failed
    {'done', ''}           done: removed         {'failed', code}  fail: marked failed
]]
local storyKey, scheduledKey, indexKey, auditKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local step, updateId, jobPublishAt, now, maxAudit = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]

local current = redis.call('HGET', scheduledKey, updateId)
if not current then return {'gone', ''} end
local entry = cjson.decode(current)

local function audit(action, changes)
  redis.call('XADD', auditKey, 'MAXLEN', '~', maxAudit, '*', 'at', now, 'actor', entry.author,
    'action', action, 'updateId', updateId, 'changes', cjson.encode(changes))
end

if step == 'done' then
  if entry.status ~= 'publishing' then return {'gone', ''} end
  redis.call('HDEL', scheduledKey, updateId)
  redis.call('ZREM', indexKey, updateId)
  audit('update.schedule-published', {publishAt = entry.publishAt})
  return {'done', ''}
end

local failure
if step == 'fail' then
  if entry.status ~= 'publishing' then return {'gone', ''} end
  failure = ARGV[6]
else
  if entry.status == 'publishing' then return {'due', current} end
  if entry.status == 'failed' then return {'gone', ''} end
  if entry.publishAt ~= jobPublishAt then return {'stale', ''} end
  local storyStatus = redis.call('HGET', storyKey, 'status')
  if not storyStatus then failure = 'STORY_NOT_FOUND' elseif storyStatus == 'ended' then failure = 'STORY_ENDED' end
end
if failure then
  entry.status = 'failed'
  entry.failure = {code = failure, at = now}
  redis.call('HSET', scheduledKey, updateId, cjson.encode(entry))
  audit('update.schedule-failed', {code = failure})
  return {'failed', failure}
end

entry.status = 'publishing'
local json = cjson.encode(entry)
redis.call('HSET', scheduledKey, updateId, json)
return {'due', json}
