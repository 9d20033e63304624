import type { ChatMessage, SwitchboardClient } from "../lib";
import { errorText } from "./errorText";
import * as M from "./membership";
import { merge } from "./moderation";
import type { ChatState, Invite, RoomView } from "./store";

/** What RoomChanges needs of the chat store it belongs to. */
export interface RoomHost {
  readonly client: SwitchboardClient;
  readonly state: ChatState;
  edit(roomId: string, change: (room: RoomView) => void): void;
  /** `count` messages arrived in the room: unread, or marked read when the room is open. */
  arrived(room: RoomView, count: number): void;
  changed(): void;
  loadRooms(): Promise<void>;
  open(roomId: string): Promise<void>;
}

/** What accepting an invitation answers, in the words of the person who opened the link. */
const INVITE_ERRORS: Record<string, string> = {
  NOT_FOUND: "This invitation link is not valid any more: it expired, was used up or was revoked.",
  FORBIDDEN: "You are banned from this room.",
};

/**
 * The rooms people run (docs/protocol.md, "Membership and roles"), in the chat app: the events of
 * rooms' changes, each shown in the timeline as its system message, and the requests that make them.
 * A room the user is added to appears in the sidebar; one they are removed from, banned from, quit
 * or that is deleted disappears, with a notice that says why. Members, name, topic and the archived
 * state follow the events live; a request's failure is thrown for the view that asked to show.
 */
export class RoomChanges {
  constructor(private readonly host: RoomHost) {
    const c = host.client;
    const me = () => host.state.me;
    c.on("room-member-added", (e) => {
      // The event names no room: list-rooms brings its name, and the room is joined.
      if (!host.state.rooms.has(e.roomId)) return void host.loadRooms().catch(() => {});
      this.changedBy(e, (r) => {
        if (r.members) r.members = M.withAdded(r.members, e.members);
        r.summary.members += e.members.length;
        e.members.forEach((m) => r.banned.delete(m.userId));
      });
    });
    c.on("room-member-removed", (e) => {
      if (e.userId !== me()) return this.changedBy(e, (r) => memberGone(r, e.userId));
      this.drop(e.roomId, (name) => (e.reason === "left" ? `You left «${name}».` : `${e.actorId} removed you from «${name}».`));
    });
    c.on("room-member-banned", (e) => {
      if (e.userId === me()) return this.drop(e.roomId, (name) => `${e.actorId} banned you from «${name}».`);
      this.changedBy(e, (r) => {
        r.banned.add(e.userId);
        if (e.wasMember) memberGone(r, e.userId);
      });
    });
    c.on("room-member-unbanned", (e) => this.changedBy(e, (r) => r.banned.delete(e.userId)));
    c.on("room-member-role-changed", (e) => this.changedBy(e, (r) => {
      if (r.members) r.members = M.withRoles(r.members, e.changes);
    }));
    c.on("room-updated", (e) => {
      this.changedBy(e, (r) => Object.assign(r.summary, { name: e.name, topic: e.topic }));
      this.knowRole(e.roomId);
    });
    // The mute is also taken from the events' messages (merge), as history brings them; list-members
    // tells the mutes set before the page knew the room, and these keep its list current.
    c.on("room-member-muted", (e) => this.changedBy(e, (r) => {
      if (r.members) r.members = M.withMute(r.members, e.userId, e.mutedUntil);
    }));
    c.on("room-member-unmuted", (e) => this.changedBy(e, (r) => {
      if (r.members) r.members = M.withMute(r.members, e.userId, undefined);
    }));
    c.on("room-archived", (e) => this.changedBy(e, (r) => (r.summary.archived = true)));
    c.on("room-unarchived", (e) => this.changedBy(e, (r) => (r.summary.archived = false)));
    c.on("room-deleted", (e) => this.drop(e.roomId, (name) =>
      (e.actorId === me() ? `You deleted «${name}».` : `${e.actorId} deleted «${name}».`)));
  }

  /** Accepts an invitation (the token of an invite link), then shows its room; a failure becomes the notice. */
  async acceptInvite(token: string): Promise<void> {
    try {
      const { roomId } = await this.host.client.request("accept-invite", { token });
      await this.host.loadRooms();
      await this.host.open(roomId);
    } catch (e) {
      this.host.state.notice = { kind: "error", text: `The invitation could not be accepted. ${errorText(e, INVITE_ERRORS)}` };
      this.host.changed();
    }
  }

