package io.switchboard.common.config;

/**
 * Every configuration key, with its YAML path, its environment variable, its default and what it
 * does. The README's configuration table is checked against this list by a test.
 *
 * <p>Precedence, highest first: environment variable, YAML file, default.
 */
public enum ConfigKey {
  // Process
  SERVICES("services", "SWITCHBOARD_SERVICES", "gateway,message,presence",
      "Services this process runs: any of gateway, message, presence"),
  CLUSTER("cluster.enabled", "SWITCHBOARD_CLUSTER", "false",
      "Join a Hazelcast cluster (separate processes) instead of a local event bus"),
  CLUSTER_HOST("cluster.host", "CLUSTER_HOST", "",
      "Address the event bus binds to (empty: chosen by Vert.x)"),
  CLUSTER_PUBLIC_HOST("cluster.publicHost", "CLUSTER_PUBLIC_HOST", "",
      "Address other members use to reach this one (pod IP behind NAT)"),
  CLUSTER_MEMBERS("cluster.members", "CLUSTER_MEMBERS", "127.0.0.1",
      "Hazelcast TCP/IP member list, comma separated (local discovery)"),
  CLUSTER_PORT("cluster.port", "CLUSTER_PORT", "5701", "Hazelcast member port (auto-increments if taken)"),
  CLUSTER_BUS_PORT("cluster.busPort", "CLUSTER_BUS_PORT", "0",
      "Port of the clustered event bus (0: any free port; fix it where network policies list ports)"),
  CLUSTER_TLS_CA("cluster.tls.ca", "CLUSTER_TLS_CA", "",
      "PEM file of the CA certificates a member trusts (old and new during a rotation); required when clustered"),
  CLUSTER_TLS_CERT("cluster.tls.cert", "CLUSTER_TLS_CERT", "",
      "PEM file of this member's certificate, issued by that CA (deploy/cluster-ca.sh); required when clustered"),
  CLUSTER_TLS_KEY("cluster.tls.key", "CLUSTER_TLS_KEY", "",
      "PEM file of this member's private key (PKCS#8); required when clustered"),
  CLUSTER_KUBERNETES("cluster.kubernetes", "CLUSTER_KUBERNETES", "false",
      "Discover members through the Kubernetes API instead of the member list"),
  CLUSTER_KUBERNETES_SERVICE("cluster.kubernetesService", "CLUSTER_KUBERNETES_SERVICE", "switchboard-hazelcast",
      "Headless service whose endpoints are the cluster members"),
  METRICS_EVENT_BUS("metrics.eventBus", "METRICS_EVENT_BUS", "false",
      "Vert.x per-address event-bus meters (off: they cost about 7% of the CPU of a busy node; the services' own meters cover the traffic)"),
  NATIVE_TRANSPORT("nativeTransport", "NATIVE_TRANSPORT", "true",
      "Netty's epoll transport on Linux (fewer system calls per socket write than Java NIO); elsewhere, or when false, NIO"),
  EVENT_LOOPS("eventLoops", "EVENT_LOOPS", "0",
      "Vert.x event-loop threads of the process (0: one per core; Vert.x's own default is two per core)"),
  DATA_DIR("dataDir", "SWITCHBOARD_DATA_DIR", ".switchboard",
      "Where the embedded Postgres keeps its data (dev mode)"),
  SHUTDOWN_GRACE_MS("shutdown.graceMs", "SHUTDOWN_GRACE_MS", "20000",
      "Longest time a graceful shutdown waits for in-flight work"),
  DRAIN_SPREAD_MS("shutdown.drainSpreadMs", "DRAIN_SPREAD_MS", "5000",
      "A draining gateway closes its clients' connections over this time, so they reconnect elsewhere gradually"),

