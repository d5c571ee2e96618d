import type { Page } from "@playwright/test";

export interface PixelStats {
  total: number;
  /** Standard deviation of luminance (0–255): a blank map is near 0. */
  lumaStd: number;
  /** Street fill of the offline basemap (white), drawn from a MapLibre GeoJSON source. */
  streets: number;
  /** Building footprints (warm greys / type tints of the offline style). */
  buildings: number;
  /** Grid lines by loading colour. */
  green: number;
  red: number;
}

/** Decode a PNG screenshot in the page (no image library in Node needed) and count pixel classes. */
export async function pixelStats(page: Page, png: Buffer): Promise<PixelStats> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    let sum = 0;
    let sum2 = 0;
    let streets = 0;
    let buildings = 0;
    let green = 0;
    let red = 0;
    const n = px.length / 4;
    for (let i = 0; i < px.length; i += 4) {
      const r = px[i];
      const g = px[i + 1];
      const b = px[i + 2];
      const y = 0.299 * r + 0.587 * g + 0.114 * b;
      sum += y;
      sum2 += y * y;
      if (r >= 252 && g >= 252 && b >= 252) streets++;
      // Building fills: #d8d2c6-like warm greys (r > g > b, narrow range).
      if (r >= 200 && r <= 232 && g >= 190 && g <= 215 && b >= 180 && b <= 205 && r - b >= 10 && r - b <= 30) buildings++;
      if (g > 110 && g > r + 40 && g > b + 30) green++;
      if (r > 170 && g < 60 && b < 60) red++;
    }
    const mean = sum / n;
    return { total: n, lumaStd: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), streets, buildings, green, red };
  }, png.toString("base64"));
}

/** Pixels of a PNG screenshot whose colour lies in the given channel ranges, in a region (CSS pixels of the shot) or all of it. */
export async function countPixels(
  page: Page,
  png: Buffer,
  range: { r: [number, number]; g: [number, number]; b: [number, number] },
  region?: { x: number; y: number; width: number; height: number },
): Promise<number> {
  return page.evaluate(
    async ([b64, range, region]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      const x0 = Math.max(0, Math.floor(region?.x ?? 0));
      const y0 = Math.max(0, Math.floor(region?.y ?? 0));
      const w = Math.min(img.width - x0, Math.ceil(region?.width ?? img.width));
      const h = Math.min(img.height - y0, Math.ceil(region?.height ?? img.height));
      if (w <= 0 || h <= 0) return 0;
      const px = ctx.getImageData(x0, y0, w, h).data;
      const inside = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (inside(px[i], range.r) && inside(px[i + 1], range.g) && inside(px[i + 2], range.b)) n++;
      return n;
    },
    [png.toString("base64"), range, region ?? null] as const,
  );
}

/**
 * Wait until the page has drawn `frames` more animation frames and the browser is idle
 * between them: canvases (MapLibre, deck.gl, the diagram) have then painted what their
 * data attributes already announce. A wait on the page's own rendering, not on a clock.
 */
export async function settleFrames(page: Page, frames = 3): Promise<void> {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        let left = n;
        const step = () => {
          if (--left <= 0) resolve();
          else requestAnimationFrame(() => setTimeout(step, 0));
        };
        requestAnimationFrame(() => setTimeout(step, 0));
      }),
    frames,
  );
}
