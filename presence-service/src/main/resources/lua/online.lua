-- The distinct users with a connection in a room, and those of them who are away. ARGV: tenant, room.
-- Returns { [user...], [user, awaySince (epoch ms), ...] }.
local users = redis.call('HKEYS', k_room(ARGV[1], ARGV[2]))
local away = {}
local chunk = 1000  -- unpack has a bound on its arguments
for from = 1, #users, chunk do
  local to = math.min(#users, from + chunk - 1)
  local since = redis.call('HMGET', k_away(ARGV[1]), unpack(users, from, to))
  for i = from, to do
    if since[i - from + 1] then
      away[#away + 1] = users[i]
      away[#away + 1] = since[i - from + 1]
    end
  end
end
return { users, away }