  // Gateway
  HTTP_HOST("gateway.host", "HOST", "0.0.0.0", "Address the gateway listens on"),
  HTTP_PORT("gateway.port", "PORT", "3000", "Gateway's public port: Socket.IO, /api/publish, the admin API, the web app, /health, /ready"),
  GATEWAY_OPS_PORT("gateway.opsPort", "GATEWAY_OPS_PORT", "9100",
      "Gateway port for /health, /ready, /metrics, /socket-metrics, /socket-health and /admin/log-level (keep it off the internet)"),
  JWT_SECRET("auth.jwtSecret", "JWT_SECRET", "", "HS256 secret for client tokens"),
  JWT_PUBLIC_KEY("auth.jwtPublicKey", "JWT_PUBLIC_KEY", "",
      "RS256 public key (PEM text or a path to a PEM file) for client tokens"),
  JWT_ALGORITHM("auth.algorithm", "JWT_ALGORITHM", "RS256",
      "Algorithm of JWT_PUBLIC_KEY, matching its key: RS256/384/512 or PS256/384/512 (RSA), ES256/384/512 (EC)"),
  JWT_JWKS("auth.jwks", "JWT_JWKS", "", "A JWKS document (file path or http(s) URL) with the keys client tokens are signed with"),
  JWT_CLOCK_SKEW_SECONDS("auth.clockSkewSeconds", "JWT_CLOCK_SKEW_SECONDS", "30",
      "Seconds a token is still honoured past its exp (and before its nbf)"),
  JWT_ISSUER("auth.issuer", "JWT_ISSUER", "", "Required `iss` claim (empty: not checked; required with JWT_JWKS)"),
  JWT_AUDIENCE("auth.audience", "JWT_AUDIENCE", "", "Required `aud` claim (empty: not checked; required with JWT_JWKS)"),
  JWT_MAX_LIFETIME_SECONDS("auth.maxLifetimeSeconds", "JWT_MAX_LIFETIME_SECONDS", "86400",
      "Longest a client token may live: every token needs `exp`, at most this far after its `iat` and from now"),
  JWT_JWKS_REFRESH_SECONDS("auth.jwksRefreshSeconds", "JWT_JWKS_REFRESH_SECONDS", "300",
      "How often a JWKS is read again (also when a token names an unknown key id, at most every 30 s)"),
  SERVICE_TOKEN("auth.serviceToken", "SERVICE_TOKEN", "",
      "Bearer token other services use for POST /api/publish, /api/messages, /api/rooms, /api/webhooks and /api/digest (empty: they answer 403)"),
  ADMIN_TOKEN("auth.adminToken", "ADMIN_TOKEN", "",
      "Bearer token for the admin API and runtime log levels (a client JWT with role admin also works)"),
  DEV_MODE("devMode", "SWITCHBOARD_DEV_MODE", "auto",
      "auto: without a JWT secret or key, /dev/token mints tokens for requests from this machine; on: for every address; off"),
  CORS_ORIGINS("gateway.corsOrigins", "CORS_ORIGINS", "*", "Allowed browser origins, comma separated"),
  PING_INTERVAL_MS("gateway.pingIntervalMs", "PING_INTERVAL_MS", "25000", "Engine.IO ping interval"),
  PING_TIMEOUT_MS("gateway.pingTimeoutMs", "PING_TIMEOUT_MS", "20000", "Engine.IO pong timeout"),
  MAX_PAYLOAD_BYTES("gateway.maxPayloadBytes", "MAX_PAYLOAD_BYTES", "262144",
      "Largest Engine.IO message or polling POST a client may send; larger ones close its session (default 256 KiB: the largest valid request, a create-room of 1000 members, with its framing; docs/protocol.md)"),
  WS_COMPRESSION("gateway.wsCompression", "WS_COMPRESSION", "off",
      "permessage-deflate for WebSocket clients that offer it (on or off); each message compressed on its own, so no per-socket deflate state (docs/operations.md)"),
  WS_COMPRESSION_THRESHOLD_BYTES("gateway.wsCompressionThresholdBytes", "WS_COMPRESSION_THRESHOLD_BYTES", "1024",
      "With WS_COMPRESSION on, messages smaller than this many bytes go out uncompressed"),
  WS_COMPRESSION_LEVEL("gateway.wsCompressionLevel", "WS_COMPRESSION_LEVEL", "6",
      "With WS_COMPRESSION on, the deflate level: 1 (fastest) to 9 (smallest)"),
  RECOVERY_OFFSETS("gateway.recoveryOffsets", "RECOVERY_OFFSETS", "opt-in",
      "Connection state recovery: opt-in (only sockets that ask, with auth recover: true, get a pid and an offset as each event's last argument), all (every socket, as the reference server), off (none; clients catch up with sinceSeq)"),
  CONNECT_TIMEOUT_MS("gateway.connectTimeoutMs", "CONNECT_TIMEOUT_MS", "10000",
      "How long a new session may take to complete its CONNECT (the token check), counted from its handshake; then it is closed, whatever it sends meanwhile"),
  HTTP_IDLE_TIMEOUT_MS("gateway.httpIdleTimeoutMs", "HTTP_IDLE_TIMEOUT_MS", "60000",
      "An HTTP connection that neither reads nor writes this long is closed (0: never); more than PING_INTERVAL_MS + PING_TIMEOUT_MS, so long-polling is never cut; WebSockets are bounded by their heartbeat instead"),
  HTTP_HEADER_TIMEOUT_MS("gateway.httpHeaderTimeoutMs", "HTTP_HEADER_TIMEOUT_MS", "10000",
      "A request's headers must arrive whole within this time of its first byte (of the connection's opening for the first request), or the connection is closed (0: never)"),
  HTTP_BODY_TIMEOUT_MS("gateway.httpBodyTimeoutMs", "HTTP_BODY_TIMEOUT_MS", "20000",
      "A request's body must arrive whole within this time of its headers, or the connection is closed (0: never)"),
  MAX_CONNECTIONS("limits.connections", "MAX_CONNECTIONS", "18000",
      "Sessions one gateway process accepts, counted from the Engine.IO handshake whether they connected or not; beyond, the handshake is refused with HTTP 503 SERVER_AT_CAPACITY"),
  MAX_CONNECTIONS_PER_IP("limits.connectionsPerIp", "MAX_CONNECTIONS_PER_IP", "0",
      "Sessions from one IP address on one gateway, counted from the handshake (0: no limit); beyond, HTTP 429 IP_CONNECTION_LIMIT"),
  CONNECT_FAILURES_PER_IP("limits.connectFailuresPerIp", "CONNECT_FAILURES_PER_IP", "30",
      "CONNECTs with a bad or expired token one IP address may make on a gateway in 10 s; beyond, its CONNECTs are refused unchecked with CONNECT_THROTTLED until the 10 s are over (0: no limit)"),
  MAX_CONNECTIONS_PER_TENANT("limits.connectionsPerTenant", "MAX_CONNECTIONS_PER_TENANT", "0",
      "Sockets of one tenant on one gateway (0: no limit); beyond, TENANT_CONNECTION_LIMIT"),
  MAX_ROOMS_PER_SOCKET("limits.roomsPerSocket", "MAX_ROOMS_PER_SOCKET", "500",
      "Rooms one socket may be in at once; beyond, join-room answers VALIDATION_ERROR"),
  MAX_CONNECTIONS_PER_USER("limits.connectionsPerUser", "MAX_CONNECTIONS_PER_USER", "3",
      "Devices one user may connect at once, cluster-wide"),
  RATE_MESSAGES("limits.rate.messages", "RATE_MESSAGES", "10:30",
      "Per socket: send, edit and delete requests per second : burst; beyond, RATE_LIMITED"),
  RATE_USER_MESSAGES("limits.rate.userMessages", "RATE_USER_MESSAGES", "20:60",
      "Per user, all of their sockets on a node together: messages per second : burst"),
  RATE_TYPING("limits.rate.typing", "RATE_TYPING", "5:10", "Per socket: typing events per second : burst"),
  RATE_JOINS("limits.rate.joins", "RATE_JOINS", "10:50", "Per socket: join, leave and create-room per second : burst"),
  RATE_READS("limits.rate.reads", "RATE_READS", "10:30",
      "Per socket: history, mark-read and get-presence per second : burst; list-rooms, refresh-token and unknown events have a budget of this size of their own"),
  RATE_CALLS("limits.rate.calls", "RATE_CALLS", "20:60",
      "Per socket: call requests (start, accept, decline, signal, hang up) per second : burst; ICE candidates come in bursts"),
  RATE_STRIKES("limits.rate.strikes", "RATE_STRIKES", "50",
      "Rate-limited requests within 10 s after which the socket is disconnected for abuse"),
  MAX_BODY_CHARS("limits.bodyChars", "MAX_BODY_CHARS", "4000", "Longest message body after trimming"),
  MAX_META_BYTES("limits.metaBytes", "MAX_META_BYTES", "4096", "Largest `meta` of a message, in bytes of JSON"),
  MAX_REACTION_KINDS("limits.reactionKinds", "MAX_REACTION_KINDS", "20",
      "Most kinds of reaction on one message: a new kind past it answers REACTION_LIMIT"),
  SEARCH_TIMEOUT_MS("limits.searchTimeoutMs", "SEARCH_TIMEOUT_MS", "3000",
      "How long Postgres may rank one page of search-messages; beyond, the search answers VALIDATION_ERROR (too broad)"),
  RETENTION_DAYS("retention.days", "RETENTION_DAYS", "0",
      "Days a room keeps its messages unless its tenant or the room says otherwise (0: forever)"),
  TENANT_RETENTION_DAYS("retention.tenants", "TENANT_RETENTION_DAYS", "",
      "Per tenant, days its rooms keep their messages: `tenant=days,...` (0: forever); overrides RETENTION_DAYS"),
  RETENTION_INTERVAL_SECONDS("retention.intervalSeconds", "RETENTION_INTERVAL_SECONDS", "3600",
      "How often message-service deletes the messages past their retention (one instance at a time)"),
  RETENTION_BATCH("retention.batch", "RETENTION_BATCH", "1000",
      "Most messages one statement of the retention job deletes (small batches keep writes flowing)"),
  WEBHOOKS_POLL_MS("webhooks.pollMs", "WEBHOOKS_POLL_MS", "1000",
      "How often message-service looks for webhook work (outbox rows, deliveries due)"),
  WEBHOOKS_TIMEOUT_MS("webhooks.timeoutMs", "WEBHOOKS_TIMEOUT_MS", "10000",
      "Most time one webhook request may take (connect to end of headers); past it the attempt failed"),
  WEBHOOKS_MAX_ATTEMPTS("webhooks.maxAttempts", "WEBHOOKS_MAX_ATTEMPTS", "10",
      "Attempts of one webhook delivery before it is a dead letter"),
  WEBHOOKS_BACKOFF_MS("webhooks.backoffMs", "WEBHOOKS_BACKOFF_MS", "5000",
      "Wait before a webhook's first retry; doubles with each attempt, at most one hour"),
  WEBHOOKS_CONCURRENCY("webhooks.concurrency", "WEBHOOKS_CONCURRENCY", "4",
      "Most requests in flight to one webhook endpoint, per message-service process"),
  WEBHOOKS_RATE_PER_SECOND("webhooks.ratePerSecond", "WEBHOOKS_RATE_PER_SECOND", "20",
      "Most requests started per second to one webhook endpoint, per message-service process"),
  WEBHOOKS_ALLOW_PRIVATE("webhooks.allowPrivate", "WEBHOOKS_ALLOW_PRIVATE", "false",
      "Allow webhook endpoints on loopback, private, link-local addresses (off: no SSRF through a tenant's settings)"),
  WEBHOOKS_SECRET_GRACE_SECONDS("webhooks.secretGraceSeconds", "WEBHOOKS_SECRET_GRACE_SECONDS", "86400",
      "After a webhook secret's rotation, how long the previous secret still signs requests too"),
  RECOVERY_MAX_MESSAGES("limits.recoveryMessages", "RECOVERY_MAX_MESSAGES", "100",
      "Most messages join-room returns in `missed` before `truncated`"),
  ROOM_MEMBERS_MAX("limits.roomMembers", "ROOM_MEMBERS_MAX", "10000",
      "Most members of one room: add-members past it answers MEMBER_LIMIT"),
  MEMORY_THRESHOLD_PERCENT("gateway.memoryThresholdPercent", "MEMORY_THRESHOLD_PERCENT", "85",
      "Heap use (percent of max) above which /socket-health reports degraded"),
  REQUEST_TIMEOUT_MS("gateway.requestTimeoutMs", "REQUEST_TIMEOUT_MS", "10000",
      "How long the gateway waits for message-service or presence-service"),
  WARMUP_CONNECTIONS("gateway.warmupConnections", "WARMUP_CONNECTIONS", "0",
      "Before it listens, a gateway makes this many short loopback connections to a private copy of its Socket.IO server, then as many joins of its warm-up tenant's rooms, so that it meets its first clients compiled (0: none; 5000 take about 10 s, each phase at most 30 s)"),
  REORDER_WINDOW_MS("gateway.reorderWindowMs", "REORDER_WINDOW_MS", "150",
      "Longest a gateway holds a room's confirmation until the lower seqs arrive; then it delivers what it holds, in seq order (0: arrival order)"),

