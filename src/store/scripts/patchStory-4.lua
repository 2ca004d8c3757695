-- 4 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  Changes a story's title, summary, key points or status and appends a story.updated event with the next seq.
  Idempotent by operation id, like applyUpdateOp.

  KEYS[1] story hash   KEYS[2] log stream   KEYS[3] ops hash   KEYS[4] audit stream
  ARGV[1] op JSON: {opId, at, author, fields = {title?, summary?, keyPoints?, keyPointsHtml?, status?}}
  ARGV[2] max log length (approximate trim)

  Returns {'ok', seq, eventJson} | {'dup', seq, eventJson} | {'noop', 0, ''} | {'err', 'STORY_NOT_FOUND'}
]]
local storyKey, logKey, opsKey, auditKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op = cjson.decode(ARGV[1])
local maxLog = tonumber(ARGV[2])

-- @include prior-outcome
local prior = priorOutcome(storyKey, logKey, opsKey, op.opId)
if prior then return prior end

local changed = false
for _, name in ipairs({'title', 'summary', 'keyPoints', 'keyPointsHtml', 'status'}) do
  local value = op.fields[name]
  -- A story made before key points existed has no such field: the same as empty.
  if value ~= nil and value ~= (redis.call('HGET', storyKey, name) or '') then
    redis.call('HSET', storyKey, name, value)
    changed = true
  end
end
if not changed then
  redis.call('HSET', opsKey, op.opId, 0)
  return {'noop', 0, ''}
end

local seq = redis.call('HINCRBY', storyKey, 'lastSeq', 1)
redis.call('HSET', storyKey, 'updatedAt', op.at)
local s = redis.call('HGETALL', storyKey)
local story = {}
for i = 1, #s, 2 do story[s[i]] = s[i + 1] end
story.lastSeq = seq
local event = cjson.encode({
  storyId = story.id, seq = seq, epoch = story.epoch, type = 'story.updated', at = op.at, story = story,
})
redis.call('XADD', logKey, 'MAXLEN', '~', maxLog, seq .. '-0', 'e', event)
redis.call('HSET', opsKey, op.opId, seq)
-- The HTML is derived from the Markdown: the trail keeps what the editor wrote.
local auditChanges = op.fields
auditChanges.keyPointsHtml = nil
redis.call('XADD', auditKey, 'MAXLEN', '~', maxLog, '*', 'at', op.at, 'actor', op.author, 'action', 'story.updated',
  'seq', seq, 'changes', cjson.encode(auditChanges))
return {'ok', seq, event}
