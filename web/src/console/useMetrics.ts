import { useEffect, useState } from "preact/hooks";
import { append, fetchMetrics, toSample, type Sample, type SocketMetrics } from "./metrics";

/** `/socket-metrics` once a second with the admin token: the latest answer and the samples of the last two minutes. */
export function useMetrics(token: string): { latest: SocketMetrics | null; samples: Sample[]; error: string } {
  const [latest, setLatest] = useState<SocketMetrics | null>(null);
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState("");
  useEffect(() => {
    if (!token) return;
    const abort = new AbortController();
    const poll = async () => {
      try {
        const m = await fetchMetrics(token, abort.signal);
        setLatest(m);
        setSamples((s) => append(s, toSample(m)));
        setError("");
      } catch (e) {
        if (!abort.signal.aborted) setError(String(e));
      }
    };
    void poll();
    const timer = setInterval(poll, 1000);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, [token]);
  return { latest, samples, error };
}

/** Calls `load` now and every `everyMs` while `enabled`; returns its latest result and error. */
export function usePoll<T>(load: () => Promise<T>, everyMs: number, deps: unknown[]): { value: T | null; error: string } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    let live = true;
    const run = () => load().then((v) => live && (setValue(v), setError("")), (e) => live && setError(String(e.message ?? e)));
    run();
    const timer = setInterval(run, everyMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, deps);
  return { value, error };
}
