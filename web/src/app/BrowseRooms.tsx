import { useEffect, useRef, useState } from "preact/hooks";
import { keepFocusIn } from "./focus";
import type { RoomSummary } from "../lib";
import { errorText } from "./errorText";
import type { ChatStore } from "./store";

/** Rooms per page of `search-rooms`. */
export const PAGE = 20;
const TYPING_PAUSE_MS = 250;

/**
 * The tenant's public rooms by name (`search-rooms`), a page at a time, to open or join. A modal
 * dialog: the search field has the focus, Escape closes it.
 */
export function BrowseRooms({ store, onClose }: { store: ChatStore; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [rooms, setRooms] = useState<RoomSummary[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [searched, setSearched] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const latest = useRef(0);
  const pause = useRef<ReturnType<typeof setTimeout>>();

  /** A page of the rooms matching `q`: the first, or the one after `after`. Only the latest search shows. */
  const search = async (q: string, after?: string) => {
    const ask = ++latest.current;
    setLoading(true);
    setError("");
    try {
      const page = await store.client.request("search-rooms", { ...(q ? { query: q } : {}), ...(after ? { after } : {}), limit: PAGE });
      if (ask !== latest.current) return;
      setRooms((shown) => (after ? [...shown, ...page.rooms] : page.rooms));
      setNext(page.next);
      setSearched(q);
    } catch (e) {
      if (ask === latest.current) setError(`Could not search the rooms: ${errorText(e)}`);
    } finally {
      if (ask === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    field.current?.focus();
    void search("");
    return () => clearTimeout(pause.current);
  }, []);

  const typed = (value: string) => {
    setQuery(value);
    clearTimeout(pause.current);
    pause.current = setTimeout(() => void search(value.trim()), TYPING_PAUSE_MS);
  };

  const join = async (room: RoomSummary) => {
    await store.joinRoom(room);
    if (store.state.rooms.has(room.id)) return onClose();
    setError(`Could not join «${room.name}»: ${store.state.notice?.text ?? "try again"}`);
  };

  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div onKeyDown={keepFocusIn} class="dialog browse" role="dialog" aria-modal="true" aria-labelledby="browse-title" data-testid="browse-dialog">
        <div class="panel-header">
          <h2 id="browse-title">Public rooms</h2>
          <button type="button" class="small" aria-label="Close" data-testid="close-browse" onClick={onClose}>×</button>
        </div>
        <form role="search" class="row" onSubmit={(e) => {
          e.preventDefault();
          clearTimeout(pause.current);
          void search(query.trim());
        }}>
          <input ref={field} type="search" name="search-rooms" data-testid="search-input" aria-label="Search public rooms by name"
            placeholder="Search by name" value={query} maxLength={100} onInput={(e) => typed(e.currentTarget.value)} />
          <button type="submit">Search</button>
        </form>
        {error && <p class="error" role="alert">{error}</p>}
        <ul class="results" data-testid="search-results" aria-busy={loading ? "true" : "false"}>
          {rooms.map((r) => {
            const mine = store.state.rooms.has(r.id);
            return (
              <li key={r.id} class="result" data-testid="search-result" data-room-name={r.name}>
                <div class="result-text">
                  <strong># {r.name}</strong> <span class="muted">{r.members} {r.members === 1 ? "member" : "members"}</span>
                  {r.archived && <span class="tag">archived</span>}
                  {r.topic && <div class="muted small-text">{r.topic}</div>}
                </div>
                <button type="button" data-testid="search-join" data-room-name={r.name} onClick={() => void join(r)}>
                  {mine ? "Open" : "Join"}
                </button>
              </li>
            );
          })}
          {!loading && searched !== null && rooms.length === 0 && (
            <li class="muted" data-testid="no-results">{searched ? `No public room has «${searched}» in its name.` : "No public rooms yet."}</li>
          )}
        </ul>
        {next && (
          <button type="button" data-testid="search-more" disabled={loading} onClick={() => void search(searched ?? "", next)}>
            More rooms
          </button>
        )}
      </div>
    </div>
  );
}
