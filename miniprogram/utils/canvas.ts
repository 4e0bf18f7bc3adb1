/**
 * Drawing on a 2d canvas (the receipt picture, report charts): the part of the Canvas 2D API we
 * use, which WeChat's `<canvas type="2d">` and the browser share, and the page's canvas node.
 */

export interface CanvasLike {
  width: number;
  height: number;
  getContext(type: '2d'): unknown;
}

/** The members of CanvasRenderingContext2D our drawings use. */
export interface Ctx2D {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  stroke(): void;
  fill(): void;
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  scale(x: number, y: number): void;
  setTransform?(a: number, b: number, c: number, d: number, e: number, f: number): void;
}

/**
 * The page's `<canvas type="2d">` node found by `selector`; where the client has no such node
 * (older clients), an offscreen canvas of w × h; null when there is neither.
 */
export function pageCanvas(
  page: WechatMiniprogram.Component.TrivialInstance,
  selector: string,
  w: number,
  h: number,
): Promise<CanvasLike | null> {
  return new Promise((resolve) => {
    const fallback = () => {
      try {
        const off = (wx as { createOffscreenCanvas?: (o: object) => CanvasLike })
          .createOffscreenCanvas;
        resolve(off ? off({ type: '2d', width: w, height: h }) : null);
      } catch {
        resolve(null);
      }
    };
    try {
      page
        .createSelectorQuery()
        .select(selector)
        .fields({ node: true, size: true })
        .exec((res: { node?: CanvasLike }[] | null) => {
          const node = res?.[0]?.node;
          if (node && typeof node.getContext === 'function') resolve(node);
          else fallback();
        });
    } catch {
      fallback();
    }
  });
}
