import { useEffect, useMemo, useReducer, useRef } from "preact/hooks";
import { CallController, type CallView } from "./calls";
import type { ChatStore, RoomView } from "./store";

/** The store's call controller, made once per store, with its listeners gone with the component. */
export function useCalls(store: ChatStore): CallController {
  const calls = useMemo(() => new CallController(store.client, store.state.me), [store]);
  useEffect(() => () => calls.close(), [calls]);
  return calls;
}

function useCallView(calls: CallController): CallView | null {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => calls.subscribe(() => bump(0)), [calls]);
  return calls.view;
}

/** Voice and video call buttons for the header of a direct room. */
export function CallButtons({ calls, room }: { calls: CallController; room: RoomView }) {
  const view = useCallView(calls);
  if (room.summary.kind !== "direct") return null;
  const busy = !!view && view.phase !== "ended";
  const call = (video: boolean) => void calls.start(room.summary.id, room.summary.name, video);
  return (
    <span class="call-buttons">
      <button type="button" class="header-button" data-testid="call-audio" disabled={busy} onClick={() => call(false)}>Call</button>
      <button type="button" class="header-button" data-testid="call-video" disabled={busy} onClick={() => call(true)}>Video call</button>
    </span>
  );
}

const ENDED: Record<NonNullable<CallView["ended"]>, string> = {
  hangup: "Call ended", declined: "Call declined", timeout: "No answer", disconnected: "The other side dropped",
  failed: "The call was lost", "answered-elsewhere": "Answered on another device", busy: "Busy: in another call",
  error: "The call failed",
};

/** The incoming call dialog, the call view (remote and local video, hang up), and how it ended. */
export function CallPanel({ calls }: { calls: CallController }) {
  const view = useCallView(calls);
  if (!view) return null;
  if (view.phase === "incoming") {
    return (
      <div class="call-dialog" role="alertdialog" aria-labelledby="incoming-call-title" data-testid="incoming-call">
        <p id="incoming-call-title"><strong>{view.peer}</strong> is calling{view.video ? " (video)" : ""}</p>
        <button type="button" data-testid="call-accept" onClick={() => void calls.accept()}>Accept</button>
        <button type="button" data-testid="call-decline" onClick={() => void calls.decline()}>Decline</button>
      </div>
    );
  }
  if (view.phase === "ended") {
    return (
      <div class="call-dialog" role="status" data-testid="call-ended" data-reason={view.ended}>
        <p>{ENDED[view.ended ?? "hangup"]}{view.error ? `: ${view.error}` : ""}</p>
        <button type="button" data-testid="call-dismiss" onClick={() => calls.dismiss()}>Close</button>
      </div>
    );
  }
  const status = view.phase === "outgoing" ? `Calling ${view.peer}…` : view.phase === "connecting" ? "Connecting…" : `In a call with ${view.peer}`;
  return (
    <section class="call-view" aria-label="Call" data-testid="call-view" data-phase={view.phase}>
      <p class="call-status">{status}</p>
      <div class="call-videos">
        <Video stream={view.remote} testid="remote-video" muted={false} />
        <Video stream={view.local} testid="local-video" muted />
      </div>
      <button type="button" class="danger" data-testid="call-hangup" onClick={() => void calls.hangup()}>Hang up</button>
    </section>
  );
}

function Video({ stream, testid, muted }: { stream: MediaStream | null; testid: string; muted: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} data-testid={testid} autoPlay playsInline muted={muted} />;
}
