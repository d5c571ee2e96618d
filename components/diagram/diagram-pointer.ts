import type { RefObject } from "react";
import type { MapLine } from "@/lib/map/map-data";
import { elementId } from "@/components/map/state";
import { hitTest, type Hit } from "./hit-test";
import type { DiagramInput, DiagramInputOptions, Size } from "./use-diagram-input";
import { panView, toWorld, zoomViewAt, type DiagramViewState } from "./view";

type Point = [number, number];

/** Pointer tolerance for hover and click, CSS pixels. */
const HIT_PX = 7;
/** A press that moves less than this is a click, not a pan. */
const CLICK_PX = 4;

const idOf = (h: Hit | null) => (!h ? null : h.kind === "bus" ? elementId.bus(h.bus.id) : elementId.branch((h.line as MapLine).id));

/** What the pointer handlers read and call: the hook's refs, its view updates and its React state. */
export interface PointerContext {
  options: RefObject<DiagramInputOptions>;
  view: RefObject<DiagramViewState | null>;
  size: RefObject<Size>;
  /** True while the button is held (the view is not at rest, however long the pointer pauses). */
  pressing: RefObject<boolean>;
  show: (v: DiagramViewState) => void;
  publish: (now?: boolean) => void;
  scheduleDraw: () => void;
  setHover: (hover: DiagramInput["hover"]) => void;
  setDrag: (drag: DiagramInput["drag"]) => void;
}

/**
 * Pan (drag), zoom (wheel, double click), hover and click on the diagram's frame, and
 * dragging a bus in move mode; returns what removes the listeners.
 */
export function attachPointer(el: HTMLElement, c: PointerContext): () => void {
  type Press = { x: number; y: number; start: DiagramViewState; moved: boolean; busId: number | null };
  let press: Press | null = null;
  let hoverReq: number | null = null;
  const local = (e: MouseEvent): Point => {
    const r = el.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const hitAt = (q: Point): Hit | null => {
    const v = c.view.current;
    if (!v) return null;
    return hitTest(c.options.current.index, toWorld(v, c.size.current, q), HIT_PX / 2 ** v.zoom);
  };
  const onDown = (e: PointerEvent) => {
    if (e.button !== 0 || !c.view.current || (e.target as HTMLElement).closest("label, button")) return;
    const q = local(e);
    const h = c.options.current.moveMode && c.options.current.onMoveBus ? hitAt(q) : null;
    press = { x: q[0], y: q[1], start: c.view.current, moved: false, busId: h?.kind === "bus" ? h.bus.id : null };
    c.pressing.current = true;
    el.setPointerCapture(e.pointerId);
    c.setHover(null);
  };
  const onMove = (e: PointerEvent) => {
    const q = local(e);
    if (press) {
      if (!press.moved && Math.hypot(q[0] - press.x, q[1] - press.y) < CLICK_PX) return;
      press.moved = true;
      if (press.busId !== null) c.setDrag({ busId: press.busId, position: toWorld(c.view.current!, c.size.current, q) });
      else c.show(panView(press.start, q[0] - press.x, q[1] - press.y));
      return;
    }
    if (hoverReq !== null) return;
    hoverReq = requestAnimationFrame(() => {
      hoverReq = null;
      const id = idOf(hitAt(q));
      c.setHover(id ? { id, x: q[0], y: q[1] } : null);
    });
  };
  const onUp = (e: PointerEvent) => {
    const p = press;
    press = null;
    c.pressing.current = false;
    if (!p) return;
    c.publish(true);
    if (p.moved && p.busId === null && c.options.current.mode === "deferred") c.scheduleDraw();
    const q = local(e);
    if (!p.moved) c.options.current.onSelect?.(idOf(hitAt(q)));
    else if (p.busId !== null) {
      c.setDrag(null);
      c.options.current.onMoveBus?.(p.busId, toWorld(c.view.current!, c.size.current, q));
    }
  };
  const onWheel = (e: WheelEvent) => {
    if (!c.view.current) return;
    e.preventDefault();
    c.setHover(null);
    c.show(zoomViewAt(c.view.current, c.size.current, -e.deltaY / 400, local(e)));
  };
  const onDouble = (e: MouseEvent) => {
    if (c.view.current && !(e.target as HTMLElement).closest("label, button")) c.show(zoomViewAt(c.view.current, c.size.current, 1, local(e)));
  };
  const onLeave = () => c.setHover(null);
  el.addEventListener("pointerdown", onDown);
  el.addEventListener("pointermove", onMove);
  el.addEventListener("pointerup", onUp);
  el.addEventListener("pointercancel", onUp);
  el.addEventListener("pointerleave", onLeave);
  el.addEventListener("wheel", onWheel, { passive: false });
  el.addEventListener("dblclick", onDouble);
  return () => {
    el.removeEventListener("pointerdown", onDown);
    el.removeEventListener("pointermove", onMove);
    el.removeEventListener("pointerup", onUp);
    el.removeEventListener("pointercancel", onUp);
    el.removeEventListener("pointerleave", onLeave);
    el.removeEventListener("wheel", onWheel);
    el.removeEventListener("dblclick", onDouble);
    if (hoverReq !== null) cancelAnimationFrame(hoverReq);
  };
}
