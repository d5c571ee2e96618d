import { DistrictInputError } from "@/lib/district";
import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { ApiError, apiRoute, jsonResponse } from "@/lib/server/errors";
import { storeNetworkJson } from "@/lib/server/grids";
import { runTask } from "@/lib/server/pool";
import { readBodyLimited } from "@/lib/server/upload";
import { fromBuildingsFields, GEOJSON_FILE } from "./schema";
import { MAX_UPLOAD_BYTES, tooLargeMessage } from "@/lib/limits/uploads";

/** Two files of at most MAX_UPLOAD_BYTES each plus the multipart envelope. */
const BODY_LIMIT = 2 * MAX_UPLOAD_BYTES + 64 * 1024;

async function geoJsonText(form: FormData, field: string, label: string): Promise<{ fileName: string; text: string } | null> {
  const file = form.get(field);
  if (file === null || (file instanceof File && file.size === 0 && !file.name)) return null;
  if (!(file instanceof File)) throw new ApiError("bad_request", `${label}: expected a file in the form field '${field}'`);
  const fileName = (file.name || field).replace(/^.*[\\/]/, "");
  if (file.size > MAX_UPLOAD_BYTES) throw new ApiError("payload_too_large", `${fileName}: ${tooLargeMessage(file.size)}`);
  if (!GEOJSON_FILE.test(fileName)) throw new ApiError("bad_request", `${fileName}: unsupported file type; the ${label} must be GeoJSON (.geojson or .json)`);
  try {
    return { fileName, text: new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer()) };
  } catch {
    throw new ApiError("bad_request", `${fileName}: the file is not UTF-8 text`);
  }
}

/**
 * POST multipart (buildings: GeoJSON file; streets?: GeoJSON file; name?; seed?) →
 * 201 { grid, district } with a grid generated from the buildings (lib/district:
 * k-means substations, 20 kV rings, LV feeders along the streets). DSO only; the
 * files are parsed and the grid built and validated — on the worker pool, within the
 * GeoJSON limits and the pool's time limit — before anything is stored.
 */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["DSO"]);
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError("unsupported_media_type", "send the buildings as multipart/form-data with a GeoJSON file in the field 'buildings' (and optionally 'streets')");
  }
  const body = await readBodyLimited(req, BODY_LIMIT);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new ApiError("bad_request", "the upload is not valid multipart/form-data");
  }
  const fieldValue = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" && v.trim() !== "" ? v : undefined;
  };
  const parsed = fromBuildingsFields.safeParse({ name: fieldValue("name"), seed: fieldValue("seed") });
  if (!parsed.success) throw new ApiError("bad_request", parsed.error.issues[0].message);
  const buildingsFile = await geoJsonText(form, "buildings", "buildings file");
  if (!buildingsFile) throw new ApiError("bad_request", "no buildings file in the upload (expected a GeoJSON file in the form field 'buildings')");
  const streetsFile = await geoJsonText(form, "streets", "streets file");

  let built: Awaited<ReturnType<typeof runTask<"buildDistrict">>>;
  try {
    built = await runTask("buildDistrict", { buildings: buildingsFile, streets: streetsFile, seed: parsed.data.seed ?? 1, name: parsed.data.name });
  } catch (e) {
    if (e instanceof DistrictInputError) throw new ApiError("bad_request", e.message);
    throw e;
  }
  const baseName = buildingsFile.fileName.replace(/\.(geo)?json$/i, "");
  const grid = await storeNetworkJson(await getPrisma(), user.id, built, {
    name: parsed.data.name || `${baseName} (from ${built.district.buildings} buildings)`,
    sourceFormat: "generated",
    fileName: buildingsFile.fileName,
  });
  return jsonResponse({ grid, district: built.district }, { status: 201 });
});
