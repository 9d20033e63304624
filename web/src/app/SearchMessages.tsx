import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatMessage } from "../lib";
import { errorText } from "./errorText";
import { keepFocusIn } from "./focus";
import type { ChatStore } from "./store";

/** Results per page of `search-messages`. */
const PAGE = 20;

/**
 * Searches the messages of the user's rooms (`search-messages`): words, "a phrase", `-word`. Best
 * first; a result opens its room. A modal dialog: the field has the focus, Escape closes it.
 */
export function SearchMessages({ store, onClose }: { store: ChatStore; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<ChatMessage[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [searched, setSearched] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);

  const search = async (q: string, after?: string) => {
    if (!q) return;
    setLoading(true);
    setError("");
    try {
      const page = await store.client.searchMessages(q, { limit: PAGE, ...(after ? { after } : {}) });
      const found = page.results.map((r) => r.message);
      setResults((shown) => (after ? [...shown, ...found] : found));
      setNext(page.next);
      setSearched(q);
    } catch (e) {
      setError(`Could not search: ${errorText(e)}`);
    } finally {
      setLoading(false);
    }
  };

  const open = (m: ChatMessage) => {
    void store.open(m.roomId);
    onClose();
  };
  const roomName = (id: string) => store.state.rooms.get(id)?.summary.name ?? "a room";

  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div onKeyDown={keepFocusIn} class="dialog browse" role="dialog" aria-modal="true" aria-labelledby="search-title"
        data-testid="search-messages-dialog">
        <div class="panel-header">
          <h2 id="search-title">Search messages</h2>
          <button type="button" class="small" aria-label="Close" data-testid="close-search" onClick={onClose}>×</button>
        </div>
        <form role="search" class="row" onSubmit={(e) => {
          e.preventDefault();
          void search(query.trim());
        }}>
          <input ref={field} type="search" name="search-messages" data-testid="message-search-input" maxLength={200}
            aria-label="Search the messages of your rooms" placeholder='Words, "a phrase", -word' value={query}
            onInput={(e) => setQuery(e.currentTarget.value)} />
          <button type="submit" disabled={!query.trim()}>Search</button>
        </form>
        {error && <p class="error" role="alert">{error}</p>}
        <ul class="results" data-testid="message-search-results" aria-busy={loading ? "true" : "false"}>
          {results.map((m) => (
            <li key={m.id} class="result" data-testid="message-search-result">
              <div class="result-text">
                <strong>{m.senderName ?? m.senderId}</strong>{" "}
                <span class="muted small-text"># {roomName(m.roomId)} · {new Date(m.createdAt).toLocaleString()}</span>
                <div class="small-text" data-testid="message-search-body">{m.body}</div>
              </div>
              <button type="button" data-testid="message-search-open" onClick={() => open(m)}>Open</button>
            </li>
          ))}
          {!loading && searched && results.length === 0 && (
            <li class="muted" data-testid="no-message-results">No message of your rooms matches «{searched}».</li>
          )}
        </ul>
        {next && <button type="button" disabled={loading} onClick={() => void search(searched ?? "", next)}>More results</button>}
      </div>
    </div>
  );
}
