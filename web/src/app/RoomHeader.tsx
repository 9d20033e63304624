import type { ComponentChildren, Ref } from "preact";
import { statusOf, type Presence, type RoomView, type UserStatus } from "./store";
import { SYSTEM } from "./timeline";
import { formatSeconds } from "./when";

interface Props {
  room: RoomView;
  presence: Presence;
  detailsOpen: boolean;
  buttonRef: Ref<HTMLButtonElement>;
  /** The room's name: focused when the room takes the screen of a phone. */
  titleRef: Ref<HTMLHeadingElement>;
  /** Unread messages in the other rooms, shown on the back control. */
  unreadElsewhere: number;
  /** Back to the room list (narrow screens only: the control is hidden on wide ones). */
  onBack: () => void;
  onDetails: () => void;
  /** More buttons before "Room details" (the call buttons). */
  actions?: ComponentChildren;
}

export function RoomHeader({ room, presence, detailsOpen, buttonRef, titleRef, unreadElsewhere, onBack, onDetails, actions }: Props) {
  const { summary } = room;
  const seen = new Set(room.lines.map((l) => l.senderId).filter((u) => u !== SYSTEM));
  const here = [...seen].filter((u) => presence.online.has(u));
  return (
    <header class="room-header">
      <button type="button" class="back" data-testid="back" onClick={onBack}
        aria-label={unreadElsewhere > 0 ? `Rooms, ${unreadElsewhere} unread` : "Rooms"}>
        <span aria-hidden="true">‹ Rooms</span>
        {unreadElsewhere > 0 && <span class="badge" aria-hidden="true">{unreadElsewhere}</span>}
      </button>
      <div class="room-heading">
        <h2 data-testid="room-title" tabIndex={-1} ref={titleRef}>{summary.name}</h2>
        {summary.archived && <span class="tag" data-testid="archived-badge">archived</span>}
        {room.moderation.slowMode > 0 && (
          <span class="tag tag-slow" data-testid="slow-mode-badge" data-seconds={room.moderation.slowMode}
            title={`Slow mode: a member sends one message every ${formatSeconds(room.moderation.slowMode)}; owners and admins are exempt`}>
            slow mode · {formatSeconds(room.moderation.slowMode)}
          </span>
        )}
        <span class="muted">{summary.kind} · <span data-testid="room-members">{summary.members} {summary.members === 1 ? "member" : "members"}</span><span class="room-id"> · <code>{summary.id}</code></span></span>
        <span class="online-list" data-testid="online-list">
          {here.map((u) => <span class="chip" key={u}><PresenceDot status={statusOf(presence, u)} />{u}</span>)}
        </span>
        {summary.topic && <p class="topic" data-testid="room-topic">{summary.topic}</p>}
      </div>
      {actions}
      <button type="button" class="header-button" ref={buttonRef} data-testid="room-details" aria-expanded={detailsOpen}
        aria-controls="room-panel" onClick={onDetails}>Room details</button>
    </header>
  );
}

/** Green when online, hollow amber when away (connected, page hidden or idle), grey when offline. */
export function PresenceDot({ status }: { status: UserStatus }) {
  return <span class={status === "offline" ? "dot" : status === "away" ? "dot dot-away" : "dot dot-on"} data-testid="presence-dot"
    data-online={String(status !== "offline")} data-away={String(status === "away")} title={status} />;
}
