--[[
  Creates a story unless its id is taken.

  KEYS[1] story hash   KEYS[2] audit stream
  ARGV[1] story JSON: {id, slug, title, summary, status, createdAt, updatedAt, epoch}
  ARGV[2] the editor who creates it

  Returns 1 when created, 0 when a story with this id already exists.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local s = cjson.decode(ARGV[1])
redis.call('HSET', KEYS[1],
  'id', s.id, 'slug', s.slug, 'title', s.title, 'summary', s.summary, 'status', s.status,
  'createdAt', s.createdAt, 'updatedAt', s.updatedAt, 'epoch', s.epoch, 'lastSeq', 0)
redis.call('XADD', KEYS[2], '*', 'at', s.createdAt, 'actor', ARGV[2], 'action', 'story.created', 'seq', 0)
return 1
