import { z } from "zod";

/**
 * In the browser, zod must not probe for eval: on its first object schema it tries
 * `Function("")` to decide whether to compile parsers, which the pages'
 * Content-Security-Policy (no 'unsafe-eval') reports as a violation. Parsing without
 * compiling is what it falls back to anyway. Imported once by the top bar, which every
 * page loads; the server keeps the compiled parsers.
 */
z.config({ jitless: true });
