-- 2 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  Claims the right to send one update's alert to one subscription, so that no device gets it
  twice, whatever retries and crashes happen. A new claim counts the subscription as targeted.

  KEYS[1] delivery hash (subscription id -> state)   KEYS[2] delivery stats hash
  ARGV[1] subscription id
  ARGV[2] '' for a first attempt, 'retry' for a scheduled retry
  ARGV[3] expiry of both keys, seconds

  Returns 1 when claimed (state is now 'sending'), 0 otherwise.
]]
local current = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '' then
  if current then return 0 end
  redis.call('HINCRBY', KEYS[2], 'targeted', 1)
elseif current ~= 'retry' then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], 'sending')
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
