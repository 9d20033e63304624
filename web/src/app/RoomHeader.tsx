import type { RoomView } from "./store";

export function RoomHeader({ room, online }: { room: RoomView; online: Set<string> }) {
  const { summary } = room;
  const seen = new Set(room.lines.map((l) => l.senderId));
  const here = [...seen].filter((u) => online.has(u));
  return (
    <header class="room-header">
      <h2 data-testid="room-title">{summary.name}</h2>
      <span class="muted">{summary.kind} · {summary.members} {summary.members === 1 ? "member" : "members"} · <code>{summary.id}</code></span>
      <span class="online-list" data-testid="online-list">
        {here.map((u) => <span class="chip" key={u}><PresenceDot online />{u}</span>)}
      </span>
    </header>
  );
}

export function PresenceDot({ online }: { online: boolean }) {
  return <span class={online ? "dot dot-on" : "dot"} data-testid="presence-dot" data-online={String(online)}
    title={online ? "online" : "offline"} />;
}
