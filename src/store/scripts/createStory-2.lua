-- 2 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  Writes a new story's own keys in one step: the story hash and its first audit entry. Both
  carry the story's hash tag, so this runs in one slot on Redis Cluster; the slug and the story
  index live elsewhere and are written by story-create.ts in steps of their own.

  KEYS[1] story hash   KEYS[2] audit stream
  ARGV[1] story JSON: {id, title, summary, status, createdAt, updatedAt, epoch}
  ARGV[2] the editor who creates it
  ARGV[3] the slug claimed for it

  Returns 1 when created, 0 when a story with this id exists (nothing is changed).
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local s = cjson.decode(ARGV[1])
redis.call('HSET', KEYS[1],
  'id', s.id, 'slug', ARGV[3], 'title', s.title, 'summary', s.summary, 'status', s.status,
  'createdAt', s.createdAt, 'updatedAt', s.updatedAt, 'epoch', s.epoch, 'lastSeq', 0)
redis.call('XADD', KEYS[2], '*', 'at', s.createdAt, 'actor', ARGV[2], 'action', 'story.created', 'seq', 0)
return 1
