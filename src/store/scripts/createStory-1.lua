--[[
  Creates a story unless its id is taken.

  KEYS[1] story hash
  ARGV[1] story JSON: {id, slug, title, summary, status, createdAt, updatedAt, epoch}

  Returns 1 when created, 0 when a story with this id already exists.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local s = cjson.decode(ARGV[1])
redis.call('HSET', KEYS[1],
  'id', s.id, 'slug', s.slug, 'title', s.title, 'summary', s.summary, 'status', s.status,
  'createdAt', s.createdAt, 'updatedAt', s.updatedAt, 'epoch', s.epoch, 'lastSeq', 0)
return 1
