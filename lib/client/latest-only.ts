/**
 * A function that passes on the latest of its calls at most once per `ms`: the first call
 * at once, later ones when the interval has passed (only the last of them). Progress from
 * the solver workers arrives once per AC-OPF (20–40 a second on the district); each one
 * re-rendered the page, and on a page that also draws a map the layout and painting kept
 * the main thread about half busy while the workers computed.
 */
export function latestOnly<A extends unknown[]>(fn: (...args: A) => void, ms: number): { call: (...args: A) => void; drop: () => void } {
  let last = Number.NEGATIVE_INFINITY;
  let pending: A | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = () => {
    timer = null;
    if (pending === null) return;
    const args = pending;
    pending = null;
    last = Date.now();
    fn(...args);
  };
  return {
    call: (...args: A) => {
      pending = args;
      if (timer !== null) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    drop: () => {
      pending = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
