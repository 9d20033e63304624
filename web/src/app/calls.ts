import { SwitchboardError, type SwitchboardClient, type CallEndReason, type IceServer, type ServerEvents } from "../lib";

/**
 * One call at a time, one to one, with the browser's WebRTC: the signaling goes through Switchboard
 * (docs/protocol.md, "Calls"), the media peer to peer. The caller sends the offer to the socket that
 * answered; ICE candidates trickle both ways (those that arrive before the remote description wait).
 */
export type CallPhase = "outgoing" | "incoming" | "connecting" | "connected" | "ended";

export interface CallView {
  phase: CallPhase;
  callId: string | null;
  roomId: string;
  /** The other user. */
  peer: string;
  video: boolean;
  local: MediaStream | null;
  remote: MediaStream | null;
  /** Why it ended, or what went wrong. */
  ended?: CallEndReason | "answered-elsewhere" | "busy" | "error";
  error?: string;
}

export class CallController {
  view: CallView | null = null;
  private pc: RTCPeerConnection | null = null;
  private peerSocket: string | null = null;
  private iceServers: IceServer[] = [];
  private pendingIce: RTCIceCandidateInit[] = [];
  private listeners = new Set<() => void>();
  /** Events of a call that arrived before the ack naming it (they may overtake it). */
  private early: { event: string; payload: unknown }[] = [];
  private readonly offs: (() => void)[];

  constructor(private readonly client: SwitchboardClient, private readonly me: string) {
    this.offs = [
      client.on("call-ring", (e) => this.ring(e)),
      client.on("call-accepted", (e) => this.accepted(e)),
      client.on("call-signal", (e) => void this.signal(e).catch((err) => this.fail(err))),
      client.on("call-ended", (e) => this.ended(e)),
    ];
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.offs.forEach((off) => off());
    this.teardown();
  }

  /** Calls the other member of a direct room. */
  async start(roomId: string, peer: string, video: boolean): Promise<void> {
    if (this.view && this.view.phase !== "ended") return;
    this.early = [];
    this.update({ phase: "outgoing", callId: null, roomId, peer, video, local: null, remote: null });
    try {
      const local = await navigator.mediaDevices.getUserMedia({ audio: true, video });
      this.update({ local });
      const ack = await this.client.startCall(roomId, video ? ["audio", "video"] : ["audio"]);
      this.iceServers = ack.iceServers;
      this.update({ callId: ack.callId });
      // What overtook the ack, in order.
      this.early.splice(0).forEach(({ event, payload }) => {
        if (event === "call-accepted") this.accepted(payload as ServerEvents["call-accepted"]);
        if (event === "call-ended") this.ended(payload as ServerEvents["call-ended"]);
      });
    } catch (e) {
      this.fail(e);
    }
  }

