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
  CLUSTER_KUBERNETES("cluster.kubernetes", "CLUSTER_KUBERNETES", "false",
      "Discover members through the Kubernetes API instead of the member list"),
  CLUSTER_KUBERNETES_SERVICE("cluster.kubernetesService", "CLUSTER_KUBERNETES_SERVICE", "switchboard-hazelcast",
      "Headless service whose endpoints are the cluster members"),
  DATA_DIR("dataDir", "SWITCHBOARD_DATA_DIR", ".switchboard",
      "Where the embedded Postgres keeps its data (dev mode)"),
  SHUTDOWN_GRACE_MS("shutdown.graceMs", "SHUTDOWN_GRACE_MS", "20000",
      "Longest time a graceful shutdown waits for in-flight work"),

  // Gateway
  HTTP_HOST("gateway.host", "HOST", "0.0.0.0", "Address the gateway listens on"),
  HTTP_PORT("gateway.port", "PORT", "3000", "Gateway port: Socket.IO, /api/publish, ops endpoints"),
  JWT_SECRET("auth.jwtSecret", "JWT_SECRET", "", "HS256 secret for client tokens"),
  JWT_PUBLIC_KEY("auth.jwtPublicKey", "JWT_PUBLIC_KEY", "",
      "RS256 public key (PEM text or a path to a PEM file) for client tokens"),
  JWT_ISSUER("auth.issuer", "JWT_ISSUER", "", "Required `iss` claim (empty: not checked)"),
  JWT_AUDIENCE("auth.audience", "JWT_AUDIENCE", "", "Required `aud` claim (empty: not checked)"),
  SERVICE_TOKEN("auth.serviceToken", "SERVICE_TOKEN", "",
      "Bearer token other services use for POST /api/publish (empty: the endpoint answers 403)"),
  DEV_MODE("devMode", "SWITCHBOARD_DEV_MODE", "auto",
      "auto: on when no JWT secret or key is set; on: mint tokens at /dev/token; off"),
  CORS_ORIGINS("gateway.corsOrigins", "CORS_ORIGINS", "*", "Allowed browser origins, comma separated"),
  PING_INTERVAL_MS("gateway.pingIntervalMs", "PING_INTERVAL_MS", "25000", "Engine.IO ping interval"),
  PING_TIMEOUT_MS("gateway.pingTimeoutMs", "PING_TIMEOUT_MS", "20000", "Engine.IO pong timeout"),
  MAX_PAYLOAD_BYTES("gateway.maxPayloadBytes", "MAX_PAYLOAD_BYTES", "1000000",
      "Largest Engine.IO payload a client may send"),
  MAX_CONNECTIONS_PER_USER("limits.connectionsPerUser", "MAX_CONNECTIONS_PER_USER", "3",
      "Devices one user may connect at once, cluster-wide"),
  MAX_BODY_CHARS("limits.bodyChars", "MAX_BODY_CHARS", "4000", "Longest message body after trimming"),
  RECOVERY_MAX_MESSAGES("limits.recoveryMessages", "RECOVERY_MAX_MESSAGES", "100",
      "Most messages join-room returns in `missed` before `truncated`"),
  REQUEST_TIMEOUT_MS("gateway.requestTimeoutMs", "REQUEST_TIMEOUT_MS", "10000",
      "How long the gateway waits for message-service or presence-service"),

  // Message service
  PG_URL("postgres.url", "PG_URL", "",
      "Postgres URI, e.g. postgresql://user:pass@host:5432/db (empty: embedded Postgres in dev mode)"),
  PG_POOL_SIZE("postgres.poolSize", "PG_POOL_SIZE", "8", "Postgres connections per message-service"),
  MESSAGE_OPS_PORT("message.opsPort", "MESSAGE_OPS_PORT", "9101",
      "message-service port for /health, /ready, /metrics"),

  // Presence service
  REDIS_URL("redis.url", "REDIS_URL", "",
      "Redis URI, e.g. redis://host:6379 (empty: embedded Redis in dev mode)"),
  PRESENCE_OPS_PORT("presence.opsPort", "PRESENCE_OPS_PORT", "9102",
      "presence-service port for /health, /ready, /metrics"),
  PRESENCE_NODE_LEASE_MS("presence.nodeLeaseMs", "PRESENCE_NODE_LEASE_MS", "10000",
      "A gateway's lease in presence, renewed every third of it: when a gateway dies without goodbye, its users go offline within the lease plus about 1 s"),
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
