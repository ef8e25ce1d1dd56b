import { benchmarks } from './registry';

// `npm run bench -- <name>`: runs one benchmark; each prints its numbers and the ratio
// against a baseline measured in the same run. Benchmarks are not tests.
async function main() {
  const name = process.argv[2];
  const bench = name ? benchmarks[name] : undefined;
  if (!bench) {
    const names = Object.keys(benchmarks);
    console.log(`Usage: npm run bench -- <${names.length ? names.join('|') : 'name'}>`);
    console.log(names.length ? '' : 'No benchmarks are registered yet.');
    process.exit(name ? 2 : 0);
  }
  await bench(process.argv.slice(3));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
