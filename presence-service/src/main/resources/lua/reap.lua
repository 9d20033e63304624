-- Removes the connections of gateway nodes whose lease expired (died without goodbye), at most
-- budget connections per call. Atomic: when several presence-service instances reap at once, each
-- connection is removed, and each offline transition decided, exactly once.
-- ARGV: now (ms), budget
-- Returns JSON { reaped, more, nodes: [node...], changes: [...] }.
local now, budget = ARGV[1], tonumber(ARGV[2])
local reaped, more, nodes = 0, false, {}

for _, node in ipairs(redis.call('HKEYS', K_NODES)) do
  if redis.call('EXISTS', k_alive(node)) == 0 then
    nodes[#nodes + 1] = node
    for _, c in ipairs(redis.call('SRANDMEMBER', k_node(node), budget - reaped)) do
      disconnect(c, now)
      reaped = reaped + 1
    end
    if redis.call('SCARD', k_node(node)) > 0 then
      more = true
      break
    end
    redis.call('HDEL', K_NODES, node)
  end
  if reaped >= budget then
    more = true
    break
  end
end
return result({ reaped = reaped, more = more, nodes = nodes })