  CALL_RING_TIMEOUT_MS("calls.ringTimeoutMs", "CALL_RING_TIMEOUT_MS", "30000",
      "How long a call rings; then its callees who did not answer are declined with reason timeout"),
  CALL_MAX_MEMBERS("calls.maxMembers", "CALL_MAX_MEMBERS", "8",
      "Most members of a room a call may be started in (each party connects to each other one); beyond, MEMBER_LIMIT"),
  CALL_SIGNAL_MAX_BYTES("calls.signalMaxBytes", "CALL_SIGNAL_MAX_BYTES", "32768",
      "Largest `payload` of a call-signal (an SDP offer or answer, an ICE candidate), in bytes of JSON"),
  CALL_ICE_SERVERS("calls.iceServers", "CALL_ICE_SERVERS", "[]",
      "The STUN (and TURN with fixed credentials) servers handed to callers and callees, a JSON array of RTCIceServer (empty: none, host candidates only, which do for one network)"),
  CALL_TURN_URLS("calls.turnUrls", "CALL_TURN_URLS", "",
      "TURN servers with time-limited credentials (TURN REST convention), comma separated, e.g. turn:turn.example.com:3478?transport=udp; needs CALL_TURN_SECRET"),
  CALL_TURN_SECRET("calls.turnSecret", "CALL_TURN_SECRET", "",
      "The secret shared with the TURN servers (coturn's static-auth-secret); each user gets a username and an HMAC-SHA1 credential valid CALL_TURN_TTL_SECONDS (empty: no TURN credentials)"),
  CALL_TURN_TTL_SECONDS("calls.turnTtlSeconds", "CALL_TURN_TTL_SECONDS", "86400",
      "How long the TURN credentials handed out with a call stay valid"),

