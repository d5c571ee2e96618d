"use client";

import { GRID_FILE } from "@/components/forms/grid-file";
import { uploadGrid } from "@/lib/client/api";
import { FileUploadForm } from "../forms/file-upload-form";
import { useDsoStore } from "./dso-store-context";

export function GridUploadForm() {
  const addGrid = useDsoStore((s) => s.addGrid);
  const select = useDsoStore((s) => s.select);
  return (
    <FileUploadForm
      {...GRID_FILE}
      title="Upload a grid"
      id="grid"
      fileLabel="Grid file"
      hint="MATPOWER case (.m) or project network (.json), up to 20 MB. Checked by the importer before it is stored."
      testIds={{ file: "grid-file", error: "upload-error", ok: "upload-ok" }}
      upload={async (file, name) => {
        const grid = await uploadGrid(file, name);
        addGrid(grid);
        select(grid.id);
        return `${grid.name}: ${grid.busCount} buses, ${grid.branchCount} branches imported`;
      }}
    />
  );
}
