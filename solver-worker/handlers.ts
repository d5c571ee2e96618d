import { runClear } from "./clear";
import { runCoordinate, runPostCoordinate } from "./coordination";
import { runLayout } from "./layout";
import { runLpSolve } from "./lp-solve";
import { runOpf } from "./opf";
import { runPqvFinish, runPqvFit, runPqvPrepare } from "./pqv";
import { runRegionCompare, runRegionPrepare, runRegionTasks } from "./region";
import { runPowerFlow } from "./powerflow";
import { runSensitivities } from "./sensitivities";
import { runStudyCoordinate, runStudyRepresent } from "./study";
import type { FromWorker, ProgressOf, RequestOf, ResultOf, SerializedError, SolverMessageType, ToWorker } from "./protocol";

type Handler<T extends SolverMessageType> = (request: RequestOf<T>, progress: (p: ProgressOf<T>) => void) => ResultOf<T> | Promise<ResultOf<T>>;

/** One handler per message type of the protocol table. */
const HANDLERS: { [T in SolverMessageType]: Handler<T> } = {
  powerflow: runPowerFlow,
  "lp-solve": runLpSolve,
  sensitivities: runSensitivities,
  clear: runClear,
  opf: runOpf,
  "region-prepare": runRegionPrepare,
  "region-tasks": runRegionTasks,
  "region-compare": runRegionCompare,
  "pqv-prepare": runPqvPrepare,
  "pqv-fit": runPqvFit,
  "pqv-finish": runPqvFinish,
  layout: runLayout,
  "study-represent": runStudyRepresent,
  "study-coordinate": runStudyCoordinate,
  coordinate: runCoordinate,
  "post-coordinate": runPostCoordinate,
};

export type Post = (message: FromWorker, transfer: Transferable[]) => void;

/** Every distinct ArrayBuffer under the typed arrays of a result (each may be transferred once). */
export function collectTransferables(value: unknown, out: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) if (typeof v === "object" && v !== null) collectTransferables(v, out);
  } else if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) if (typeof v === "object" && v !== null) collectTransferables(v, out);
  }
  return [...out];
}

function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: "Error", message: String(e) };
}

/** Run one request and post its progress, then its result (typed arrays transferred) or its error. */
export async function dispatch(msg: ToWorker, post: Post): Promise<void> {
  const { id } = msg;
  try {
    const handler = HANDLERS[msg.type] as Handler<SolverMessageType>;
    if (!handler) throw new Error(`unknown message type '${String(msg.type)}'`);
    const result = await handler(msg.request, (progress) => post({ kind: "progress", id, progress }, []));
    post({ kind: "result", id, result }, collectTransferables(result));
  } catch (e) {
    post({ kind: "error", id, error: serializeError(e) }, []);
  }
}
