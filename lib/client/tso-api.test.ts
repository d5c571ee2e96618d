import { describe, expect, it } from "vitest";
import { validationBody } from "./tso-api";

describe("validationBody", () => {
  it("splices the added points' JSON (text or bytes) in unparsed and gives the same document as JSON.stringify", async () => {
    const point = { id: "op-3", label: "re-linearized", pFlexMw: [0.5, -0.25], v: [1.01] };
    const grids = [
      {
        lightModelId: "a",
        selectedIndex: 3,
        locationMw: [0.5, -0.25],
        locationMvar: [0, 0],
        reactive: true,
        addedOperatingPointsJson: [JSON.stringify(point), new TextEncoder().encode(JSON.stringify({ ...point, id: "op-4" }))],
      },
      { lightModelId: 'b"c', selectedIndex: 0, locationMw: [], locationMvar: [], reactive: false, addedOperatingPointsJson: [] },
    ];
    const body = await validationBody("clearing-1", 2, grids).text();
    expect(JSON.parse(body)).toEqual({
      clearingId: "clearing-1",
      iteration: 2,
      grids: [
        { lightModelId: "a", selectedIndex: 3, locationMw: [0.5, -0.25], locationMvar: [0, 0], reactive: true, addedOperatingPoints: [point, { ...point, id: "op-4" }] },
        { lightModelId: 'b"c', selectedIndex: 0, locationMw: [], locationMvar: [], reactive: false, addedOperatingPoints: [] },
      ],
    });
  });
});
