import { Banner } from "./Banner";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { RoomHeader } from "./RoomHeader";
import { Sidebar } from "./Sidebar";
import type { ChatStore } from "./store";
import { useStore } from "./useStore";

export function Chat({ store }: { store: ChatStore }) {
  const state = useStore(store);
  const room = state.current ? state.rooms.get(state.current) : undefined;
  return (
    <div class="chat">
      <Sidebar store={store} state={state} />
      <main class="room">
        <Banner store={store} state={state} />
        {state.notice && <p class="notice" role="alert">{state.notice}</p>}
        {room ? (
          <>
            <RoomHeader room={room} online={state.online} />
            <MessageList store={store} room={room} me={state.me} online={state.online} />
            <TypingLine names={[...room.typing.keys()]} />
            <Composer store={store} roomName={room.summary.name} />
          </>
        ) : (
          <p class="empty">Create a room or join one on the left.</p>
        )}
      </main>
    </div>
  );
}

function TypingLine({ names }: { names: string[] }) {
  const text = names.length === 0 ? "" : names.length === 1 ? `${names[0]} is typing…` : `${names.join(", ")} are typing…`;
  return <div class="typing" data-testid="typing-indicator" aria-live="polite">{text}</div>;
}
