-- Applies one batch of a gateway node, atomically.
-- ARGV: node, seq, leaseMs, now (ms), batch JSON
--   { ops: [[kind, conn, tenant, user, room, at]...], live: [[conn, tenant, user, since, [rooms], awaySince]...]?, leaving: true? }
--   (awaySince: epoch ms as a string, '0' when the connection is active)
-- Returns JSON { applied, known, changes: [[status, tenant, user, at, [rooms], [online per room]]...] }.
local node, seq, lease, now = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local batch = cjson.decode(ARGV[5])

local last = redis.call('HGET', K_NODES, node)
local known = last ~= false
if known and tonumber(last) >= seq then
  -- A retry of a batch already applied, or a late one overtaken by a newer batch.
  return result({ applied = false, known = true })
end
redis.call('SET', k_alive(node), '1', 'PX', lease)

if type(batch.live) == 'table' then
  local keep = {}
  for _, l in ipairs(batch.live) do
    keep[l[1]] = true
  end
  for _, c in ipairs(redis.call('SMEMBERS', k_node(node))) do
    if not keep[c] then
      disconnect(c, now)
    end
  end
  for _, l in ipairs(batch.live) do
    local c, t, u, since, rooms, away = l[1], l[2], l[3], l[4], l[5], l[6]
    connect(node, c, t, u, since)
    if away ~= nil and away ~= '0' then
      set_away(c, true, away)
    else
      set_away(c, false, now)
    end
    local want = {}
    for _, room in ipairs(rooms) do
      want[room] = true
      join(c, t, u, room)
    end
    for _, room in ipairs(redis.call('SMEMBERS', k_conn_rooms(c))) do
      if not want[room] then
        leave(c, t, u, room, false)
      end
    end
  end
end

for _, op in ipairs(batch.ops) do
  local kind, c, t, u, room, at = op[1], op[2], op[3], op[4], op[5], op[6]
  if kind == 'CONNECTED' then
    connect(node, c, t, u, at)
  elseif kind == 'DISCONNECTED' then
    disconnect(c, at)
  elseif kind == 'JOINED' then
    join(c, t, u, room)
  elseif kind == 'LEFT' then
    leave(c, t, u, room, true)
  elseif kind == 'AWAY' then
    set_away(c, true, at)
  elseif kind == 'ACTIVE' then
    set_away(c, false, at)
  end
end

if batch.leaving == true then
  for _, c in ipairs(redis.call('SMEMBERS', k_node(node))) do
    disconnect(c, now)
  end
  redis.call('HDEL', K_NODES, node)
  redis.call('DEL', k_alive(node), k_node(node))
else
  redis.call('HSET', K_NODES, node, seq)
end
return result({ applied = true, known = known })
