-- 1 = the number of KEYS this script takes (ARGV and return documented below).
--[[
  Changes an editor account's profile or role in place, atomically, so a concurrent revoke is
  never overwritten by a profile change read before it.

  KEYS[1] editors hash (editor name → editor JSON)
  ARGV[1] editor name
  ARGV[2] changes JSON: {displayName?, title?, avatar?, role?}; a null removes the field

  Returns the editor JSON after the change, or '' when there is no active editor of that name.
]]
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return '' end
local editor = cjson.decode(json)
if editor.revokedAt then return '' end
for name, value in pairs(cjson.decode(ARGV[2])) do
  if value == cjson.null then editor[name] = nil else editor[name] = value end
end
local updated = cjson.encode(editor)
redis.call('HSET', KEYS[1], ARGV[1], updated)
return updated