  // Message service
  PG_URL("postgres.url", "PG_URL", "",
      "Postgres URI, e.g. postgresql://user:pass@host:5432/db (empty: embedded Postgres in dev mode)"),
  PG_POOL_SIZE("postgres.poolSize", "PG_POOL_SIZE", "8",
      "Postgres connections of each message-service instance for transactions (message writes); single statements share 2 more, pipelined"),
  MESSAGE_OPS_PORT("message.opsPort", "MESSAGE_OPS_PORT", "9101",
      "message-service port for /health, /ready, /metrics"),
  MESSAGE_INSTANCES("message.instances", "MESSAGE_INSTANCES", "0",
      "message-service verticle instances in this process, each with its own event loop and connections (0: one per core); one of them writes the messages"),
  PERSIST_BATCH_MAX("message.batchMax", "PERSIST_BATCH_MAX", "256",
      "Most messages written in one transaction (1 turns batching off)"),
  PERSIST_BATCH_WINDOW_MS("message.batchWindowMs", "PERSIST_BATCH_WINDOW_MS", "0",
      "Extra wait to fill a batch; 0 writes at once when the lane is idle and batches what arrives meanwhile"),
  PERSIST_LANES("message.lanes", "PERSIST_LANES", "4",
      "Concurrent write transactions per message-service (rooms are spread over lanes, in order per room)"),
  PERSIST_MAX_PENDING("message.maxPending", "PERSIST_MAX_PENDING", "20000",
      "Most messages waiting to be written; beyond, sends fail at once with PERSIST_FAILED"),
  PERSIST_DEADLINE_MS("message.deadlineMs", "PERSIST_DEADLINE_MS", "6000",
      "How long a message is retried while Postgres is unreachable before PERSIST_FAILED"),

