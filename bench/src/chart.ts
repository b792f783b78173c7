// Throughput against offered load per layer. One layout (scales, ticks, point and legend positions) is
// computed once as a list of marks; two renderers draw it: SVG by hand, and PNG with pureimage (pure JS,
// no native add-on), whose text needs a TrueType font file.
import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import * as PImage from 'pureimage';

export interface Series {
  readonly label: string;
  readonly colour: string;
  readonly points: readonly { offered: number; achieved: number }[];
}

export const CHART_FONT_PATH = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
export const CHART_FONT_PACKAGE = 'fonts-dejavu-core';
const FONT_FAMILY = 'DejaVu Sans';

export class ChartFontMissingError extends Error {
  readonly code = 'CHART_FONT_MISSING';
  constructor(readonly fontPath: string) {
    super(
      `chart font ${fontPath} not found: install the Debian package ${CHART_FONT_PACKAGE} ` +
        `(apt-get install ${CHART_FONT_PACKAGE}, done by scripts/install/prerequisites.sh)`,
    );
    this.name = 'ChartFontMissingError';
  }
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Text is placed at its baseline, anchored like SVG's text-anchor; `vertical` turns it 90° anticlockwise. */
export type Mark =
  | { kind: 'line'; from: Point; to: Point; colour: string; width: number; dashed: boolean }
  | { kind: 'polyline'; points: readonly Point[]; colour: string; width: number }
  | { kind: 'dot'; centre: Point; radius: number; colour: string }
  | {
      kind: 'text';
      at: Point;
      text: string;
      size: number;
      anchor: 'start' | 'middle' | 'end';
      vertical: boolean;
    };

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly marks: readonly Mark[];
}

const FONT_SIZE = 12;

export function throughputLayout(title: string, series: readonly Series[]): ChartLayout {
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
  const at = (offered: number, achieved: number): Point => ({ x: x(offered), y: y(achieved) });
  const ticks = (max: number) => Array.from({ length: 6 }, (_, i) => Math.round((max / 5) * i));
  const text = (
    point: Point,
    value: string,
    anchor: 'start' | 'middle' | 'end',
    size = FONT_SIZE,
    vertical = false,
  ): Mark => ({ kind: 'text', at: point, text: value, size, anchor, vertical });
  const line = (from: Point, to: Point, colour: string, lineWidth = 1, dashed = false): Mark => ({
    kind: 'line',
    from,
    to,
    colour,
    width: lineWidth,
    dashed,
  });
  const origin = at(0, 0);
  const diagonal = Math.min(maxX, maxY);
  const marks: Mark[] = [
    text({ x: left, y: 22 }, title, 'start', 14),
    line(origin, at(maxX, 0), 'black'),
    line(origin, at(0, maxY), 'black'),
    line(origin, at(diagonal, diagonal), '#bbb', 1, true),
    ...ticks(maxX).map((t) => text({ x: x(t), y: origin.y + 16 }, String(t), 'middle')),
    ...ticks(maxY).map((t) => text({ x: origin.x - 6, y: y(t) + 4 }, String(t), 'end')),
    text({ x: (left + width - right) / 2, y: height - 12 }, 'offered load (tx/s)', 'middle'),
    text({ x: 16, y: (top + height - bottom) / 2 }, 'achieved throughput (tx/s)', 'middle', FONT_SIZE, true),
  ];
  series.forEach((s, index) => {
    const points = s.points.map((p) => at(p.offered, p.achieved));
    const legendY = top + 10 + index * 20;
    marks.push(
      { kind: 'polyline', points, colour: s.colour, width: 2 },
      ...points.map((centre): Mark => ({ kind: 'dot', centre, radius: 3, colour: s.colour })),
      line({ x: width - right + 15, y: legendY }, { x: width - right + 35, y: legendY }, s.colour, 2),
      text({ x: width - right + 40, y: legendY + 4 }, s.label, 'start'),
    );
  });
  return { width, height, marks };
}

// ---- SVG ----

const n = (value: number) => value.toFixed(1);

