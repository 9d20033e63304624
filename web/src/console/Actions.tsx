import { useState } from "preact/hooks";
import { disconnectUser, drain } from "./admin";

/** The admin actions that exist: disconnect a user's sockets everywhere; drain the node that serves this page. */
export function Actions({ token }: { token: string }) {
  const [userId, setUserId] = useState("");
  const [tenant, setTenant] = useState("");
  const [result, setResult] = useState("");

  const disconnect = async (e: Event) => {
    e.preventDefault();
    try {
      const n = await disconnectUser(token, userId.trim(), tenant.trim() || undefined);
      setResult(`Disconnected ${n} socket${n === 1 ? "" : "s"} of ${userId.trim()}.`);
    } catch (err) {
      setResult(`Disconnect failed: ${(err as Error).message}`);
    }
  };
  const drainNode = async () => {
    if (!window.confirm("Drain this node? It stops accepting clients and tells connected ones to go elsewhere.")) return;
    try {
      setResult(`Node ${(await drain(token)).node} is draining.`);
    } catch (err) {
      setResult(`Drain failed: ${(err as Error).message}`);
    }
  };

  return (
    <section class="actions-panel">
      <h2>Actions</h2>
      <form onSubmit={disconnect} data-testid="disconnect-form">
        <input name="user-id" placeholder="User id" value={userId} onInput={(e) => setUserId(e.currentTarget.value)} />
        <input name="tenant" placeholder="Tenant (optional)" value={tenant} onInput={(e) => setTenant(e.currentTarget.value)} />
        <button type="submit" disabled={!userId.trim()}>Disconnect user</button>
      </form>
      <button type="button" class="danger" data-testid="drain" onClick={drainNode}>Drain this node</button>
      {result && <p data-testid="action-result" role="status">{result}</p>}
    </section>
  );
}