  // Attachments (message-service keeps them; docs/operations.md, "Attachments")
  ATTACHMENTS_STORE("attachments.store", "ATTACHMENTS_STORE", "local",
      "Where uploaded files go: local (a directory, one-JVM default) or s3 (an S3-compatible object store)"),
  ATTACHMENTS_DIR("attachments.dir", "ATTACHMENTS_DIR", "",
      "Directory of the local store (empty: attachments under the data directory)"),
  S3_ENDPOINT("attachments.s3.endpoint", "S3_ENDPOINT", "",
      "S3 endpoint URL, path-style (empty: AWS's endpoint of S3_REGION)"),
  S3_REGION("attachments.s3.region", "S3_REGION", "us-east-1", "S3 region (signs the requests)"),
  S3_BUCKET("attachments.s3.bucket", "S3_BUCKET", "", "S3 bucket of the attachments; required with ATTACHMENTS_STORE=s3"),
  S3_ACCESS_KEY("attachments.s3.accessKey", "S3_ACCESS_KEY", "", "S3 access key id; required with ATTACHMENTS_STORE=s3"),
  S3_SECRET_KEY("attachments.s3.secretKey", "S3_SECRET_KEY", "", "S3 secret key (never logged); required with ATTACHMENTS_STORE=s3"),
  MAX_UPLOAD_BYTES("limits.uploadBytes", "MAX_UPLOAD_BYTES", "26214400",
      "Largest file create-upload accepts (bytes; default 25 MiB): larger answers UPLOAD_TOO_LARGE"),
  UPLOAD_CONTENT_TYPES("limits.uploadContentTypes", "UPLOAD_CONTENT_TYPES",
      "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain",
      "Content types create-upload accepts, comma separated, a type/* wildcard allowed: others answer UNSUPPORTED_TYPE"),
  UPLOAD_ORPHAN_HOURS("attachments.orphanHours", "UPLOAD_ORPHAN_HOURS", "24",
      "Hours an upload may stay unattached to any message before message-service deletes it, row and bytes, checked every RETENTION_INTERVAL_SECONDS (0: kept)"),

