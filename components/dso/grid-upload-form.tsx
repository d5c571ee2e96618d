"use client";

import { uploadGrid } from "@/lib/client/api";
import { FileUploadForm } from "../forms/file-upload-form";
import { useDsoStore } from "./dso-store-context";
import { MAX_UPLOAD_BYTES, tooLargeMessage } from "@/lib/limits/uploads";

export function GridUploadForm() {
  const addGrid = useDsoStore((s) => s.addGrid);
  const select = useDsoStore((s) => s.select);
  return (
    <FileUploadForm
      title="Upload a grid"
      id="grid"
      fileLabel="Grid file"
      accept=".m,.json"
      hint="MATPOWER case (.m) or project network (.json), up to 20 MB. Checked by the importer before it is stored."
      testIds={{ file: "grid-file", error: "upload-error", ok: "upload-ok" }}
      noFileMessage="choose a grid file first"
      namePlaceholder="from the file"
      precheck={(file) => (file.size > MAX_UPLOAD_BYTES ? `${file.name}: ${tooLargeMessage(file.size)}` : null)}
      upload={async (file, name) => {
        const grid = await uploadGrid(file, name);
        addGrid(grid);
        select(grid.id);
        return `${grid.name}: ${grid.busCount} buses, ${grid.branchCount} branches imported`;
      }}
    />
  );
}
