import { expect } from 'chai';
import { PNG } from 'pngjs';
import {
  CHART_FONT_PACKAGE,
  ChartFontMissingError,
  throughputLayout,
  throughputPng,
  throughputSvg,
  type Point,
  type Series,
} from './chart';

const series: Series[] = [
  {
    label: 'ceiling',
    colour: '#1f77b4',
    points: [
      { offered: 50, achieved: 49 },
      { offered: 100, achieved: 97 },
      { offered: 150, achieved: 120 },
    ],
  },
  {
    label: 'gateway',
    colour: '#d62728',
    points: [
      { offered: 20, achieved: 20 },
      { offered: 60, achieved: 35 },
      { offered: 90, achieved: 30 },
    ],
  },
];

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

function pixel(png: PNG, x: number, y: number): number[] {
  const at = (png.width * y + x) * 4;
  return [...png.data.subarray(at, at + 4)];
}

function hasColourNear(png: PNG, centre: Point, colour: string, within: number): boolean {
  const [r, g, b] = rgb(colour);
  for (let y = Math.round(centre.y) - within; y <= Math.round(centre.y) + within; y++)
    for (let x = Math.round(centre.x) - within; x <= Math.round(centre.x) + within; x++) {
      const [pr, pg, pb, pa] = pixel(png, x, y);
      if (pr === r && pg === g && pb === b && pa === 255) return true;
    }
  return false;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('throughput chart', () => {
  it('renders the PNG at the layout size with every series drawn in its colour at its plotted points', async () => {
    const layout = throughputLayout('Throughput', series);
    const png = PNG.sync.read(await throughputPng('Throughput', series));

    expect([png.width, png.height]).to.deep.equal([layout.width, layout.height]);
    for (const s of series) {
      const dots = layout.marks.flatMap((mark) =>
        mark.kind === 'dot' && mark.colour === s.colour ? [mark.centre] : [],
      );
      expect(dots).to.have.length(s.points.length);
      for (const centre of dots)
        expect(hasColourNear(png, centre, s.colour, 2), `${s.label} at ${JSON.stringify(centre)}`).to.be.true;
    }
  });

  it('draws the title text with the font', async () => {
    const png = PNG.sync.read(await throughputPng('Throughput', series));
    let dark = 0;
    for (let y = 8; y < 26; y++)
      for (let x = 60; x < 160; x++) if ((pixel(png, x, y)[0] ?? 255) < 100) dark++;
    expect(dark).to.be.greaterThan(50);
  });

  it('draws the SVG from the same layout: a circle per plotted point at its position, a polyline per series', () => {
    const layout = throughputLayout('t', series);
    const svg = throughputSvg('t', series);
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    const dots = layout.marks.flatMap((mark) =>
      mark.kind === 'dot' ? [[mark.centre.x, mark.centre.y]] : [],
    );

    expect(circles).to.have.length(6);
    circles.forEach(([x, y], i) => {
      expect(x).to.be.closeTo(dots[i]![0]!, 0.05);
      expect(y).to.be.closeTo(dots[i]![1]!, 0.05);
    });
    expect(svg.match(/<polyline /g)).to.have.length(2);
  });

  it('names the missing font file and the apt package that provides it', async () => {
    const fontPath = '/nonexistent/fonts/DejaVuSans.ttf';
    const error = await rejection(throughputPng('t', series, { fontPath }));

    expect(error).to.be.instanceOf(ChartFontMissingError);
    const missing = error as ChartFontMissingError;
    expect(missing.code).to.equal('CHART_FONT_MISSING');
    expect(missing.fontPath).to.equal(fontPath);
    expect(missing.message).to.include(fontPath).and.include(CHART_FONT_PACKAGE);
  });
});
