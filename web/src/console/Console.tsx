import { useState } from "preact/hooks";
import { Actions } from "./Actions";
import { busiestRooms, nodes } from "./admin";
import { Sparkline } from "./Sparkline";
import { useMetrics, usePoll } from "./useMetrics";

const TOKEN_KEY = "switchboard.adminToken";

/** The operator console: with the admin token, live charts from /socket-metrics and the cluster's nodes, rooms and actions. */
export function Console() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? "");
  const { latest, samples, error } = useMetrics(token);
  const [draft, setDraft] = useState(token);
  const cluster = usePoll(() => (token ? nodes(token) : Promise.resolve(null)), 3000, [token]);
  const rooms = usePoll(() => (token ? busiestRooms(token) : Promise.resolve(null)), 3000, [token]);

  const saveToken = (e: Event) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, draft.trim());
    setToken(draft.trim());
  };
  const pct = (key: "delivery" | "ack", p: "p50" | "p95" | "p99") => samples.map((s) => s[key][p]);

  return (
    <div class="console">
      <header class="console-header">
        <h1>Switchboard console</h1>
        <span class="muted" data-testid="node">{latest ? `node ${latest.node}` : "…"}</span>
        <form class="token" onSubmit={saveToken}>
          <input type="password" name="admin-token" placeholder="Admin token" value={draft} autoComplete="off"
            onInput={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit">Use token</button>
        </form>
      </header>
      <main>
        {error && <p class="error" role="alert">{error}</p>}
        <section class="tiles">
          <Tile label="Connections" testId="connections" value={latest?.connections.total} />
          <Tile label="Messages acked" testId="messages-total" value={latest?.performance.ackLatency.count} />
          <Tile label="Messages / s" testId="messages-per-second" value={latest?.performance.throughput.messagesPerSecond} />
          <Tile label="Rooms" testId="rooms" value={latest?.rooms} />
          <Tile label="Heap used" testId="memory" value={latest ? `${latest.memory.usage}%` : undefined} />
        </section>
        <section class="charts">
          <Sparkline title="Connections" unit="" testId="chart-connections"
            series={[{ name: "total", values: samples.map((s) => s.connections) }]} />
          <Sparkline title="Messages per second" unit="/ s" testId="chart-messages"
            series={[{ name: "rate", values: samples.map((s) => s.messagesPerSecond) }]} />
          <Sparkline title="Delivery latency" unit="ms" testId="chart-delivery"
            series={(["p50", "p95", "p99"] as const).map((p) => ({ name: p, values: pct("delivery", p) }))} />
          <Sparkline title="Ack latency" unit="ms" testId="chart-ack"
            series={(["p50", "p95", "p99"] as const).map((p) => ({ name: p, values: pct("ack", p) }))} />
        </section>
        {!token ? (
          <p class="muted">Enter the admin token (<code>ADMIN_TOKEN</code>) to see the charts and the cluster's nodes and rooms, and to act on them.</p>
        ) : (
          <div class="admin">
            <section>
              <h2>Nodes</h2>
              {cluster.error && <p class="error">{cluster.error}</p>}
              <table data-testid="nodes">
                <thead><tr><th>Node</th><th>Connections</th><th>Rooms</th></tr></thead>
                <tbody>
                  {cluster.value?.map((n) => <tr key={n.node}><td>{n.node}</td><td>{n.connections}</td><td>{n.rooms}</td></tr>)}
                </tbody>
              </table>
            </section>
            <section>
              <h2>Rooms by members online</h2>
              {rooms.error && <p class="error">{rooms.error}</p>}
              <table data-testid="busiest-rooms">
                <thead><tr><th>Room</th><th>Sockets</th></tr></thead>
                <tbody>
                  {rooms.value?.map((r) => <tr key={r.roomId}><td><code>{r.roomId}</code></td><td>{r.sockets}</td></tr>)}
                </tbody>
              </table>
            </section>
            <Actions token={token} />
          </div>
        )}
      </main>
    </div>
  );
}

function Tile({ label, value, testId }: { label: string; value: number | string | undefined; testId: string }) {
  return (
    <div class="tile">
      <span class="muted">{label}</span>
      <b data-testid={testId}>{value ?? "–"}</b>
    </div>
  );
}