function escapeXml(value: string): string {
  return value.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

function svgMark(mark: Mark): string {
  switch (mark.kind) {
    case 'line': {
      const dash = mark.dashed ? ' stroke-dasharray="4 4"' : '';
      const stroke = mark.width === 1 ? '' : ` stroke-width="${mark.width}"`;
      return `<line x1="${n(mark.from.x)}" y1="${n(mark.from.y)}" x2="${n(mark.to.x)}" y2="${n(mark.to.y)}" stroke="${mark.colour}"${stroke}${dash}/>`;
    }
    case 'polyline': {
      const points = mark.points.map((p) => `${n(p.x)},${n(p.y)}`).join(' ');
      return `<polyline points="${points}" fill="none" stroke="${mark.colour}" stroke-width="${mark.width}"/>`;
    }
    case 'dot':
      return `<circle cx="${n(mark.centre.x)}" cy="${n(mark.centre.y)}" r="${mark.radius}" fill="${mark.colour}"/>`;
    case 'text': {
      const { x, y } = mark.at;
      const size = mark.size === FONT_SIZE ? '' : ` font-size="${mark.size}"`;
      const anchor = mark.anchor === 'start' ? '' : ` text-anchor="${mark.anchor}"`;
      const rotate = mark.vertical ? ` transform="rotate(-90 ${n(x)} ${n(y)})"` : '';
      return `<text x="${n(x)}" y="${n(y)}"${size}${anchor}${rotate}>${escapeXml(mark.text)}</text>`;
    }
  }
}

export function throughputSvg(title: string, series: readonly Series[]): string {
  const layout = throughputLayout(title, series);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" font-family="sans-serif" font-size="${FONT_SIZE}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...layout.marks.map(svgMark),
    '</svg>\n',
  ].join('\n');
}

// ---- PNG ----

type Context = ReturnType<PImage.Bitmap['getContext']>;

const DASH = 4;

function strokePath(ctx: Context, points: readonly Point[], colour: string, width: number): void {
  // pureimage cannot stroke a zero-length segment, so repeated points are dropped.
  const distinct = points.filter((p, i) => i === 0 || p.x !== points[i - 1]?.x || p.y !== points[i - 1]?.y);
  const [first, ...rest] = distinct;
  if (first === undefined || rest.length === 0) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(first.x, first.y);
  for (const p of rest) ctx.lineTo(p.x, p.y);
  ctx.stroke();
}

/** pureimage has no setLineDash: a dashed line is drawn as its DASH-long pieces, DASH apart. */
function dashes(from: Point, to: Point): [Point, Point][] {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const along = (d: number): Point => ({
    x: from.x + ((to.x - from.x) * d) / length,
    y: from.y + ((to.y - from.y) * d) / length,
  });
  const pieces: [Point, Point][] = [];
  for (let d = 0; d < length; d += 2 * DASH) pieces.push([along(d), along(Math.min(length, d + DASH))]);
  return pieces;
}

function pngMark(ctx: Context, mark: Mark): void {
  switch (mark.kind) {
    case 'line':
      for (const piece of mark.dashed ? dashes(mark.from, mark.to) : [[mark.from, mark.to]])
        strokePath(ctx, piece, mark.colour, mark.width);
      return;
    case 'polyline':
      strokePath(ctx, mark.points, mark.colour, mark.width);
      return;
    case 'dot':
      ctx.fillStyle = mark.colour;
      ctx.beginPath();
      ctx.arc(mark.centre.x, mark.centre.y, mark.radius, 0, 2 * Math.PI);
      ctx.closePath();
      ctx.fill();
      return;
    case 'text':
      ctx.fillStyle = 'black';
      ctx.font = `${mark.size}px ${FONT_FAMILY}`;
      ctx.textAlign = mark.anchor === 'middle' ? 'center' : mark.anchor;
      ctx.save();
      ctx.translate(mark.at.x, mark.at.y);
      if (mark.vertical) ctx.rotate(-Math.PI / 2);
      ctx.fillText(mark.text, 0, 0);
      ctx.restore();
      return;
  }
}

function loadFont(fontPath: string): void {
  if (!fs.existsSync(fontPath)) throw new ChartFontMissingError(fontPath);
  PImage.registerFont(fontPath, FONT_FAMILY).loadSync();
}

async function encodePng(bitmap: PImage.Bitmap): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await PImage.encodePNGToStream(bitmap, sink);
  return Buffer.concat(chunks);
}

export async function throughputPng(
  title: string,
  series: readonly Series[],
  options: { fontPath?: string } = {},
): Promise<Buffer> {
  loadFont(options.fontPath ?? CHART_FONT_PATH);
  const layout = throughputLayout(title, series);
  const bitmap = PImage.make(layout.width, layout.height);
  const ctx = bitmap.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, layout.width, layout.height);
  for (const mark of layout.marks) pngMark(ctx, mark);
  return encodePng(bitmap);
}
