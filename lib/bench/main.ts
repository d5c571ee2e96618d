import { BENCHMARKS } from "./registry";
import { hasShared } from "./shared";

/** `npm run bench [name-filter]`: runs every benchmark and prints its figures. */
async function main() {
  const filter = process.argv[2]?.toLowerCase();
  const shared = hasShared();
  for (const b of BENCHMARKS) {
    if (filter && !b.name.toLowerCase().includes(filter)) continue;
    console.log(`\n## ${b.name}`);
    if (b.needsShared && !shared) {
      console.log("  skipped: ../shared (MATPOWER cases and references) not found beside the project");
      continue;
    }
    const t0 = performance.now();
    await b.run((line) => console.log(line));
    console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
