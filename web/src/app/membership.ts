import type { Member, RoleChange, RoomKind, RoomRole } from "../lib";

/**
 * A room's member list as the app keeps it between `list-members` calls, changed by the events of
 * the room (added, removed, banned, role changed), and what a role may do there: the table of
 * docs/protocol.md, "Membership and roles". The server decides; this only hides what it would refuse.
 */

const RANK: Record<RoomRole, number> = { owner: 0, admin: 1, member: 2 };

/** Owner first, then admins, then members, each by user id: the order of `list-members`. */
export function sortMembers(members: Member[]): Member[] {
  return [...members].sort((a, b) => RANK[a.role] - RANK[b.role] || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

export function withAdded(members: Member[], added: Member[]): Member[] {
  const known = new Set(members.map((m) => m.userId));
  return sortMembers([...members, ...added.filter((m) => !known.has(m.userId))]);
}

export function without(members: Member[], userId: string): Member[] {
  return members.filter((m) => m.userId !== userId);
}

export function withRoles(members: Member[], changes: RoleChange[]): Member[] {
  const role = new Map(changes.map((c) => [c.userId, c.role]));
  return sortMembers(members.map((m) => (role.has(m.userId) ? { ...m, role: role.get(m.userId)! } : m)));
}

/** The member with their mute set (`mutedUntil`) or lifted (undefined), from `room-member-muted` and `-unmuted`. */
export function withMute(members: Member[], userId: string, mutedUntil: string | undefined): Member[] {
  return members.map((m) => {
    if (m.userId !== userId) return m;
    const { mutedUntil: _, ...rest } = m;
    return mutedUntil ? { ...rest, mutedUntil } : rest;
  });
}

/** The end of the member's mute, if it lasts at `now`. */
export function mutedUntil(member: Member, now = Date.now()): Date | null {
  const end = member.mutedUntil ? new Date(member.mutedUntil) : null;
  return end && end.getTime() > now ? end : null;
}

export function roleOf(members: Member[] | null, userId: string): RoomRole | undefined {
  return members?.find((m) => m.userId === userId)?.role;
}

/** What the user may do to the room as a whole. Direct rooms keep their members and settings. */
export interface RoomRights {
  manage: boolean; // add members, invite, ban and unban, mute and unmute, rename, topic, slow mode, archive
  delete: boolean;
  quit: boolean;
}

export function roomRights(role: RoomRole | undefined, kind: RoomKind): RoomRights {
  const direct = kind === "direct";
  return {
    manage: !direct && (role === "owner" || role === "admin"),
    delete: !direct && role === "owner",
    quit: !direct && role != null,
  };
}

/** What the user may do to another member: admins act on members only, the owner on everyone. */
export interface MemberRights {
  remove: boolean;
  ban: boolean;
  /** Mute and unmute: the rights of a ban. */
  mute: boolean;
  setRole: boolean; // the owner only, including the transfer of the ownership
}

export function memberRights(me: RoomRole | undefined, target: RoomRole, kind: RoomKind): MemberRights {
  const none = { remove: false, ban: false, mute: false, setRole: false };
  if (kind === "direct" || me == null || me === "member" || target === "owner") return none;
  if (me === "admin") return target === "member" ? { remove: true, ban: true, mute: true, setRole: false } : none;
  return { remove: true, ban: true, mute: true, setRole: true };
}

/** The user ids typed into a field: separated by commas or spaces. */
export function userIds(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** A user id as the contract takes it: 1 to 128 visible ASCII characters. */
export function validUserId(id: string): boolean {
  return /^[\x21-\x7e]{1,128}$/.test(id);
}
