import { useRef, useState } from "preact/hooks";
import { Banner } from "./Banner";
import { BlockedUsers } from "./BlockedUsers";
import { BrowseRooms } from "./BrowseRooms";
import { CallButtons, CallPanel, useCalls } from "./CallPanel";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { RoomHeader } from "./RoomHeader";
import { RoomPanel } from "./RoomPanel";
import { Sidebar } from "./Sidebar";
import type { ChatStore, Notice } from "./store";
import { useStore } from "./useStore";

export function Chat({ store }: { store: ChatStore }) {
  const state = useStore(store);
  const calls = useCalls(store);
  const room = state.current ? state.rooms.get(state.current) : undefined;
  // The details panel belongs to the room it was opened for: it closes when another room shows.
  const [detailsOf, setDetailsOf] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState(false);
  const [blocks, setBlocks] = useState(false);
  const detailsButton = useRef<HTMLButtonElement>(null);
  const browseButton = useRef<HTMLButtonElement>(null);
  const blocksButton = useRef<HTMLButtonElement>(null);
  const details = room && detailsOf === room.summary.id;
  const closeDetails = () => {
    setDetailsOf(null);
    detailsButton.current?.focus();
  };
  return (
    <div class={details ? "chat with-panel" : "chat"}>
      <Sidebar store={store} state={state} browseRef={browseButton} onBrowse={() => setBrowsing(true)}
        blocksRef={blocksButton} onBlocks={() => setBlocks(true)} />
      <main class="room">
        <Banner store={store} state={state} />
        {state.notice && <NoticeLine notice={state.notice} onDismiss={() => store.dismissNotice()} />}
        {room ? (
          <>
            <RoomHeader room={room} online={state.online} detailsOpen={!!details} buttonRef={detailsButton}
              onDetails={() => (details ? closeDetails() : setDetailsOf(room.summary.id))}
              actions={<CallButtons calls={calls} room={room} />} />
            <MessageList store={store} room={room} me={state.me} online={state.online} />
            <TypingLine names={[...room.typing.keys()]} />
            <Composer store={store} room={room} me={state.me} />
          </>
        ) : (
          <p class="empty">Create a room or join one on the left.</p>
        )}
      </main>
      {details && <RoomPanel key={room.summary.id} store={store} room={room} me={state.me} onClose={closeDetails} />}
      {browsing && <BrowseRooms store={store} onClose={() => {
        setBrowsing(false);
        browseButton.current?.focus();
      }} />}
      <CallPanel calls={calls} />
      {blocks && <BlockedUsers store={store} onClose={() => {
        setBlocks(false);
        blocksButton.current?.focus();
      }} />}
    </div>
  );
}

function NoticeLine({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  return (
    <div class={`notice notice-${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="notice"
      data-kind={notice.kind}>
      <span>{notice.text}</span>
      <button type="button" aria-label="Dismiss" onClick={onDismiss}>×</button>
    </div>
  );
}

function TypingLine({ names }: { names: string[] }) {
  const text = names.length === 0 ? "" : names.length === 1 ? `${names[0]} is typing…` : `${names.join(", ")} are typing…`;
  return <div class="typing" data-testid="typing-indicator" aria-live="polite">{text}</div>;
}
