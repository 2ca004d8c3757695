-- 8 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  Applies one operation on an update (create, edit or delete) to a story and appends its event
  to the story's log with the next gapless seq, atomically. Idempotent by operation id: a
  repeated op changes nothing and returns the event it produced the first time, so a retried
  job can still publish it.

  KEYS[1] story hash      KEYS[2] updates hash   KEYS[3] timeline zset
  KEYS[4] pinned set      KEYS[5] log stream     KEYS[6] ops hash
  KEYS[7] key events zset (update id scored by its creation seq)
  KEYS[8] audit stream (who did what, kept apart from the public log)
  ARGV[1] op JSON: {opId, kind = create|edit|delete, updateId, at, author,
                    fields = {title?, body?, html?, pinned?, keyEvent?, authors?}}
          authors: [{name, displayName, title, avatarUrl?}], stored as given (never empty)
  ARGV[2] max pinned updates per story
  ARGV[3] max log length (approximate trim)

  Returns one of
    {'ok', seq, eventJson}                the op was applied
    {'dup', seq, eventJson}               the op was applied before (eventJson '' if trimmed)
    {'noop', 0, ''}                       nothing changed (recorded, so a retry is also a noop)
    {'err', code}                         STORY_NOT_FOUND | UPDATE_NOT_FOUND | UPDATE_DELETED
]]
local storyKey, updatesKey, timelineKey, pinnedKey, logKey, opsKey, keyEventsKey, auditKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local op = cjson.decode(ARGV[1])
local maxPinned = tonumber(ARGV[2])
local maxLog = tonumber(ARGV[3])

-- @include prior-outcome
local prior = priorOutcome(storyKey, logKey, opsKey, op.opId)
if prior then return prior end

local fields = op.fields or {}
local current = redis.call('HGET', updatesKey, op.updateId)
local update
local eventType

-- What identifies a byline, as a list of strings (tables' key order is not stable in cjson).
local function bylineKey(authors)
  local key = {}
  for i, a in ipairs(authors or {}) do
    key[i] = table.concat({a.name, a.displayName, tostring(a.title), tostring(a.avatarUrl)}, '\0')
  end
  return key
end

local function wantsPin(u)
  -- A pin beyond the limit (two editors racing past the API's check) is dropped, never the update.
  if redis.call('SISMEMBER', pinnedKey, u.id) == 1 then return true end
  return redis.call('SCARD', pinnedKey) < maxPinned
end

if op.kind == 'create' then
  if current then
    redis.call('HSET', opsKey, op.opId, 0)
    return {'noop', 0, ''}
  end
  update = {
    id = op.updateId, storyId = redis.call('HGET', storyKey, 'id'),
    title = fields.title or cjson.null, body = fields.body, html = fields.html,
    pinned = false, keyEvent = fields.keyEvent == true, author = op.author,
    createdAt = op.at, updatedAt = op.at, version = 1, authors = fields.authors,
  }
  if fields.pinned == true then update.pinned = wantsPin(update) end
  eventType = 'update.created'
else
  if not current then return {'err', 'UPDATE_NOT_FOUND'} end
  update = cjson.decode(current)
  if update.deleted then return {'err', 'UPDATE_DELETED'} end
  if op.kind == 'delete' then
    update.deleted = true
    eventType = 'update.deleted'
  else
    local contentChanged, textChanged = false, false
    for _, name in ipairs({'title', 'body', 'keyEvent'}) do
      if fields[name] ~= nil and fields[name] ~= update[name] then
        update[name] = fields[name]
        contentChanged = true
        if name ~= 'keyEvent' then textChanged = true end
      end
    end
    if fields.body ~= nil then update.html = fields.html end
    -- A new byline is a content change, but not new words: no "Updated" badge for it.
    if fields.authors ~= nil and cjson.encode(bylineKey(fields.authors)) ~= cjson.encode(bylineKey(update.authors)) then
      update.authors = fields.authors
      contentChanged = true
    end
    local pinChanged = false
    if fields.pinned ~= nil and fields.pinned ~= update.pinned then
      if fields.pinned == false or wantsPin(update) then
        update.pinned = fields.pinned
        pinChanged = true
      end
    end
    if not contentChanged and not pinChanged then
      redis.call('HSET', opsKey, op.opId, 0)
      return {'noop', 0, ''}
    end
    if contentChanged then
      eventType = 'update.edited'
      -- Readers see "Updated" only when the words changed, not when an editor marks a key event.
      if textChanged then update.editedAt = op.at end
    elseif update.pinned then
      eventType = 'update.pinned'
    else
      eventType = 'update.unpinned'
    end
  end
  update.version = update.version + 1
  update.updatedAt = op.at
  if op.kind == 'edit' then update.editedBy = op.author end
end

local seq = redis.call('HINCRBY', storyKey, 'lastSeq', 1)
redis.call('HSET', storyKey, 'updatedAt', op.at)

if op.kind == 'create' then
  redis.call('ZADD', timelineKey, seq, update.id)
elseif op.kind == 'delete' then
  redis.call('ZREM', timelineKey, update.id)
end
if update.keyEvent and not update.deleted then
  local createdSeq = redis.call('ZSCORE', timelineKey, update.id)
  redis.call('ZADD', keyEventsKey, createdSeq or seq, update.id)
else
  redis.call('ZREM', keyEventsKey, update.id)
end
if update.pinned and not update.deleted then
  redis.call('SADD', pinnedKey, update.id)
else
  redis.call('SREM', pinnedKey, update.id)
end
redis.call('HSET', updatesKey, update.id, cjson.encode(update))

-- The event carries the public update: the store-only fields stay behind.
local public = {}
for k, v in pairs(update) do
  if k ~= 'deleted' and k ~= 'editedBy' then public[k] = v end
end
local event = cjson.encode({
  storyId = update.storyId, seq = seq, epoch = redis.call('HGET', storyKey, 'epoch'),
  type = eventType, at = op.at, update = public,
})
redis.call('XADD', logKey, 'MAXLEN', '~', maxLog, seq .. '-0', 'e', event)
redis.call('HSET', opsKey, op.opId, seq)
redis.call('XADD', auditKey, 'MAXLEN', '~', maxLog, '*', 'at', op.at, 'actor', op.author, 'action', eventType,
  'updateId', update.id, 'seq', seq)
return {'ok', seq, event}
