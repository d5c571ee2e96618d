"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { GridMapData } from "@/lib/map/map-data";
import type { HitIndex } from "./hit-test";
import { fitView, zoomViewAt, type DiagramViewState } from "./view";
import { attachPointer } from "./diagram-pointer";

type Point = [number, number];
export type Size = { width: number; height: number };

/** How the picture follows the view: redrawn on every change, or shown moved (CSS) and redrawn once the view rests. */
export type RenderMode = "live" | "deferred";

/** A redraw once the view has rested this long (deferred mode), longer when a redraw is known to block the page longer. */
const SETTLE_MS = { min: 220, max: 1500 } as const;

/** How long to wait for rest given what the last redraw cost (ms): half of it, within SETTLE_MS. */
function settleDelay(lastDrawMs: number): number {
  return Math.round(Math.min(SETTLE_MS.max, Math.max(SETTLE_MS.min, lastDrawMs / 2)));
}

export interface DiagramInputOptions {
  frame: RefObject<HTMLElement | null>;
  data: GridMapData;
  index: HitIndex;
  mode: RenderMode;
  moveMode: boolean;
  /** Draw the picture for a view (deck.setProps({ viewState })). */
  draw: (view: DiagramViewState) => void;
  /** Show the last picture at the current view meanwhile (a CSS transform), or null to clear it. */
  preview: (view: DiagramViewState | null) => void;
  /** What the last redraw blocked the page for, ms (deferred mode waits for rest accordingly). */
  lastDrawMs: () => number;
  onSelect?: (id: string | null) => void;
  onMoveBus?: (busId: number, position: Point) => void;
}

export interface DiagramInput {
  /** The view as React last heard of it (for what it draws over the picture; null before the frame is measured). */
  view: DiagramViewState | null;
  /** The view shown now, up to the last pointer event. */
  current: () => DiagramViewState | null;
  size: Size;
  /** The element under the pointer ("bus:<id>" / "branch:<id>") and where the pointer is. */
  hover: { id: string; x: number; y: number } | null;
  /** A bus being dragged and where it is now (layout units). */
  drag: { busId: number; position: Point } | null;
  /** Zoom by 2^steps about the frame's centre, or fit the whole grid. */
  zoomBy: (steps: number) => void;
  fit: () => void;
}

/**
 * Pan (drag), zoom (wheel, double click, buttons), hover and click on the diagram, and
 * dragging buses in move mode — all on the CPU (hit-test.ts), so moving the pointer
 * never makes the GPU draw. In deferred mode a pan or zoom moves the last picture with
 * a CSS transform and the grid is drawn again once the view rests: a software renderer
 * (Chromium without a GPU) needs seconds per frame for 10,000 buses, which would
 * otherwise block the page on every step of a gesture.
 */
export function useDiagramInput(o: DiagramInputOptions): DiagramInput {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const [view, setViewState] = useState<DiagramViewState | null>(null);
  const [hover, setHover] = useState<DiagramInput["hover"]>(null);
  const [drag, setDrag] = useState<DiagramInput["drag"]>(null);
  const live = useRef(o);
  live.current = o;
  const viewRef = useRef<DiagramViewState | null>(null);
  const sizeRef = useRef(size);
  sizeRef.current = size;
  const settle = useRef<number | null>(null);
  const pressing = useRef(false);
  const frameReq = useRef<number | null>(null);

  const scheduleDraw = useCallback(() => {
    if (settle.current !== null) window.clearTimeout(settle.current);
    settle.current = window.setTimeout(() => {
      settle.current = null;
      if (viewRef.current) live.current.draw(viewRef.current);
    }, settleDelay(live.current.lastDrawMs()));
  }, []);

  // React hears of the view at most once a frame, and not at all while the button is held
  // (nothing it renders is shown during a drag): the gesture itself is a CSS transform.
  const publishReq = useRef<number | null>(null);
  const publish = useCallback((now = false) => {
    if (now) {
      if (publishReq.current !== null) cancelAnimationFrame(publishReq.current);
      publishReq.current = null;
      setViewState(viewRef.current);
      return;
    }
    if (publishReq.current !== null) return;
    publishReq.current = requestAnimationFrame(() => {
      publishReq.current = null;
      setViewState(viewRef.current);
    });
  }, []);

  const show = useCallback(
    (v: DiagramViewState, immediately = false) => {
      viewRef.current = v;
      if (immediately) publish(true);
      else if (!pressing.current) publish();
      if (settle.current !== null) window.clearTimeout(settle.current);
      settle.current = null;
      const { mode, preview } = live.current;
      if (mode === "live" || immediately) {
        if (frameReq.current === null) {
          frameReq.current = requestAnimationFrame(() => {
            frameReq.current = null;
            if (viewRef.current) live.current.draw(viewRef.current);
          });
        }
        return;
      }
      preview(v);
      // While the button is held the view is not at rest, however long the pointer pauses.
      if (!pressing.current) scheduleDraw();
    },
    [publish, scheduleDraw],
  );

  // The frame's size, and the fitted view of a new grid.
  const fitKey = `${o.data.name}|${o.data.busCount}|${o.data.branchCount}`;
  useEffect(() => {
    const el = o.frame.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [o.frame]);
  const fit = useCallback(() => {
    const { width, height } = sizeRef.current;
    const b = live.current.data.bounds;
    if (b && width > 0) show(fitView(b, width, height), true);
  }, [show]);
  const fitted = useRef("");
  useEffect(() => {
    if (size.width === 0 || fitted.current === fitKey) return;
    fitted.current = fitKey;
    setHover(null);
    // biome-ignore lint/suspicious/noFocusedTests: fit() fits the view to the new grid; it is not a focused test
    fit();
  }, [fitKey, size.width, fit]);

  useEffect(() => {
    const el = o.frame.current;
    if (!el) return;
    return attachPointer(el, { options: live, view: viewRef, size: sizeRef, pressing, show, publish, scheduleDraw, setHover, setDrag });
  }, [o.frame, show, scheduleDraw, publish]);

  useEffect(
    () => () => {
      if (settle.current !== null) window.clearTimeout(settle.current);
      if (frameReq.current !== null) cancelAnimationFrame(frameReq.current);
      if (publishReq.current !== null) cancelAnimationFrame(publishReq.current);
    },
    [],
  );

  const zoomBy = useCallback(
    (steps: number) => {
      const v = viewRef.current;
      if (v) show(zoomViewAt(v, sizeRef.current, steps, [sizeRef.current.width / 2, sizeRef.current.height / 2]));
    },
    [show],
  );

  const current = useCallback(() => viewRef.current, []);
  return { view, current, size, hover, drag, zoomBy, fit };
}
