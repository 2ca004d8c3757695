-- 5 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  One step of a contributor's submission through review, atomically with its audit entry:
  submit, edit (a rejected one goes back to the queue), withdraw, reject or approve. A submission
  is private: nothing here touches the story's log, so no reader sees it. Approving only marks it
  (with the approved fields); the API then queues the normal create op, which publishes it.

  KEYS[1] submissions hash (update id -> submission JSON)
  KEYS[2] pending zset     KEYS[3] rejected zset (ids scored by the time they got there, in ms)
  KEYS[4] audit stream     KEYS[5] updates hash (a published id cannot be submitted again)
  ARGV[1] step JSON: {action = submit|edit|withdraw|reject|approve, id, actor, at, ms,
                      submission? (submit), fields? = {title?, body?, html?} (edit),
                      note? (reject), approved? (approve: the fields and flags to publish with)}
  ARGV[2] max audit length (approximate trim)

  Returns one of
    {'ok', submissionJson}    the step was taken ('' after a withdraw)
    {'dup', submissionJson}   a repeated submit or approve: nothing changed
    {'err', code}             SUBMISSION_NOT_FOUND | SUBMISSION_NOT_PENDING | FORBIDDEN
]]
local submissionsKey, pendingKey, rejectedKey, auditKey, updatesKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local step = cjson.decode(ARGV[1])
local maxAudit = tonumber(ARGV[2])

local function audit(action, changes)
  local entry = {'at', step.at, 'actor', step.actor, 'action', action, 'updateId', step.id}
  if changes then
    table.insert(entry, 'changes')
    table.insert(entry, cjson.encode(changes))
  end
  redis.call('XADD', auditKey, 'MAXLEN', '~', maxAudit, '*', unpack(entry))
end

local function save(submission)
  local json = cjson.encode(submission)
  redis.call('HSET', submissionsKey, step.id, json)
  return json
end

local current = redis.call('HGET', submissionsKey, step.id)

if step.action == 'submit' then
  if current then
    local existing = cjson.decode(current)
    if existing.submittedBy ~= step.actor then return {'err', 'FORBIDDEN'} end
    return {'dup', current}
  end
  if redis.call('HEXISTS', updatesKey, step.id) == 1 then return {'err', 'SUBMISSION_NOT_PENDING'} end
  local json = save(step.submission)
  redis.call('ZADD', pendingKey, step.ms, step.id)
  audit('submission.submitted')
  return {'ok', json}
end

if not current then
  -- A contributor's edit or withdraw of a published update: that is another role's job.
  local own = step.action == 'edit' or step.action == 'withdraw'
  if own and redis.call('HEXISTS', updatesKey, step.id) == 1 then return {'err', 'FORBIDDEN'} end
  return {'err', 'SUBMISSION_NOT_FOUND'}
end
local submission = cjson.decode(current)

if step.action == 'approve' then
  if submission.state == 'approved' then return {'dup', current} end
  if submission.state ~= 'pending' then return {'err', 'SUBMISSION_NOT_PENDING'} end
  submission.state = 'approved'
  submission.approvedBy = step.actor
  submission.approvedAt = step.at
  submission.approved = step.approved
  redis.call('ZREM', pendingKey, step.id)
  local json = save(submission)
  audit('submission.approved', step.approved)
  return {'ok', json}
end

if step.action == 'reject' then
  if submission.state ~= 'pending' then return {'err', 'SUBMISSION_NOT_PENDING'} end
  submission.state = 'rejected'
  submission.note = step.note
  submission.rejectedBy = step.actor
  submission.rejectedAt = step.at
  redis.call('ZREM', pendingKey, step.id)
  redis.call('ZADD', rejectedKey, step.ms, step.id)
  local json = save(submission)
  audit('submission.rejected', {note = step.note})
  return {'ok', json}
end

-- edit and withdraw: the contributor's own submission, until it is approved.
if submission.submittedBy ~= step.actor then return {'err', 'FORBIDDEN'} end
if submission.state == 'approved' then return {'err', 'SUBMISSION_NOT_PENDING'} end

if step.action == 'withdraw' then
  redis.call('HDEL', submissionsKey, step.id)
  redis.call('ZREM', pendingKey, step.id)
  redis.call('ZREM', rejectedKey, step.id)
  audit('submission.withdrawn')
  return {'ok', ''}
end

-- edit: a rejected submission that is changed goes back to the queue; its note stays as lastNote.
local changes = {}
for _, name in ipairs({'title', 'body', 'html'}) do
  if step.fields[name] ~= nil then submission[name] = step.fields[name] end
end
if step.fields.title ~= nil then changes.title = step.fields.title end
if step.fields.body ~= nil then changes.body = true end
submission.updatedAt = step.at
local action = 'submission.edited'
if submission.state == 'rejected' then
  action = 'submission.resubmitted'
  submission.state = 'pending'
  submission.lastNote = submission.note
  submission.note = nil
  submission.rejectedBy = nil
  submission.rejectedAt = nil
  redis.call('ZREM', rejectedKey, step.id)
  redis.call('ZADD', pendingKey, step.ms, step.id)
end
local json = save(submission)
audit(action, changes)
return {'ok', json}
