interface Series {
  name: string;
  values: number[];
}

const W = 240;
const H = 56;

/** A small live line chart: one polyline per series, scaled to the largest value shown. */
export function Sparkline({ title, unit, series, testId }: { title: string; unit: string; series: Series[]; testId: string }) {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const points = (values: number[]) =>
    values.map((v, i) => `${((i / Math.max(1, values.length - 1)) * W).toFixed(1)},${(H - (v / max) * (H - 4) - 2).toFixed(1)}`).join(" ");
  const latest = (s: Series) => s.values[s.values.length - 1] ?? 0;
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>
        <span>{title}</span>
        <span class="legend">
          {series.map((s, i) => (
            <span key={s.name} class={`legend-item series-${i}`}>
              {series.length > 1 && <small>{s.name} </small>}<b data-testid={`${testId}-${s.name}`}>{format(latest(s))}</b>
            </span>
          ))}
          {unit && <small>{unit}</small>}
        </span>
      </figcaption>
      <small class="scale">max {format(max)}</small>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={title}>
        <line x1="0" y1={H - 1} x2={W} y2={H - 1} class="axis" />
        {series.map((s, i) => <polyline key={s.name} points={points(s.values)} class={`series-${i}`} />)}
      </svg>
    </figure>
  );
}

function format(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
}
