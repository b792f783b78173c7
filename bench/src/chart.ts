// Throughput against offered load per layer, as an SVG drawn by hand (no chart dependency).

export interface Series {
  readonly label: string;
  readonly colour: string;
  readonly points: readonly { offered: number; achieved: number }[];
}

export function throughputSvg(title: string, series: readonly Series[]): string {
  const width = 720;
  const height = 440;
  const left = 60;
  const right = 170;
  const top = 40;
  const bottom = 50;
  const all = series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p.offered)) * 1.05;
  const maxY = Math.max(1, ...all.map((p) => Math.max(p.achieved, p.offered))) * 1.05;
  const x = (v: number) => left + (v / maxX) * (width - left - right);
  const y = (v: number) => height - bottom - (v / maxY) * (height - top - bottom);
  const ticks = (max: number) => Array.from({ length: 6 }, (_, i) => Math.round((max / 5) * i));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="22" font-size="14">${title}</text>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(maxX)}" y2="${y(0)}" stroke="black"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(maxY)}" stroke="black"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(Math.min(maxX, maxY))}" y2="${y(Math.min(maxX, maxY))}" stroke="#bbb" stroke-dasharray="4 4"/>`,
  ];
  for (const t of ticks(maxX))
    parts.push(`<text x="${x(t)}" y="${y(0) + 16}" text-anchor="middle">${t}</text>`);
  for (const t of ticks(maxY))
    parts.push(`<text x="${x(0) - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle">offered load (tx/s)</text>`,
    `<text x="16" y="${(top + height - bottom) / 2}" transform="rotate(-90 16 ${(top + height - bottom) / 2})" text-anchor="middle">achieved throughput (tx/s)</text>`,
  );
  series.forEach((s, index) => {
    const path = s.points.map((p) => `${x(p.offered).toFixed(1)},${y(p.achieved).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
    for (const p of s.points)
      parts.push(
        `<circle cx="${x(p.offered).toFixed(1)}" cy="${y(p.achieved).toFixed(1)}" r="3" fill="${s.colour}"/>`,
      );
    const ly = top + 10 + index * 20;
    parts.push(
      `<line x1="${width - right + 15}" y1="${ly}" x2="${width - right + 35}" y2="${ly}" stroke="${s.colour}" stroke-width="2"/>`,
      `<text x="${width - right + 40}" y="${ly + 4}">${s.label}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
