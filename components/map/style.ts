import type { StyleSpecification } from "maplibre-gl";
import type { GridMapData } from "@/lib/map/map-data";

const BUILDING_FILL: Record<string, string> = {
  single_house: "#d8d2c6",
  duplex: "#cfc8bb",
  townhouse: "#d9c7c2",
  apartment: "#c3c6d6",
  school: "#e8cf9a",
  community_centre: "#c9dcb5",
  shop: "#e3b9b1",
};

/**
 * The offline MapLibre style: the district's own streets and building footprints on
 * a plain background, no tiles, glyphs or sprites (nothing to fetch). Labels are
 * drawn by deck.gl. An online deployment may name a real basemap instead
 * (NEXT_PUBLIC_BASEMAP_STYLE_URL); the grid is drawn on top either way.
 */
export function buildOfflineStyle(data: Pick<GridMapData, "streets" | "buildings">): StyleSpecification {
  const fillByType: unknown[] = ["match", ["get", "type"]];
  for (const [t, c] of Object.entries(BUILDING_FILL)) fillByType.push(t, c);
  fillByType.push("#d5cfc4");
  // Street widths grow with zoom (about metres at zoom 16+); main roads wider. The zoom
  // interpolation must be the outermost expression, the street kind decides inside.
  const width = (main: number, other: number) => {
    const stop = (f: number) => ["case", ["==", ["get", "kind"], "main"], main * f, other * f];
    return ["interpolate", ["exponential", 2], ["zoom"], 13, stop(0.35), 16, stop(2), 19, stop(12)] as never;
  };
  return {
    version: 8,
    name: "flexplat offline district",
    sources: {
      streets: { type: "geojson", data: data.streets },
      buildings: { type: "geojson", data: data.buildings },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#f2efe9" } },
      {
        id: "street-casing",
        type: "line",
        source: "streets",
        layout: { "line-cap": "round", "line-join": "round" },
        paint: { "line-color": "#d9d3c7", "line-width": width(6.5, 5) },
      },
      {
        id: "street",
        type: "line",
        source: "streets",
        layout: { "line-cap": "round", "line-join": "round" },
        paint: { "line-color": "#ffffff", "line-width": width(5, 3.6) },
      },
      {
        id: "building-fill",
        type: "fill",
        source: "buildings",
        filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": fillByType as never, "fill-opacity": 0.95 },
      },
      {
        id: "building-outline",
        type: "line",
        source: "buildings",
        filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "line-color": "#a79f91", "line-width": 0.8 },
      },
      {
        id: "building-point",
        type: "circle",
        source: "buildings",
        filter: ["==", ["geometry-type"], "Point"],
        paint: { "circle-color": "#cfc8bb", "circle-radius": 4, "circle-stroke-color": "#a79f91", "circle-stroke-width": 1 },
      },
    ],
  };
}

/** The basemap to use: a configured style URL, else the offline district style. */
export function chooseBasemap(data: Pick<GridMapData, "streets" | "buildings">, styleUrl: string | undefined): StyleSpecification | string {
  return styleUrl && /^https?:\/\//.test(styleUrl) ? styleUrl : buildOfflineStyle(data);
}
