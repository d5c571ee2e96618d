// plotly.js-dist-min ships no types; it is the full plotly.js bundle.
declare module "plotly.js-dist-min" {
  import * as Plotly from "plotly.js";
  export default Plotly;
}
