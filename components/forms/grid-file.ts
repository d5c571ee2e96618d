import { MAX_UPLOAD_BYTES, tooLargeMessage } from "@/lib/limits/uploads";

/** FileUploadForm's settings for a grid file (MATPOWER case or project network), DSO's or TSO's alike. */
export const GRID_FILE = {
  accept: ".m,.json",
  noFileMessage: "choose a grid file first",
  namePlaceholder: "from the file",
  precheck: (file: File) => (file.size > MAX_UPLOAD_BYTES ? `${file.name}: ${tooLargeMessage(file.size)}` : null),
};
