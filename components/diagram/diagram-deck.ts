import { Deck, OrthographicView, type Layer } from "@deck.gl/core";
import type { GridMapData } from "@/lib/map/map-data";
import type { RenderMode } from "./use-diagram-input";
import { cssTransformBetween, toScreen, type DiagramViewState } from "./view";

/** What the deck.gl canvas and the view input share about drawing. */
export interface DrawState {
  deck: Deck<OrthographicView> | null;
  /** The view the picture shows. */
  drawn: DiagramViewState | null;
  /** The view handed to deck.gl and not drawn yet. */
  pending: DiagramViewState | null;
  /** When the last view change was handed to deck.gl, and how long until the page drew again (ms). */
  drawStart: number | null;
  drawMs: number;
}

export const initialDrawState = (): DrawState => ({ deck: null, drawn: null, pending: null, drawStart: null, drawMs: 0 });

/** Hand a view to deck.gl to draw. */
export function drawView(s: DrawState, view: DiagramViewState): void {
  const deck = s.deck;
  // The same view again draws nothing new (deck.gl compares it), so nothing would clear `pending`.
  if (!deck || deck.props.viewState === view) return;
  s.pending = view;
  s.drawStart = performance.now();
  deck.setProps({ viewState: view });
}

/** Show the last picture moved to `view` (a CSS transform of the canvas host), or clear that with null. */
export function previewView(s: DrawState, el: HTMLElement | null, view: DiagramViewState | null): void {
  if (!el) return;
  el.style.transform = view && s.drawn ? cssTransformBetween(s.drawn, view, { width: el.clientWidth, height: el.clientHeight }) : "";
}

/** What end-to-end tests may call on the diagram's frame element (`element.__networkDiagram`). */
interface NetworkDiagramTestHook {
  /** Screen position (CSS pixels from the frame's top left) of a bus, null if it is not drawn. */
  project(busId: number): [number, number] | null;
  zoom(): number;
  /** "live" (redrawn on every view change) or "deferred" (moved while the view changes, redrawn when it rests). */
  mode(): RenderMode;
  /** The picture shows the current view: no redraw pending, no moved stand-in. */
  settled(): boolean;
}

export interface MountDeckOptions {
  /** The element that holds the canvas, and the diagram's frame (which carries the test hook). */
  host: HTMLDivElement;
  frame: HTMLElement | null;
  layers: Layer[];
  /** The view shown now (the input's), the grid drawn now and the render mode now. */
  currentView: () => DiagramViewState | null;
  data: () => GridMapData;
  mode: () => RenderMode;
  onMode: (mode: RenderMode) => void;
  /** The first picture is on the page. */
  onReady: () => void;
}

/** Create the deck.gl canvas of the diagram and its test hook; returns what removes them. */
export function mountDeck(s: DrawState, o: MountDeckOptions): () => void {
  const el = o.host;
  let rendered = false;
  const deck = new Deck<OrthographicView>({
    parent: el,
    views: new OrthographicView({ id: "diagram", flipY: true }),
    controller: false,
    layers: o.layers,
    // No multisampling: lines and dots are smoothed by their own shaders.
    deviceProps: { type: "webgl", webgl: { antialias: false, preserveDrawingBuffer: false } },
    onDeviceInitialized: (device) => o.onMode(device.info.gpuType === "cpu" ? "deferred" : "live"),
    onAfterRender: () => {
      // The picture now shows the view it was drawn for: drop the CSS stand-in.
      if (s.pending) {
        const drawn = s.pending;
        s.drawn = drawn;
        s.pending = null;
        // The page shows the frame after the next one is due: a software renderer blocks here.
        const t0 = s.drawStart;
        if (t0 !== null) requestAnimationFrame(() => requestAnimationFrame(() => (s.drawMs = performance.now() - t0)));
        const now = o.currentView();
        el.style.transform = !now || now === drawn ? "" : cssTransformBetween(drawn, now, { width: el.clientWidth, height: el.clientHeight });
      }
      if (!rendered && s.drawn) {
        rendered = true;
        o.onReady();
      }
    },
  });
  s.deck = deck;
  const initial = o.currentView();
  if (initial) {
    s.pending = initial;
    deck.setProps({ viewState: initial });
  }
  const hook: NetworkDiagramTestHook = {
    project: (busId) => {
      const b = o.data().buses.find((x) => x.id === busId);
      const v = o.currentView();
      return b && v ? toScreen(v, { width: el.clientWidth, height: el.clientHeight }, b.position) : null;
    },
    zoom: () => o.currentView()?.zoom ?? NaN,
    mode: o.mode,
    settled: () => s.pending === null && !el.style.transform && s.drawn !== null && s.drawn === o.currentView(),
  };
  if (o.frame) (o.frame as HTMLElement & { __networkDiagram?: NetworkDiagramTestHook }).__networkDiagram = hook;
  return () => {
    s.deck = null;
    deck.finalize();
    // finalize() leaves the canvas in the page; a remount (React's strict mode) would stack a second one beside it.
    for (const canvas of el.querySelectorAll("canvas")) canvas.remove();
  };
}
