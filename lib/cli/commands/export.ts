import { writeMatpowerCase, writeNetworkJson } from "../../grid";
import { closeTies } from "../../powerflow";
import { parseCommandArgs, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";

export const exportCommand: Command = {
  usage: "export <case-file> --format matpower|json [--close-ties]",
  summary: "convert a grid file to MATPOWER .m or the project JSON (written to stdout)",
  run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      format: { type: "string" },
      "close-ties": { type: "boolean" },
    });
    if (positionals.length !== 1) throw new UsageError("expected exactly one case file");
    const format = values.format;
    if (format !== "matpower" && format !== "json") throw new UsageError("--format must be 'matpower' or 'json'");
    let net = loadNetworkFile(positionals[0]);
    if (values["close-ties"]) net = closeTies(net);
    process.stdout.write(format === "json" ? `${writeNetworkJson(net, 1)}\n` : writeMatpowerCase(net));
  },
};
