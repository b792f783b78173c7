// A small bar chart (Chart.js) with its numbers also in a table, for those who would rather read, and
// for screen readers, which cannot see a canvas.
import { BarController, BarElement, CategoryScale, Chart, LinearScale } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale);

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface BarChartProps {
  readonly title: string;
  readonly bars: readonly Bar[];
  /** The table's column names: what a bar is, and what its value counts. */
  readonly columns: readonly [string, string];
}

export function BarChart({ title, bars, columns }: BarChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: bars.map((bar) => bar.label),
        datasets: [{ label: title, data: bars.map((bar) => bar.value), backgroundColor: '#1f5fa8' }],
      },
      options: {
        animation: false,
        responsive: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => {
      chart.destroy();
    };
  }, [title, bars]);
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
            {bars.map((bar) => (
              <tr key={bar.label}>
                <td>{bar.label}</td>
                <td>{bar.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
