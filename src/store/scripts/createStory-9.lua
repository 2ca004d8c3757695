-- 9 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  Creates a story in one step: claims the first free slug of the candidates, writes the story
  hash and its audit entry, and lists it. A failure anywhere leaves nothing behind (no slug
  claimed for a story that does not exist, no story missing from the list).

  KEYS[1] story hash   KEYS[2] audit stream   KEYS[3] story counter   KEYS[4] story index
  KEYS[5..9] slug keys of the candidate slugs, in order of preference (repeat the last to pad)
  ARGV[1] story JSON: {id, title, summary, status, createdAt, updatedAt, epoch}
  ARGV[2] the editor who creates it
  ARGV[3..7] the candidate slugs, matching KEYS[5..9]

  Returns {1, slug} when created, {0} when a story with this id exists, {-1} when every
  candidate slug is taken.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0}
end
local s = cjson.decode(ARGV[1])
local slug = nil
for i = 5, 9 do
  if redis.call('EXISTS', KEYS[i]) == 0 then
    redis.call('SET', KEYS[i], s.id)
    slug = ARGV[i - 2]
    break
  end
end
if not slug then
  return {-1}
end
redis.call('HSET', KEYS[1],
  'id', s.id, 'slug', slug, 'title', s.title, 'summary', s.summary, 'status', s.status,
  'createdAt', s.createdAt, 'updatedAt', s.updatedAt, 'epoch', s.epoch, 'lastSeq', 0)
redis.call('XADD', KEYS[2], '*', 'at', s.createdAt, 'actor', ARGV[2], 'action', 'story.created', 'seq', 0)
redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[3]), s.id)
return {1, slug}
