-- 5 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  Schedules an update: keeps it under the story, out of every public read, until the worker
  publishes it. A repeat of the same update id (a retried request) changes nothing.

  KEYS[1] story hash   KEYS[2] updates hash   KEYS[3] scheduled hash
  KEYS[4] scheduled index zset (update id scored by publish time in ms)   KEYS[5] audit stream
  ARGV[1] scheduled update JSON (id, publishAt, author, scheduledAt, ...)
  ARGV[2] publish time in ms
  ARGV[3] max audit length (approximate trim)

  Returns one of
    {'ok', entryJson}         scheduled
    {'dup', entryJson}        this id is scheduled already (the stored entry)
    {'published', ''}         this id is a published update already
    {'err', code}             STORY_NOT_FOUND | STORY_ENDED
]]
local storyKey, updatesKey, scheduledKey, indexKey, auditKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local entry = cjson.decode(ARGV[1])

local status = redis.call('HGET', storyKey, 'status')
if not status then return {'err', 'STORY_NOT_FOUND'} end
if redis.call('HEXISTS', updatesKey, entry.id) == 1 then return {'published', ''} end
local existing = redis.call('HGET', scheduledKey, entry.id)
if existing then return {'dup', existing} end
if status == 'ended' then return {'err', 'STORY_ENDED'} end

redis.call('HSET', scheduledKey, entry.id, ARGV[1])
redis.call('ZADD', indexKey, ARGV[2], entry.id)
redis.call('XADD', auditKey, 'MAXLEN', '~', ARGV[3], '*', 'at', entry.scheduledAt, 'actor', entry.author,
  'action', 'update.scheduled', 'updateId', entry.id, 'changes', cjson.encode({publishAt = entry.publishAt}))
return {'ok', ARGV[1]}
