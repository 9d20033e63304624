-- Presence bookkeeping shared by the scripts: the keys and the state changes. LuaScript puts this
-- file before each script, so every script decides online/away/offline transitions atomically.
--
-- Keys (every one under the prefix {sb}:, built here and nowhere else):
--   {sb}:conn:<conn>          hash   user, tenant, node, since, away (epoch ms, while the connection is away)
--   {sb}:conn:<conn>:rooms    set    rooms the connection is in
--   {sb}:user:<t>:<u>         set    the user's live connections, every node
--   {sb}:pending:<t>:<u>      zset   connections admitted at CONNECT, not yet reported -> expiry ms
--   {sb}:urooms:<t>:<u>       set    rooms the user is in (kept while offline, for the status events)
--   {sb}:room:<t>:<room>      hash   user -> number of the user's connections in the room
--   {sb}:lastseen:<t>         hash   user -> epoch ms of the last disconnect
--   {sb}:away:<t>             hash   user -> epoch ms since when every connection of the user is away
--   {sb}:node:<node>          set    connections held by a gateway node
--   {sb}:nodes                hash   node -> seq of the last batch applied
--   {sb}:alive:<node>         string the node's lease (PX)
--
-- Keys are computed here, not passed in KEYS: a batch touches keys of any user, room and node. On
-- Redis Cluster the hash tag {sb} puts every one of them in one slot, so each script runs on the one
-- master of that slot; LuaScript passes {sb}:nodes as KEYS[1] so that a cluster client routes it there.

redis.replicate_commands()

local P = '{sb}:'
local K_NODES = P .. 'nodes'
local USER_ROOMS_TTL_S = 7 * 24 * 3600

local function k_conn(c) return P .. 'conn:' .. c end
local function k_conn_rooms(c) return P .. 'conn:' .. c .. ':rooms' end
local function k_user(t, u) return P .. 'user:' .. t .. ':' .. u end
local function k_pending(t, u) return P .. 'pending:' .. t .. ':' .. u end
local function k_user_rooms(t, u) return P .. 'urooms:' .. t .. ':' .. u end
local function k_room(t, r) return P .. 'room:' .. t .. ':' .. r end
local function k_last_seen(t) return P .. 'lastseen:' .. t end
local function k_away(t) return P .. 'away:' .. t end
local function k_node(n) return P .. 'node:' .. n end
local function k_alive(n) return P .. 'alive:' .. n end

-- The status transitions decided by this call, returned to the caller who publishes them: each with
-- the user's rooms and, for each room, its users online now (the caller leaves out rooms too large
-- to announce to). Status: 'online' (first connection), 'away' (every connection away), 'back' (an
-- away user has an active connection again; announced as online), 'offline' (last connection closed).
local changes = {}

local function status_change(status, t, u, at)
  local rooms = redis.call('SMEMBERS', k_user_rooms(t, u))
  local online = {}
  for i, room in ipairs(rooms) do
    online[i] = redis.call('HLEN', k_room(t, room))
  end
  changes[#changes + 1] = { status, t, u, tostring(at), rooms, online }
end

local function connect(node, c, t, u, at)
  redis.call('ZREM', k_pending(t, u), c)
  if redis.call('EXISTS', k_conn(c)) == 1 then
    return
  end
  redis.call('HSET', k_conn(c), 'user', u, 'tenant', t, 'node', node, 'since', at)
  redis.call('SADD', k_node(node), c)
  redis.call('SADD', k_user(t, u), c)
  if redis.call('SCARD', k_user(t, u)) == 1 then
    redis.call('HDEL', k_away(t), u)
    status_change('online', t, u, at)
  elseif redis.call('HDEL', k_away(t), u) == 1 then
    -- A new connection is active: an away user is back.
    status_change('back', t, u, at)
  end
end

-- The user is away when every one of their connections is away (a user's connections are few: the
-- device limit). Called when one of them went away or an active one closed.
local function away_if_all(t, u, at)
  if redis.call('HEXISTS', k_away(t), u) == 1 then
    return
  end
  local conns = redis.call('SMEMBERS', k_user(t, u))
  if #conns == 0 then
    return
  end
  for _, other in ipairs(conns) do
    if not redis.call('HGET', k_conn(other), 'away') then
      return
    end
  end
  redis.call('HSET', k_away(t), u, at)
  status_change('away', t, u, at)
end

-- The connection's client says it is away (hidden, idle) or active again.
local function set_away(c, away, at)
  local info = redis.call('HMGET', k_conn(c), 'tenant', 'user', 'away')
  local t, u, was = info[1], info[2], info[3]
  if not t then
    return
  end
  if away then
    if not was then
      redis.call('HSET', k_conn(c), 'away', at)
      away_if_all(t, u, at)
    end
  elseif was then
    redis.call('HDEL', k_conn(c), 'away')
    if redis.call('HDEL', k_away(t), u) == 1 then
      status_change('back', t, u, at)
    end
  end
end

local function join(c, t, u, room)
  if redis.call('EXISTS', k_conn(c)) == 0 or redis.call('SADD', k_conn_rooms(c), room) == 0 then
    return
  end
  redis.call('HINCRBY', k_room(t, room), u, 1)
  redis.call('SADD', k_user_rooms(t, u), room)
  redis.call('EXPIRE', k_user_rooms(t, u), USER_ROOMS_TTL_S)
end

-- One connection of the user less in the room. forget: the user left the room on purpose (not a
-- disconnect), so it is no longer one of their rooms once no other connection of theirs is in it.
local function room_count_down(t, u, room, forget)
  if redis.call('HINCRBY', k_room(t, room), u, -1) <= 0 then
    redis.call('HDEL', k_room(t, room), u)
    if forget then
      redis.call('SREM', k_user_rooms(t, u), room)
    end
  end
end

local function leave(c, t, u, room, forget)
  if redis.call('SREM', k_conn_rooms(c), room) == 1 then
    room_count_down(t, u, room, forget)
  end
end

local function disconnect(c, at)
  local info = redis.call('HMGET', k_conn(c), 'tenant', 'user', 'node')
  local t, u, node = info[1], info[2], info[3]
  if not t then
    return
  end
  for _, room in ipairs(redis.call('SMEMBERS', k_conn_rooms(c))) do
    room_count_down(t, u, room, false)
  end
  redis.call('DEL', k_conn(c), k_conn_rooms(c))
  redis.call('SREM', k_node(node), c)
  redis.call('SREM', k_user(t, u), c)
  if redis.call('SCARD', k_user(t, u)) == 0 then
    redis.call('HDEL', k_away(t), u)
    redis.call('HSET', k_last_seen(t), u, at)
    status_change('offline', t, u, at)
  else
    -- The active connection closed; the ones left may all be away.
    away_if_all(t, u, at)
  end
end

local function result(fields)
  local out = { changes = changes }
  for k, v in pairs(fields) do
    out[k] = v
  end
  return cjson.encode(out)
end
