/**
 * V8 settings of a worker process, wherever it is launched (`npm run worker`, `npm start`,
 * docker-compose, the benchmarks that run the production entry point).
 *
 * Without a limit V8 sizes the old generation from the machine's memory (about 4 GB here) and
 * collects lazily, so a worker's resident memory follows its peak allocation: an evidence pack
 * of 60,000 acknowledgements grew it by 147 MB with the default and by 54 MB at 512 MB
 * (`npm run bench -- evidence-pack`). The limit applies to each isolate, the workflow threads'
 * included; their cached workflows are bounded by TEMPORAL_WORKER_CACHE_SIZE
 * (`npm run bench -- soak` measures both).
 */
export const WORKER_HEAP_MB = 512;

export const WORKER_NODE_FLAGS: readonly string[] = [`--max-old-space-size=${WORKER_HEAP_MB}`];