  // Presence service
  REDIS_URL("redis.url", "REDIS_URL", "",
      "Redis URI, e.g. redis://host:6379 (empty: embedded Redis in dev mode); with REDIS_MODE cluster or sentinel, the nodes' or sentinels' URIs, comma separated"),
  REDIS_MODE("redis.mode", "REDIS_MODE", "standalone",
      "standalone (one server), cluster (Redis Cluster) or sentinel (the master that Redis Sentinel names)"),
  REDIS_MASTER_NAME("redis.masterName", "REDIS_MASTER_NAME", "",
      "With REDIS_MODE=sentinel, the name of the master the sentinels monitor"),
  PRESENCE_OPS_PORT("presence.opsPort", "PRESENCE_OPS_PORT", "9102",
      "presence-service port for /health, /ready, /metrics"),
  PRESENCE_NODE_LEASE_MS("presence.nodeLeaseMs", "PRESENCE_NODE_LEASE_MS", "10000",
      "A gateway's lease in presence, renewed every third of it: when a gateway dies without goodbye, its users go offline within the lease plus about 1 s"),
  PRESENCE_STATUS_ROOM_ONLINE_MAX("presence.statusRoomOnlineMax", "PRESENCE_STATUS_ROOM_ONLINE_MAX", "250",
      "user-status-changed goes to the user's rooms with at most this many users online; larger rooms ask get-presence"),
  PRESENCE_TIMEOUT_MS("presence.timeoutMs", "PRESENCE_TIMEOUT_MS", "2000",
      "How long the gateway waits for presence-service at CONNECT (device limit; admitted beyond it) and for online counts");

  private final String path;
  private final String env;
  private final String defaultValue;
  private final String description;

  ConfigKey(String path, String env, String defaultValue, String description) {
    this.path = path;
    this.env = env;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** Dotted path in the YAML file. */
  public String path() {
    return path;
  }

  /** Environment variable that overrides the file. */
  public String env() {
    return env;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