  /** The room's members with their roles, listed again (the events keep the list up to date after). */
  async loadMembers(roomId: string): Promise<void> {
    const members = await this.host.client.listMembers(roomId);
    this.host.edit(roomId, (r) => {
      r.members = members;
      // Joins of public rooms are not announced: the count in the header may be behind.
      r.summary.members = members.length;
    });
  }

  /** In slow mode, whether it applies to the user depends on their role: the members are listed once to know it. */
  knowRole(roomId: string): void {
    const room = this.host.state.rooms.get(roomId);
    if (room && room.moderation.slowMode > 0 && room.members == null) this.loadMembers(roomId).catch(() => {});
  }

  /** Leaves the room for good, on every device. */
  async quitRoom(roomId: string): Promise<void> {
    await this.host.client.quitRoom(roomId);
    this.drop(roomId, (name) => `You left «${name}».`);
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.host.client.deleteRoom(roomId);
    this.drop(roomId, (name) => `You deleted «${name}».`);
  }

  /** An invitation link to the room; its token is shown once, so the page keeps it. */
  async createInvite(roomId: string, expiresInSeconds: number, maxUses?: number): Promise<Invite> {
    const ack = await this.host.client.request("create-invite", maxUses ? { roomId, expiresInSeconds, maxUses } : { roomId, expiresInSeconds });
    const invite = { token: ack.token, link: inviteLink(ack.token), expiresAt: ack.expiresAt, maxUses: ack.maxUses };
    this.host.edit(roomId, (r) => r.invites.unshift(invite));
    return invite;
  }

  async revokeInvite(roomId: string, token: string): Promise<void> {
    await this.host.client.request("revoke-invite", { roomId, token });
    this.host.edit(roomId, (r) => (r.invites = r.invites.filter((i) => i.token !== token)));
  }

  /** A room the user is no longer in: it leaves the sidebar, and the notice says why. */
  drop(roomId: string, why: (name: string) => string): void {
    const { client, state } = this.host;
    client.rooms.forget(roomId);
    const room = state.rooms.get(roomId);
    if (!room) return;
    state.rooms.delete(roomId);
    state.notice = { kind: "info", text: why(room.summary.name) };
    if (state.current === roomId) {
      state.current = null;
      const next = [...state.rooms.keys()][0];
      if (next) this.host.open(next).catch(() => {});
    }
    this.host.changed();
    // A public room left is listed among the public rooms again.
    this.host.loadRooms().catch(() => {});
  }

  /** A change of a room the user is in: applied, and its system message put into the timeline. */
  private changedBy(e: { roomId: string; actorId: string; message: ChatMessage }, change: (room: RoomView) => void): void {
    this.host.edit(e.roomId, (r) => {
      change(r);
      merge(r, [e.message]);
      this.host.arrived(r, e.actorId === this.host.state.me ? 0 : 1);
    });
  }
}

function memberGone(room: RoomView, userId: string): void {
  if (room.members) room.members = M.without(room.members, userId);
  room.summary.members = Math.max(0, room.summary.members - 1);
}

/** The link that opens the app and accepts the invitation (after signing in): `/#invite=<token>`. */
export function inviteLink(token: string): string {
  return `${location.origin}${location.pathname}#invite=${encodeURIComponent(token)}`;
}

/** The invitation token of a link (`…#invite=<token>` or `…?invite=<token>`), if it is one. */
export function inviteTokenIn(text: string): string | null {
  const m = /[#?&]invite=([^&#\s]+)/.exec(text);
  try {
    return m ? decodeURIComponent(m[1]) : null;
  } catch {
    return null;
  }
}

/** The invitation token of the page's address, if any. */
export function inviteInAddress(): string | null {
  return inviteTokenIn(location.hash) ?? inviteTokenIn(location.search);
}

/** Takes the invitation out of the address, so that a reload does not accept it again. */
export function clearInviteFromAddress(): void {
  const search = new URLSearchParams(location.search);
  search.delete("invite");
  const query = search.toString();
  history.replaceState(null, "", `${location.pathname}${query ? `?${query}` : ""}`);
}
