import type { CanvasLike, Ctx2D } from '../../utils/canvas';
/**
 * A tiny bar-chart helper for the mini-program's 2d canvas (no chart library: the admin package
 * stays small). `layoutBars` is pure geometry (tested); `paintBars` draws a layout on any
 * CanvasRenderingContext2D-like context: the page's <canvas type="2d"> node, or an offscreen
 * canvas where the client has no node (the browser preview, older clients).
 */
export interface BarDatum {
  label: string;
  /** Any non-negative number; bars are scaled to the largest (or `max`). */
  value: number;
  /** Text above the bar ("96.53%", "¥1,234"). */
  valueText: string;
  /** Optional colour; the series colour otherwise. */
  color?: string;
}

export interface BarLayoutOptions {
  width: number;
  height: number;
  /** Fixed top of the scale (100 for percentages); default the largest value. */
  max?: number;
  title?: string;
}

export interface BarRect {
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  label: string;
  labelX: number;
  labelY: number;
  valueText: string;
  valueY: number;
}

export interface BarLayout {
  width: number;
  height: number;
  title: string;
  baseline: number;
  left: number;
  right: number;
  bars: BarRect[];
  /** Horizontal guide lines at 0, 50% and 100% of the scale. */
  guides: number[];
}

export const CHART_COLORS = ['#0e8f7e', '#3f7fd6', '#e0a43b', '#d9663c', '#b04a6f', '#6b7b78'];

const PAD = { top: 34, bottom: 30, side: 12 };

export function layoutBars(data: readonly BarDatum[], o: BarLayoutOptions): BarLayout {
  const left = PAD.side;
  const right = o.width - PAD.side;
  const top = o.title ? PAD.top : 18;
  const baseline = o.height - PAD.bottom;
  const plot = Math.max(1, baseline - top - 16);
  const max = Math.max(o.max ?? 0, ...data.map((d) => d.value), 1e-9);
  const n = Math.max(1, data.length);
  const slot = (right - left) / n;
  const w = Math.max(4, Math.min(48, slot * 0.6));
  const bars = data.map((d, i) => {
    const h = Math.max(0, (Math.max(0, d.value) / max) * plot);
    const x = left + slot * i + (slot - w) / 2;
    const y = baseline - h;
    return {
      x,
      y,
      w,
      h,
      color: d.color ?? CHART_COLORS[0]!,
      label: d.label,
      labelX: x + w / 2,
      labelY: baseline + 18,
      valueText: d.valueText,
      valueY: y - 6,
    };
  });
  return {
    width: o.width,
    height: o.height,
    title: o.title ?? '',
    baseline,
    left,
    right,
    bars,
    guides: [0, 0.5, 1].map((f) => baseline - f * plot),
  };
}

export function paintBars(ctx: Ctx2D, layout: BarLayout, fontScale = 1): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  const px = (n: number) => `${Math.round(n * fontScale)}px sans-serif`;
  if (layout.title) {
    ctx.fillStyle = '#1f2d2a';
    ctx.font = px(14);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(layout.title, layout.left, 8);
  }
  ctx.strokeStyle = '#e3e9e7';
  ctx.lineWidth = 1;
  for (const y of layout.guides) {
    ctx.beginPath();
    ctx.moveTo(layout.left, y);
    ctx.lineTo(layout.right, y);
    ctx.stroke();
  }
  ctx.textAlign = 'center';
  for (const b of layout.bars) {
    ctx.fillStyle = b.color;
    ctx.fillRect(b.x, b.y, b.w, Math.max(b.h, 1));
    ctx.fillStyle = '#1f2d2a';
    ctx.font = px(11);
    ctx.textBaseline = 'bottom';
    ctx.fillText(b.valueText, b.labelX, b.valueY);
    ctx.fillStyle = '#6b7b78';
    ctx.textBaseline = 'middle';
    ctx.fillText(b.label, b.labelX, b.labelY);
  }
}

type WxAsync = (o: Record<string, unknown>) => void;

/**
 * Draws a chart and returns it as a temp image path (shown with <image>, which scrolls and
 * layers like any view; a native canvas would float above the page in WeChat).
 */
export async function renderBarChart(
  getCanvas: (w: number, h: number) => Promise<CanvasLike | null>,
  data: readonly BarDatum[],
  o: BarLayoutOptions,
): Promise<string | null> {
  const ratio = Math.min(3, wx.getSystemInfoSync().pixelRatio || 2);
  const canvas = await getCanvas(o.width * ratio, o.height * ratio);
  if (!canvas) return null;
  canvas.width = o.width * ratio;
  canvas.height = o.height * ratio;
  const ctx = canvas.getContext('2d') as Ctx2D;
  ctx.setTransform?.(1, 0, 0, 1, 0, 0);
  ctx.scale(ratio, ratio);
  paintBars(ctx, layoutBars(data, o));
  return new Promise((resolve) => {
    (wx.canvasToTempFilePath as unknown as WxAsync)({
      canvas,
      fileType: 'png',
      success: (r: { tempFilePath: string }) => resolve(r.tempFilePath),
      fail: () => resolve(null),
    });
  });
}
