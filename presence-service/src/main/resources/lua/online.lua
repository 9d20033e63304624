-- The distinct users with a connection in a room. ARGV: tenant, room. Returns a list of user ids.
return redis.call('HKEYS', k_room(ARGV[1], ARGV[2]))
