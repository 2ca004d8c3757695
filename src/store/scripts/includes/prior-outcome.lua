-- No number in this name: an include takes no KEYS of its own; it runs on those of the script that includes it.
-- Shared by the scripts that apply an operation to a story (spliced in by LuaScript where a
-- script says `-- @include prior-outcome`). The story must exist, and an operation applied
-- before answers what it answered then, so a retried job can still publish its event.
-- Returns that reply, or nil when the operation is new.
local function priorOutcome(storyKey, logKey, opsKey, opId)
  if redis.call('EXISTS', storyKey) == 0 then
    return {'err', 'STORY_NOT_FOUND'}
  end
  local done = redis.call('HGET', opsKey, opId)
  if not done then return nil end
  if done == '0' then return {'noop', 0, ''} end
  local entries = redis.call('XRANGE', logKey, done .. '-0', done .. '-0')
  local json = ''
  if entries[1] then json = entries[1][2][2] end
  return {'dup', tonumber(done), json}
end
