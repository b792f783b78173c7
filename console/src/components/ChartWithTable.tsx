// A small bar or line chart (Chart.js) with its numbers also in a table, for those who would rather read, and
// for screen readers, which cannot see a canvas. The table shows at once; Chart.js is loaded on
// first use (its own chunk) and draws the canvas when it arrives.
import { useEffect, useRef } from 'preact/hooks';

export interface Point {
  readonly label: string;
  readonly value: number;
}

export interface ChartWithTableProps {
  readonly title: string;
  /** Bars side by side (counts per kind), or a line over time (oldest first). */
  readonly kind?: 'bar' | 'line';
  readonly points: readonly Point[];
  /** The table's column names: what a point is, and what its value counts. */
  readonly columns: readonly [string, string];
}

export function ChartWithTable({ title, kind = 'bar', points, columns }: ChartWithTableProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let current = true;
    void import('./chartJs').then(({ Chart }) => {
      if (!current || canvas.current === null) return;
      chart = new Chart(canvas.current, {
        type: kind,
        data: {
          labels: points.map((point) => point.label),
          datasets: [
            {
              label: title,
              data: points.map((point) => point.value),
              backgroundColor: '#1f5fa8',
              borderColor: '#1f5fa8',
            },
          ],
        },
        options: {
          animation: false,
          responsive: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    });
    return () => {
      current = false;
      chart?.destroy();
    };
  }, [title, kind, points]);
  return (
    <figure class="chart">
      <canvas ref={canvas} width={520} height={200} aria-hidden="true" />
      <figcaption>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{columns[0]}</th>
              <th scope="col">{columns[1]}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.label}>
                <td>{point.label}</td>
                <td>{point.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
