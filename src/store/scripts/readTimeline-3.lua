-- 3 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  One consistent page of a story's current updates, newest first, with the seq it reflects.

  KEYS[1] story hash   KEYS[2] updates hash   KEYS[3] timeline zset
  ARGV[1] exclusive upper bound on the creation seq ('+inf' for the first page)
  ARGV[2] page size

  Returns {lastSeq, epoch, {updateJson...}, {creationSeq...}} or false when the story is missing.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[3], '(' .. ARGV[1], '-inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local updates, scores = {}, {}
for i = 1, #ids, 2 do
  updates[#updates + 1] = redis.call('HGET', KEYS[2], ids[i])
  scores[#scores + 1] = ids[i + 1]
end
local meta = redis.call('HMGET', KEYS[1], 'lastSeq', 'epoch')
return {tonumber(meta[1]), meta[2], updates, scores}
