-- 3 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  Edits, reschedules or cancels a scheduled update, unless the worker has begun publishing it:
  a cancel racing the fire is decided here, atomically, against claimScheduled-4.lua.

  KEYS[1] scheduled hash   KEYS[2] scheduled index zset   KEYS[3] audit stream
  ARGV[1] change JSON: {updateId, kind = edit|cancel, at, actor,
                        fields = {title?, body?, pinned?, keyEvent?, authors?}, publishAt?, publishAtMs?}
  ARGV[2] max audit length (approximate trim)

  Returns one of
    {'ok', entryJson, previousPublishAt}  changed (for a cancel: the entry as it was)
    {'err', code}                         UPDATE_NOT_FOUND | UPDATE_PUBLISHING
]]
local scheduledKey, indexKey, auditKey = KEYS[1], KEYS[2], KEYS[3]
local change = cjson.decode(ARGV[1])

local current = redis.call('HGET', scheduledKey, change.updateId)
if not current then return {'err', 'UPDATE_NOT_FOUND'} end
local entry = cjson.decode(current)
if entry.status == 'publishing' then return {'err', 'UPDATE_PUBLISHING'} end
local previous = entry.publishAt

local function audit(action, changes)
  redis.call('XADD', auditKey, 'MAXLEN', '~', ARGV[2], '*', 'at', change.at, 'actor', change.actor,
    'action', action, 'updateId', entry.id, 'changes', cjson.encode(changes))
end

if change.kind == 'cancel' then
  redis.call('HDEL', scheduledKey, entry.id)
  redis.call('ZREM', indexKey, entry.id)
  audit('update.schedule-cancelled', {publishAt = previous})
  return {'ok', current, previous}
end

local changed = {}
for _, name in ipairs({'title', 'body', 'pinned', 'keyEvent', 'authors'}) do
  local value = change.fields[name]
  if value ~= nil and value ~= entry[name] then
    entry[name] = value
    changed[name] = true
  end
end
local action = 'update.schedule-edited'
if change.publishAt then
  -- A new time also retries a failed entry.
  if change.publishAt ~= previous or entry.status == 'failed' then action = 'update.rescheduled' end
  entry.publishAt = change.publishAt
  entry.status = 'scheduled'
  entry.failure = nil
  redis.call('ZADD', indexKey, change.publishAtMs, entry.id)
end
entry.version = entry.version + 1
entry.updatedAt = change.at
local json = cjson.encode(entry)
redis.call('HSET', scheduledKey, entry.id, json)
if action == 'update.rescheduled' then
  audit(action, {publishAt = entry.publishAt, previous = previous})
else
  audit(action, changed)
end
return {'ok', json, previous}
