import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_MUTE_SECONDS } from "./moderation";
import type { Act } from "./RoomPanel";
import type { ChatStore } from "./store";
import { formatTime } from "./when";

const DURATIONS: [number, string][] = [[300, "5 minutes"], [3600, "1 hour"], [86_400, "1 day"], [604_800, "1 week"]];
const UNITS: [number, string][] = [[1, "seconds"], [60, "minutes"], [3600, "hours"], [86_400, "days"]];
const CUSTOM = 0;

interface Props {
  store: ChatStore;
  roomId: string;
  userId: string;
  busy: boolean;
  act: Act;
  onDone: () => void;
}

/** How long to mute a member for: a usual length or a custom one (up to a year, the contract's limit). */
export function MuteForm({ store, roomId, userId, busy, act, onDone }: Props) {
  const [choice, setChoice] = useState(3600);
  const [amount, setAmount] = useState("30");
  const [unit, setUnit] = useState(60);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const seconds = choice === CUSTOM ? Number(amount) * unit : choice;
  const valid = Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_MUTE_SECONDS;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!valid) return;
    const ok = await act(`Could not mute ${userId}`, () => store.client.muteMember(roomId, userId, seconds),
      ({ mutedUntil }) => `${userId} is muted until ${formatTime(new Date(mutedUntil))}.`);
    if (ok) onDone();
  };
  return (
    <form class="mute-form" onSubmit={submit} data-testid="mute-form" aria-label={`Mute ${userId}`}>
      <label>Mute for
        <select name="mute-duration" data-testid="mute-duration" ref={first} value={choice} onChange={(e) => setChoice(Number(e.currentTarget.value))}>
          {DURATIONS.map(([s, label]) => <option key={s} value={s}>{label}</option>)}
          <option value={CUSTOM}>custom…</option>
        </select>
      </label>
      {choice === CUSTOM && (
        <>
          <label>Length
            <input name="mute-amount" data-testid="mute-amount" type="number" min={1} size={5} value={amount}
              aria-invalid={valid ? undefined : "true"} onInput={(e) => setAmount(e.currentTarget.value)} />
          </label>
          <label>Unit
            <select name="mute-unit" data-testid="mute-unit" value={unit} onChange={(e) => setUnit(Number(e.currentTarget.value))}>
              {UNITS.map(([s, label]) => <option key={s} value={s}>{label}</option>)}
            </select>
          </label>
        </>
      )}
      <button type="submit" data-testid="mute-confirm" disabled={busy || !valid}>Mute</button>
      <button type="button" data-testid="mute-cancel" onClick={onDone}>Cancel</button>
    </form>
  );
}
