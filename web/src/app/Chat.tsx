import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { Banner } from "./Banner";
import { BlockedUsers } from "./BlockedUsers";
import { BrowseRooms } from "./BrowseRooms";
import { CallButtons, CallPanel, useCalls } from "./CallPanel";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { RoomHeader } from "./RoomHeader";
import { RoomPanel } from "./RoomPanel";
import { SearchMessages } from "./SearchMessages";
import { ThreadPanel } from "./ThreadPanel";
import { Sidebar } from "./Sidebar";
import type { ChatStore, Notice } from "./store";
import { NARROW, useMedia, useStore } from "./useStore";

const TITLE = "Switchboard";

export function Chat({ store }: { store: ChatStore }) {
  const state = useStore(store);
  const calls = useCalls(store);
  const room = state.current ? state.rooms.get(state.current) : undefined;
  // The details panel belongs to the room it was opened for: it closes when another room shows.
  const [detailsOf, setDetailsOf] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState(false);
  const [blocks, setBlocks] = useState(false);
  const [searching, setSearching] = useState(false);
  /** The thread open beside the room: its room and its first message. */
  const [thread, setThread] = useState<{ roomId: string; rootId: string } | null>(null);
  const searchButton = useRef<HTMLButtonElement>(null);
  const detailsButton = useRef<HTMLButtonElement>(null);
  const browseButton = useRef<HTMLButtonElement>(null);
  const blocksButton = useRef<HTMLButtonElement>(null);
  const details = room && detailsOf === room.summary.id;
  const threadRoot = room && thread?.roomId === room.summary.id ? thread.rootId : null;
  const closeDetails = () => {
    setDetailsOf(null);
    detailsButton.current?.focus();
  };

  // On a narrow screen: the room list first; a room the user opens, joins or creates takes the screen,
  // and the back control returns to the list. On a wide screen both show, as the class changes nothing.
  const narrow = useMedia(NARROW);
  const [view, setView] = useState<"list" | "room">("list");
  const shownRoom = useRef(state.current);
  useEffect(() => {
    if (state.current === shownRoom.current) return;
    shownRoom.current = state.current;
    setView(state.current ? "room" : "list");
  }, [state.current]);
  const inView = !narrow || view === "room";
  useEffect(() => store.setRoomInView(inView), [inView]);
  // Focus follows a change of view, so that a keyboard or screen reader user lands in the new one.
  const title = useRef<HTMLHeadingElement>(null);
  const firstView = useRef(true);
  useLayoutEffect(() => {
    if (firstView.current || !narrow) return void (firstView.current = false);
    if (view === "room") title.current?.focus();
    else (document.querySelector<HTMLElement>(".room-item.active") ?? document.querySelector<HTMLElement>(".room-item"))?.focus();
  }, [view]);

  // The unread count in the tab's title, for a tab in the background.
  const unread = [...state.rooms.values()].reduce((n, r) => n + r.summary.unread, 0);
  useEffect(() => void (document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE), [unread]);
  useEffect(() => () => void (document.title = TITLE), []);

  const open = (roomId: string) => {
    setView("room");
    void store.open(roomId);
  };
  // A click on a push notification (public/sw.js): the room it was about, by message or by address.
  useEffect(() => {
    const fromAddress = () => {
      const roomId = roomInAddress();
      if (!roomId) return;
      history.replaceState(null, "", `${location.pathname}${location.search}`);
      open(roomId);
    };
    const fromWorker = (e: MessageEvent) => e.data?.type === "open-room" && typeof e.data.roomId === "string" && open(e.data.roomId);
    fromAddress();
    window.addEventListener("hashchange", fromAddress);
    navigator.serviceWorker?.addEventListener("message", fromWorker);
    return () => {
      window.removeEventListener("hashchange", fromAddress);
      navigator.serviceWorker?.removeEventListener("message", fromWorker);
    };
  }, []);
  const classes = ["chat", (details || threadRoot) && "with-panel", `view-${view}`].filter(Boolean).join(" ");
  const listOnly = narrow && view === "list";
  // The connection's banner and the last notice (a room removed, a request refused) head whichever view shows.
  const alerts = (
    <>
      <Banner store={store} state={state} />
      {state.notice && <NoticeLine notice={state.notice} onDismiss={() => store.dismissNotice()} />}
    </>
  );
  return (
    <div class={classes}>
      <header class="sr-only"><h1>Switchboard</h1></header>
      <Sidebar store={store} state={state} onOpen={open} listOnly={listOnly} alerts={listOnly && alerts}
        browseRef={browseButton} onBrowse={() => setBrowsing(true)} blocksRef={blocksButton} onBlocks={() => setBlocks(true)}
        searchRef={searchButton} onSearch={() => setSearching(true)} />
      <main class="room">
        {!listOnly && alerts}
        {room ? (
          <>
            <RoomHeader room={room} presence={state} detailsOpen={!!details} buttonRef={detailsButton} titleRef={title}
              unreadElsewhere={unread - room.summary.unread} onBack={() => setView("list")}
              onDetails={() => (details ? closeDetails() : setDetailsOf(room.summary.id))}
              actions={<CallButtons calls={calls} room={room} />} />
            <MessageList store={store} room={room} me={state.me} presence={state} onThread={(rootId) => {
              setDetailsOf(null);
              setThread({ roomId: room.summary.id, rootId });
            }} />
            <TypingLine names={[...room.typing.keys()]} />
            {/* Keyed: a draft and its uploads belong to their room. */}
            <Composer key={room.summary.id} store={store} room={room} me={state.me} />
          </>
        ) : (
          <p class="empty">Create a room or join one in the room list.</p>
        )}
      </main>
      {details && <RoomPanel key={room.summary.id} store={store} room={room} me={state.me} onClose={closeDetails} />}
      {!details && room && threadRoot && (
        <ThreadPanel key={threadRoot} store={store} room={room} rootId={threadRoot} me={state.me} presence={state}
          onClose={() => setThread(null)} />
      )}
      {searching && <SearchMessages store={store} onClose={() => {
        setSearching(false);
        searchButton.current?.focus();
      }} />}
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
  return <div class="typing" data-testid="typing-indicator" role="status">{text}</div>;
}

/** The room of an address `…#room=<roomId>` (what a push notification opens), if it is one. */
function roomInAddress(): string | null {
  const m = /^#room=([^&]+)$/.exec(location.hash);
  try {
    return m ? decodeURIComponent(m[1]) : null;
  } catch {
    return null;
  }
}