  async accept(): Promise<void> {
    const view = this.view;
    if (!view || view.phase !== "incoming" || !view.callId) return;
    try {
      const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: view.video });
      this.update({ local, phase: "connecting" });
      const ack = await this.client.acceptCall(view.callId);
      this.peerSocket = ack.parties[0]?.socketId ?? this.peerSocket;
      this.iceServers = ack.iceServers;
      this.connection();
    } catch (e) {
      this.fail(e);
    }
  }

  async decline(): Promise<void> {
    const callId = this.view?.callId;
    this.finish("declined");
    if (callId) await this.client.declineCall(callId).catch(() => {});
  }

  async hangup(): Promise<void> {
    const callId = this.view?.callId;
    this.finish("hangup");
    if (callId) await this.client.hangupCall(callId).catch(() => {});
  }

  /** Clears an ended call from the screen. */
  dismiss(): void {
    if (this.view?.phase === "ended") {
      this.view = null;
      this.emit();
    }
  }

  private ring(e: ServerEvents["call-ring"]): void {
    if (this.view && this.view.phase !== "ended") return; // busy here: the others ring on
    this.peerSocket = e.fromSocketId;
    this.update({ phase: "incoming", callId: e.callId, roomId: e.roomId, peer: e.from, video: e.media.includes("video"),
      local: null, remote: null, ended: undefined, error: undefined }, true);
  }

  private accepted(e: ServerEvents["call-accepted"]): void {
    const view = this.view;
    if (view?.phase === "outgoing" && view.callId === null) {
      this.early.push({ event: "call-accepted", payload: e });
      return;
    }
    if (!view || view.callId !== e.callId) return;
    if (e.userId !== this.me) this.update({ peer: e.userId });
    if (view.phase === "incoming" && e.userId === this.me && e.socketId !== this.client.socketId) {
      this.finish("answered-elsewhere");
    } else if (view.phase === "outgoing" && e.userId !== this.me) {
      this.peerSocket = e.socketId;
      this.update({ phase: "connecting" });
      void this.offer().catch((err) => this.fail(err));
    }
  }

  private async offer(): Promise<void> {
    const pc = this.connection();
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await this.client.signalCall(this.view!.callId!, this.peerSocket!, "offer", { type: offer.type, sdp: offer.sdp });
  }

  private async signal(e: ServerEvents["call-signal"]): Promise<void> {
    if (!this.view || this.view.callId !== e.callId || e.fromSocketId !== this.peerSocket) return;
    const pc = this.connection();
    if (e.type === "offer") {
      await pc.setRemoteDescription(e.payload as RTCSessionDescriptionInit);
      await this.flushIce();
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await this.client.signalCall(e.callId, e.fromSocketId, "answer", { type: answer.type, sdp: answer.sdp });
    } else if (e.type === "answer") {
      await pc.setRemoteDescription(e.payload as RTCSessionDescriptionInit);
      await this.flushIce();
    } else if (pc.remoteDescription) {
      await pc.addIceCandidate(e.payload as RTCIceCandidateInit);
    } else {
      this.pendingIce.push(e.payload as RTCIceCandidateInit);
    }
  }

  private async flushIce(): Promise<void> {
    for (const candidate of this.pendingIce.splice(0)) await this.pc?.addIceCandidate(candidate);
  }

  private ended(e: ServerEvents["call-ended"]): void {
    if (this.view?.phase === "outgoing" && this.view.callId === null) {
      this.early.push({ event: "call-ended", payload: e });
      return;
    }
    if (this.view && this.view.callId === e.callId && this.view.phase !== "ended") this.finish(e.reason);
  }

  /** The peer connection, made once per call, with this user's media on it. */
  private connection(): RTCPeerConnection {
    if (this.pc) return this.pc;
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    this.view?.local?.getTracks().forEach((track) => pc.addTrack(track, this.view!.local!));
    const remote = new MediaStream();
    this.update({ remote });
    pc.ontrack = (t) => {
      remote.addTrack(t.track);
      this.update({ remote });
    };
    pc.onicecandidate = (c) => {
      const callId = this.view?.callId;
      if (c.candidate && callId && this.peerSocket) {
        this.client.signalCall(callId, this.peerSocket, "ice", c.candidate.toJSON()).catch(() => {});
      }
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "connected") this.update({ phase: "connected" });
      if (pc.connectionState === "failed") this.fail(new Error("the connection to the other browser failed"));
    };
    return pc;
  }

  private fail(e: unknown): void {
    const busy = e instanceof SwitchboardError && e.code === "BUSY";
    const callId = this.view?.callId;
    this.finish(busy ? "busy" : "error", busy ? undefined : e instanceof Error ? e.message : String(e));
    if (callId) void this.client.hangupCall(callId).catch(() => {});
  }

  private finish(reason: CallView["ended"], error?: string): void {
    this.teardown();
    if (this.view) this.update({ phase: "ended", ended: reason, error, remote: null, local: null });
  }

  private teardown(): void {
    this.pc?.close();
    this.pc = null;
    this.pendingIce = [];
    this.view?.local?.getTracks().forEach((t) => t.stop());
  }

  private update(change: Partial<CallView>, replace = false): void {
    this.view = replace || !this.view ? { ...(change as CallView) } : { ...this.view, ...change };
    this.emit();
  }

  private emit(): void {
    this.listeners.forEach((l) => l());
  }
}
