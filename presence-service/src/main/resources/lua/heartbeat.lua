-- Renews a gateway node's lease. ARGV: node, leaseMs. Returns 1 if presence knows the node, else 0
-- (Redis lost its data, or the node was reaped): the node then sends a sync.
redis.call('SET', k_alive(ARGV[1]), '1', 'PX', ARGV[2])
return redis.call('HEXISTS', K_NODES, ARGV[1])
