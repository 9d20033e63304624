/** The parts of `GET /socket-metrics` the console charts. */
export interface SocketMetrics {
  node: string;
  performance: {
    latency: Percentiles;
    ackLatency: Percentiles;
    throughput: { eventsPerSecond: number; messagesPerSecond: number };
  };
  connections: { total: number; byTenant: Record<string, number>; byTransport: Record<string, number> };
  rooms: number;
  memory: { used: number; max: number; usage: number };
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  count: number;
}

export interface Sample {
  at: number;
  connections: number;
  messagesPerSecond: number;
  messagesTotal: number;
  delivery: Percentiles;
  ack: Percentiles;
}

/** How many one-second samples the charts keep: the last two minutes. */
export const WINDOW = 120;

/** `/socket-metrics` on the gateway's public port, which shows its figures only to the operator's token. */
export async function fetchMetrics(token: string, signal?: AbortSignal): Promise<SocketMetrics> {
  const res = await fetch("/socket-metrics", { signal, cache: "no-store", headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`/socket-metrics: HTTP ${res.status}`);
  return res.json();
}

export function toSample(m: SocketMetrics, at = Date.now()): Sample {
  return {
    at, connections: m.connections.total, messagesPerSecond: m.performance.throughput.messagesPerSecond,
    messagesTotal: m.performance.ackLatency.count, delivery: m.performance.latency, ack: m.performance.ackLatency,
  };
}

export function append(samples: Sample[], s: Sample): Sample[] {
  const next = [...samples, s];
  return next.length > WINDOW ? next.slice(next.length - WINDOW) : next;
}
