-- Admits a connection of a user if the user has fewer than limit connections, counting those
-- admitted in the last pendingMs that their node has not reported yet. Atomic, so two devices
-- connecting at once on two nodes cannot both take the last place.
-- ARGV: tenant, user, conn, limit, now (ms), pendingMs
-- Returns 1 (admitted) or 0 (refused).
local t, u, c = ARGV[1], ARGV[2], ARGV[3]
local limit, now, pending_ms = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local pending = k_pending(t, u)

redis.call('ZREMRANGEBYSCORE', pending, '-inf', now)
if redis.call('SISMEMBER', k_user(t, u), c) == 1 or redis.call('ZSCORE', pending, c) then
  return 1
end
if redis.call('SCARD', k_user(t, u)) + redis.call('ZCARD', pending) >= limit then
  return 0
end
redis.call('ZADD', pending, now + pending_ms, c)
redis.call('PEXPIRE', pending, pending_ms)
return 1
